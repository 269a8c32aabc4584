"""Every page, on a phone: nothing may be wider than the screen.

With the demo data loaded (the same seed commands ``make demo`` runs, at a small scale), each
page without parameters in the role table is opened at 390 px in real Chromium, as a role the
table admits (anonymous for public pages), in Chinese and in English (English words are longer);
the document must not scroll sideways. A page that renders but makes a resident pan left and right
on a phone is a broken page."""

import json
import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from chuangfu.core.models import Role, User
from chuangfu.core.roles import ANYONE, SIGNED_IN, table
from tests.access_walk import page_patterns

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
# The demo account each role is walked as (chuangfu demo-logins).
ACCOUNTS = {
    Role.ENTREPRENEUR: "tz_entrepreneur",
    Role.DESK_STAFF: "tz_desk",
    Role.UNIT_LIAISON: "tz_liaison",
    Role.REVIEWER: "tz_reviewer",
    Role.CARRIER_OPERATOR: "tz_operator",
    Role.MENTOR: "tz_mentor",
    Role.LEADER: "tz_leader",
    Role.ADMIN: "tz_admin",
}
# The role a page is opened as when it admits several: the one whose work it most likely is.
PREFERENCE = [
    Role.DESK_STAFF,
    Role.ADMIN,
    Role.LEADER,
    Role.REVIEWER,
    Role.UNIT_LIAISON,
    Role.CARRIER_OPERATOR,
    Role.MENTOR,
    Role.ENTREPRENEUR,
]
SKIPPED_PREFIXES = ("admin:", "api-", "ninja:")  # Django's admin site and the API are not our pages to lay out
# The elements that stick out past the right edge without a scrolling ancestor: the culprits.
CULPRITS = """() => {
  const w = window.innerWidth, out = [];
  const clipped = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll('body *')) {
    if (el.getBoundingClientRect().right > w + 1 && !clipped(el)) {
      out.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : ''));
    }
    if (out.length > 3) break;
  }
  return out;
}"""


def _seed():
    call_command("seed", scale=10, verbosity=0)
    for command in (
        "seed_policies",
        "seed_subsidies",
        "seed_activities",
        "seed_governance",
        "seed_ecosystem",
        "seed_portal",
        "seed_indicators",
    ):
        call_command(command, verbosity=0)


def _pages() -> dict[str, list[str]]:
    """URL paths to open, by the account (``""`` for anonymous) that opens them."""
    by_account: dict[str, list[str]] = {}
    for pattern in page_patterns():
        name = pattern.view_name
        if pattern.pattern.pattern.regex.groups or name.startswith(SKIPPED_PREFIXES) or ":" not in name:
            continue
        row = table().page(name)
        if row is None or row.delegated:
            continue
        if ANYONE in row.roles:
            account = ""
        else:
            role = next((r for r in PREFERENCE if SIGNED_IN in row.roles or r in row.roles), None)
            if role is None:
                continue
            account = ACCOUNTS[role]
        try:
            path = reverse(name)
        except Exception:  # a pattern that needs arguments (a converter without a regex group)
            continue
        by_account.setdefault(account, []).append(path)
    return by_account


def _walk(browser, base: str, account: str, paths: list[str], language: str) -> tuple[list[str], int]:
    context = browser.new_context(locale="zh-CN" if language == "zh" else "en-US", viewport=PHONE)
    page = context.new_page()
    if account:
        page.goto(base + "/accounts/login/")
        page.fill("input[name=username]", account)
        page.fill("input[name=password]", "Chuangfu2026")
        page.press("input[name=password]", "Enter")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    wide, opened = [], 0
    who = account or "anonymous"
    for path in paths:
        probe = page.request.get(base + path, max_redirects=0)
        if probe.status >= 500:
            wide.append(f"{language} {who} {path}: server error {probe.status}")
            continue
        if probe.status != 200 or "text/html" not in (probe.headers.get("content-type") or ""):
            continue  # a POST-only action, a redirect, a download or a data view
        response = page.goto(base + path)
        if response is None or response.status != 200:
            continue
        opened += 1
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"] + 1:
            wide.append(f"{language} {who} {path}: {width}px {page.evaluate(CULPRITS)}")
    context.close()
    return wide, opened


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="layout does not depend on the database: walked once per CI run, on SQLite",
)
def test_no_page_is_wider_than_a_phone(browser, live_server):
    _seed()
    assert User.objects.filter(username__in=ACCOUNTS.values()).count() == len(ACCOUNTS)
    pages = _pages()
    wide, opened = [], 0
    for language in ("zh", "en"):
        for account, paths in pages.items():
            found, n = _walk(browser, live_server.url, account, paths, language)
            wide += found
            opened += n
    assert opened > 60, f"only {opened} pages were opened: the walk lost its way"
    assert wide == [], json.dumps(wide, ensure_ascii=False, indent=1)
