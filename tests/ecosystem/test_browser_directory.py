"""The public carrier directory and a carrier's page (issue 15 points 2 and 7) in real Chromium:
no WCAG 2.1 AA violation (axe-core) with the carrier's coming activities listed, on a desktop
and a phone, and a resident gets from the directory to an activity held there by clicking."""

import datetime

import pytest

from tests import browser as b
from tests.activities import builders
from tests.portal.test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_resident_finds_a_carrier_and_what_is_coming_up_there_with_no_wcag_violation(browser, live_server, incubator):
    at = {"jurisdiction": incubator.jurisdiction, "place_carrier": incubator, "address": ""}
    builders.activity(title="电商直播创业培训", starts_in=datetime.timedelta(days=3), **at)
    builders.activity(title="唐镇创新创业大赛（初赛）", starts_in=datetime.timedelta(days=5), **at)
    found = []
    for width in (1280, 390):
        page = b.page_for(browser, live_server, width=width, height=900)
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/nearby/carriers/")
        page.get_by_role("link", name="唐创空间").first.click()
        page.wait_for_selector("h1:has-text('唐创空间')")
        found += violations(page, page.url)
        page.get_by_role("link", name="电商直播创业培训").click()
        page.wait_for_selector("h1:has-text('电商直播创业培训')")
        found += violations(page, f"{live_server.url}/nearby/carriers/")
        page.context.close()
    assert found == []
