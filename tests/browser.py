"""What every browser journey shares: Debian's Chromium driven by Playwright, and pages or
contexts signed in as a user. The ``browser`` fixture itself lives in tests/conftest.py.

Without Chromium a browser test is skipped with a loud reason, except under CI=true, where a
missing browser is a failure."""

import os
import shutil
import warnings

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client

CHROMIUM = os.environ.get("CHUANGFU_CHROMIUM", "/usr/bin/chromium")


def launch_chromium():
    """Yield a headless Chromium (a generator for the fixture), or skip/fail when there is none."""
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not path:
        message = f"浏览器测试需要 Chromium（{CHROMIUM}），本机没有安装。Browser test needs Chromium at {CHROMIUM}."
        if os.environ.get("CI") == "true":
            pytest.fail(message + " CI=true: a missing browser is a failure.")
        warnings.warn(message + " SKIPPED.", stacklevel=1)
        pytest.skip(message + " SKIPPED.")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(
                executable_path=path, headless=True, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
            )
            yield instance
            instance.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def context_for(browser, live_server, user=None, width=1280, height=900):
    """A browser context in Chinese, signed in as ``user`` when one is given."""
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    if user is not None:
        client = Client()
        client.force_login(user)
        assert client.session[SESSION_KEY]
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "url": live_server.url,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                }
            ]
        )
    return context


def page_for(browser, live_server, user=None, width=1280, height=900):
    return context_for(browser, live_server, user, width, height).new_page()
