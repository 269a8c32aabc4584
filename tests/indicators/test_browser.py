"""Issue 16's journey in a real browser (Playwright driving Debian's Chromium): an administrator adds
an indicator with a test case in the admin and sees the case pass, sets the town's target; a leader
has the year computed from the dashboard, sees the indicator against its target and drills down
from its number to the records it counts.

Without /usr/bin/chromium the test is skipped with a loud reason, except under CI=true."""

import datetime

import pytest
from django.utils import timezone

from chuangfu.core.models import AuditEntry, Role
from chuangfu.indicators.models import Indicator, Scheme
from chuangfu.portal.models import MediaCoverage
from tests import factories
from tests.browser import page_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
YEAR = timezone.localdate().year


def test_an_admin_adds_an_indicator_with_a_case_and_a_leader_computes_it_and_drills_down(browser, live_server):
    town = factories.town()
    Scheme.objects.create(code="city", version=1, name="创建评估指标体系", year_from=2022)
    admin = factories.user(Role.ADMIN, is_superuser=True, is_staff=True, display_name="平台管理员")
    leader = factories.user(Role.LEADER, display_name="王主任")
    for n in range(2):
        MediaCoverage.objects.create(jurisdiction=town, outlet="浦东时报", title=f"创业服务日报道{n}", kind="print",
                                     published_on=datetime.date(YEAR, 1, 10 + n), created_by=leader)  # fmt: skip
    url = live_server.url

    # The administrator adds the indicator, with a test case on a fixed data set, and sees it pass.
    page = page_for(browser, live_server, admin)
    page.goto(f"{url}/admin/indicators/indicator/add/")
    page.select_option("select[name=scheme]", index=1)  # the one scheme, after the empty choice
    page.fill("input[name=code]", "media_reports")
    page.fill("input[name=name]", "媒体宣传报道")
    page.fill("textarea[name=definition]", "本年度媒体报道的篇数")
    page.select_option("select[name=category]", "atmosphere")
    page.select_option("select[name=kind]", "count")
    page.fill("input[name=numerator]", "portal.media_coverage")
    page.select_option("select[name=period_type]", "year")
    page.fill("input[name=cases-0-name]", "三篇报道")
    page.fill("textarea[name=cases-0-given]", '{"portal.media_coverage": 3}')
    page.fill("input[name=cases-0-expected]", "3")
    page.click("input[name=_continue]")
    page.wait_for_selector("text=三篇报道 — 通过")
    indicator = Indicator.objects.get(code="media_reports")

    # ... and the town's target for the year.
    page.goto(f"{url}/admin/indicators/target/add/")
    page.select_option("select[name=indicator]", str(indicator.pk))
    page.select_option("select[name=jurisdiction]", str(town.pk))
    page.fill("input[name=year]", str(YEAR))
    page.fill("input[name=target]", "2")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")  # set by the signed-in administrator, not chosen in the form
    target = indicator.targets.get(jurisdiction=town, year=YEAR)
    assert target.set_by == admin and AuditEntry.objects.filter(action="indicators.target.set", actor=admin).exists()

    # A leader has the year computed (the queue runs it) and sees the figure against its target.
    board = page_for(browser, live_server, leader)
    board.goto(f"{url}/indicators/")
    board.get_by_role("button", name="重新计算").click()
    board.wait_for_selector("text=已开始计算")
    board.reload()
    row = board.locator("tr", has_text="媒体宣传报道")
    assert "达到目标" in row.inner_text() and "2" in row.inner_text()

    # The number drills down to the two reports it counts.
    row.get_by_role("link", name="2").first.click()
    board.wait_for_selector("text=共 2 条记录")
    assert "浦东时报：创业服务日报道0" in board.content() and "浦东时报：创业服务日报道1" in board.content()
