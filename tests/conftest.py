import os

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests: derandomized in CI (the same examples every run, so a red CI is reproducible);
# locally random, with found failures kept in .hypothesis/ and replayed first next time.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("dev", print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")

SLOW_MODULES = {
    "test_burst",
    "test_policies_bench",
    "test_contention",
    "test_aftercare_contention",
    "test_contention_burst",
    "test_concurrency",
    "test_review_contention",
}


def pytest_collection_modifyitems(config, items):
    """Browser journeys, gunicorn bursts and subprocess contention are ``slow``: ``make test-fast`` leaves them out."""
    for item in items:
        if item.get_closest_marker("browser") or item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


def pytest_configure(config):
    os.environ.setdefault("CHUANGFU_SMS_BACKEND", "chuangfu.core.notifications.sms.LocmemSmsBackend")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.SMS_BACKEND = "chuangfu.core.notifications.sms.LocmemSmsBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; tests don't test PBKDF2
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from chuangfu.core.notifications.sms import LocmemSmsBackend

    LocmemSmsBackend.outbox.clear()
    yield


@pytest.fixture(autouse=True)
def _huey_immediate():
    """Tasks run in-process through huey's own immediate mode (the real task code, no worker)."""
    from huey.contrib.djhuey import HUEY

    previous = HUEY.immediate
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = previous


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    from chuangfu.core import workdays

    workdays.invalidate_cache()
    yield
    workdays.invalidate_cache()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a fragment cached under a public version that the
    previous test's rollback has reused must not show that test's records (core.public_cache)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Chinese: a request in English must not leak its language into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def browser():
    """Headless Chromium for the browser journeys (see tests/browser.py)."""
    from tests.browser import launch_chromium

    yield from launch_chromium()
