"""Journey of issue 14 in a real browser: a person's case file (创业帮扶档案) shows their whole
history, and counts them as helped to start a business once the enterprise they founded after the
file was opened has operated for the stated months — not a day before.

The history itself is what other people did on the platform (a consultation, an activity, a
mentoring request, policies, a subsidy application, hosting, a visit, a 对接), set up through the
other apps' services and models; what is driven here is the office's use of the case file pages.
The months pass by moving the date the platform reads (``timezone.localdate``) forward."""

import contextlib
import datetime
import re
from unittest import mock

import pytest
from django.utils import timezone

from chuangfu.activities.models import MentoringRequest
from chuangfu.desk.models import Category
from chuangfu.desk.services import intake
from chuangfu.ecosystem.services import incubation as incubation_services
from chuangfu.ecosystem.services import resources as resource_services
from chuangfu.ecosystem.services import visits as visit_services
from chuangfu.policies.models import Grant, Match, Result
from chuangfu.registry.models import EnterprisePerson
from chuangfu.subsidies.models import Application
from tests import factories as f
from tests.activities import builders
from tests.browser import page_for
from tests.policies.conftest import make_policy
from tests.subsidies.conftest import make_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
DAY = datetime.timedelta(days=1)
REAL_LOCALDATE = timezone.localdate


@contextlib.contextmanager
def today_is(day: datetime.date):
    """The platform's today (what ``timezone.localdate()`` answers, in the live server's thread too)."""

    def localdate(value=None, timezone=None):
        return day if value is None else REAL_LOCALDATE(value, timezone)

    with mock.patch("django.utils.timezone.localdate", localdate):
        yield


def _history_before_the_file(person, town, desk):
    """What the platform knew of the person before the office opened a file."""
    ticket, _ = intake.ticket_submit_public(
        jurisdiction=town,
        category=Category.objects.get(jurisdiction=town, name="政策咨询"),
        description="想开一家直播电商公司，问一次性创业补贴",
        requester_name=person.name,
        requester_mobile=person.mobile,
    )
    ten_days_ago = timezone.now() - 10 * DAY
    training = builders.activity(title="电商直播创业培训", jurisdiction=town, now=ten_days_ago)
    builders.register(training, name=person.name, mobile=person.mobile, person=person, now=ten_days_ago)
    MentoringRequest.objects.create(
        jurisdiction=town, name=person.name, mobile=person.mobile, person=person, topic="融资", description="直播间融资"
    )
    matched = make_policy(code="youth-startup", jurisdiction=town, title="青年创业租金补贴")
    Match.objects.create(policy=matched, version=matched.versions.get(), person=person, result=Result.ELIGIBLE)
    almost = make_policy(  # re-evaluated when her records change: she is 31, so never eligible
        code="guarantee-loan",
        jurisdiction=town,
        title="创业担保贷款贴息",
        rule={"all": [{"fact": "age", "op": "gte", "value": 45}]},
    )
    Match.objects.create(policy=almost, version=almost.versions.get(), person=person, result=Result.ALMOST)
    granted = make_policy(code="one-off", jurisdiction=town, title="一次性创业补贴")
    Grant.objects.create(policy=granted, person=person, granted_on=timezone.localdate(), amount=8000, source="manual")
    form = make_form(granted)
    Application.objects.create(
        policy=granted, version=form.version, form=form, jurisdiction=town, person=person, created_by=desk, data={}
    )
    return ticket


def test_a_case_file_shows_the_whole_history_and_counts_the_person_once_the_firm_has_run_six_months(
    browser, live_server, desk, operator, incubator, tangzhen
):
    person = f.person("顾佳怡", jurisdiction=tangzhen)
    ticket = _history_before_the_file(person, tangzhen, desk)
    opened = timezone.localdate()

    page = page_for(browser, live_server, desk)
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/ecosystem/cases/")
    page.get_by_label("创业者身份证号码").fill(person.id_number)
    page.get_by_label(re.compile("^帮扶诊断")).fill("有直播电商创业意向，缺资金和场地")
    page.get_by_label(re.compile("^计划提供的服务")).fill("创业培训\n场地对接\n融资对接")
    page.get_by_role("button", name="建档").click()
    page.wait_for_selector("h1:has-text('创业帮扶档案 · 顾佳怡')")
    assert page.get_by_text("尚未成功创业").is_visible()
    assert page.get_by_text("建档后尚未创办企业。").is_visible()

    # She founds a firm ten days later; it is hosted by the incubator, visited, and linked to an investor.
    firm = f.enterprise(
        "上海佳怡直播电商有限公司", jurisdiction=tangzhen, founded_on=opened + 10 * DAY, insured_employees=5
    )
    EnterprisePerson.objects.create(enterprise=firm, person=person, relation=EnterprisePerson.Relation.FOUNDER)
    with today_is(opened + 30 * DAY):
        incubation_services.incubation_admit(
            actor=operator, carrier=incubator, enterprise=firm, admitted_on=opened + 20 * DAY
        )
        visit_services.visit_plan(
            actor=desk, carrier=incubator, planned_on=opened + 30 * DAY, purpose="在孵企业走访", visitors=[desk]
        )
        investor = resource_services.resource_create(
            actor=desk,
            jurisdiction=tangzhen,
            kind="investor",
            name="浦东天使投资",
            offer="天使轮",
            holder_name="浦东创投",
        )
        need = resource_services.need_create(actor=desk, enterprise=firm, kinds=["investor"], description="天使轮融资")
        resource_services.linkage_create(actor=desk, need=need, resource=investor)

    with today_is(opened + 150 * DAY):  # operating 140 days: under six months
        page.get_by_role("link", name="帮扶档案").click()
        figures = page.locator(".card-body", has_text="帮扶成功创业人数")
        assert figures.locator(".h3").inner_text() == "0"
        page.get_by_role("link", name="顾佳怡").click()
        history = page.locator("main").inner_text()
        for shown in (
            ticket.number,  # requests
            "电商直播创业培训",  # activities
            "直播间融资",  # mentoring
            "符合：青年创业租金补贴",  # policies matched
            "已享受：一次性创业补贴",  # policies granted
            "补贴申请：一次性创业补贴",  # subsidies
            "上海佳怡直播电商有限公司",  # enterprises founded
            "浦东天使投资",  # resources linked
            "在孵企业走访",  # visits
        ):
            assert shown in history, shown
        assert "创业担保贷款贴息" not in history  # not eligible is not a match
        assert page.get_by_text("尚未成功创业").is_visible()

    with today_is(opened + 200 * DAY):  # operating 190 days
        page.reload()
        assert page.locator(".badge.fs-6").inner_text() == "创业成功"
        assert page.get_by_text("已经营满 6 个月").is_visible()
        assert page.get_by_text("带动就业 5 人").is_visible()
        page.get_by_role("link", name="帮扶档案").click()
        helped = page.locator("a.card", has_text="帮扶成功创业人数")
        assert helped.locator(".h3").inner_text() == "1"
        helped.click()
        rows = page.locator("table tbody tr")
        assert rows.count() == 1 and "顾佳怡" in rows.inner_text() and "创业成功" in rows.inner_text()
        page.get_by_role("link", name="尚未成功").click()
        assert "顾佳怡" not in page.locator("table").inner_text()
