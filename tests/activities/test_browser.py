"""The journey of the issue in a real browser (Playwright driving Debian's Chromium):
publish an activity → register on the public page → see the QR ticket → check in on the
check-in page → rate it afterwards → the activity's figures show it.

Without /usr/bin/chromium the test is skipped with a loud reason, except under CI=true,
where a missing browser is a failure."""

import datetime
import re

import pytest

from chuangfu.activities.models import ActivityStatus, Registration
from chuangfu.activities.services import activities as activity_services
from chuangfu.core.notifications.sms import LocmemSmsBackend
from tests.browser import context_for

from . import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def logged_in_context(browser, live_server, user):
    return context_for(browser, live_server, user, width=420)


def test_publish_register_ticket_checkin_rate_and_figures(browser, live_server):
    staff = builders.manager()
    draft = builders.activity(
        actor=staff,
        status=ActivityStatus.DRAFT,
        title="唐镇创业服务日（浏览器）",
        starts_in=datetime.timedelta(hours=1),
        capacity=20,
    )
    desk = logged_in_context(browser, live_server, staff).new_page()

    # Staff publish the draft from the activity page.
    desk.goto(f"{live_server.url}/activities/{draft.pk}/")
    desk.get_by_test_id("transition-publish").click()
    desk.wait_for_selector("text=报名中")

    # A resident registers on the public page with an SMS code.
    visitor = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    visitor.goto(f"{live_server.url}/events/")
    visitor.get_by_role("link", name="唐镇创业服务日（浏览器）").click()
    visitor.get_by_role("link", name="我要报名").click()
    visitor.fill("input[name=name]", "王小明")
    visitor.fill("input[name=mobile]", "13912340000")
    visitor.get_by_role("button", name="获取验证码").click()
    visitor.wait_for_selector("text=验证码已发送")
    code = re.search(r"验证码 (\d{6})", [t for m, t in LocmemSmsBackend.outbox if m == "13912340000"][-1]).group(1)
    visitor.fill("input[name=sms_code]", code)
    visitor.get_by_role("button", name="提交报名").click()

    # The ticket shows a QR code that the browser actually loaded, and the token under it.
    visitor.wait_for_function(
        "(() => { const img = document.querySelector('img.cf-qr');"
        " return img && img.complete && img.naturalWidth > 100; })()"
    )
    registration = Registration.objects.get(activity=draft)
    assert registration.qr_token in visitor.inner_text("code")
    ticket_url = visitor.url

    # Staff check the ticket in on the check-in page (the code typed, as a scanner would submit it).
    desk.goto(f"{live_server.url}/activities/{draft.pk}/checkin/")
    desk.fill("#token-input", registration.qr_token)
    desk.get_by_role("button", name="签到", exact=True).click()
    desk.wait_for_selector("[data-result=ok]")
    assert "签到成功：王小明" in desk.inner_text("#checkin-result")
    desk.fill("#token-input", registration.qr_token)
    desk.get_by_role("button", name="签到", exact=True).click()
    desk.wait_for_selector("[data-result=repeat]")
    assert "已于" in desk.inner_text("#checkin-result")

    # The activity runs and ends; the attendee rates it from the ticket page.
    activity = activity_services.activity_transition(activity=draft, actor=staff, name="start")
    desk.goto(f"{live_server.url}/activities/{draft.pk}/")
    desk.get_by_test_id("transition-finish").click()
    desk.wait_for_selector("text=已结束")
    visitor.goto(ticket_url)
    visitor.get_by_role("link", name="评价本次活动").click()
    visitor.get_by_label("非常满意").check()
    visitor.fill("textarea[name=comment]", "政策讲得很清楚")
    visitor.get_by_role("button", name="提交评价").click()
    visitor.wait_for_selector("text=感谢您的评价")

    # The figures come from the check-in and the rating.
    desk.goto(f"{live_server.url}/activities/{activity.pk}/")
    assert desk.inner_text("[data-testid=figure-attended]") == "1"
    assert desk.inner_text("[data-testid=figure-rated]") == "1"
    assert "满意率 100.0%" in desk.inner_text("[data-testid=figure-satisfaction]")
    desk.goto(f"{live_server.url}/activities/figures/?by=type")
    assert "服务日" in desk.inner_text("#figures-table")
