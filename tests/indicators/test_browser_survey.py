"""The 工作满意度 survey in a real browser: a leader creates a survey and sends it to a sample of
the period's service users; one of them opens the link from the text message on a phone, answers
and is thanked; the leader sees the answer counted. Without Chromium the test is skipped with a
loud reason, except under CI=true."""

import datetime
import re

import pytest
from django.utils import timezone

from chuangfu.core.models import Role
from chuangfu.core.notifications.sms import LocmemSmsBackend
from chuangfu.indicators.models import Invitation
from tests import factories
from tests.browser import page_for

from .test_survey import users_of_the_desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
TODAY = timezone.localdate()


def test_a_leader_sends_a_survey_and_a_resident_answers_it_from_the_text_message_on_a_phone(browser, live_server):
    users_of_the_desk(3)
    leader = factories.user(Role.LEADER, display_name="王主任")
    url = live_server.url

    office = page_for(browser, live_server, leader)
    office.goto(f"{url}/indicators/surveys/")
    office.fill("input[name=title]", "2026 年创业服务满意度调查")
    office.fill("input[name=period_start]", TODAY.replace(month=1, day=1).isoformat())
    office.fill("input[name=period_end]", TODAY.isoformat())
    office.fill("input[name=closes_on]", (TODAY + datetime.timedelta(days=14)).isoformat())
    office.fill("input[name=sample_size]", "3")
    office.get_by_role("button", name="保存").click()
    office.wait_for_url(re.compile(r"/indicators/surveys/\d+/$"))
    LocmemSmsBackend.outbox.clear()
    office.get_by_role("button", name="抽样并发送短信").click()
    office.get_by_text("已向 3 人发送调查短信。").wait_for()

    texts = [text for _mobile, text in LocmemSmsBackend.outbox]
    assert len(texts) == 3
    link = re.search(r"/s/[\w-]+/", texts[0]).group(0)

    resident = page_for(browser, live_server, width=390, height=844)
    resident.goto(url + link)
    assert resident.evaluate("document.documentElement.scrollWidth") <= 391  # fits the phone
    resident.get_by_role("button", name="提交").click()  # nothing chosen: told what is missing
    assert resident.locator(".invalid-feedback").count() >= 1
    for group in resident.locator("fieldset").all():
        radios = group.locator("input[type=radio]")
        if radios.count():
            radios.first.check()
    resident.get_by_role("button", name="提交").click()
    resident.get_by_text("感谢您参与本次满意度调查！").wait_for()
    assert Invitation.objects.filter(answered_at__isnull=False).count() == 1

    resident.goto(url + link)  # the same link again: already answered, no second form
    assert resident.get_by_role("button", name="提交").count() == 0

    office.reload()
    answered = office.locator(".cf-stat").nth(1).inner_text()
    assert answered.strip() == "1"
