"""The issue's journey in a real browser (Playwright driving Debian's Chromium): the office calls for
agenda items → a unit submits one → the meeting is held with attendance taken on a phone → minutes
approved and issued → a decision becomes a task → the unit reports progress with evidence (the
roll-up reads 60%) → the task is overdue and a leader supervises → the office reviews and closes it (销号) → the roll-up moves.

Without /usr/bin/chromium the test is skipped with a loud reason, except under CI=true."""

import datetime

import pytest
from django.utils import timezone

from chuangfu.governance.models import Decision, Minutes, MinutesStatus, Supervision, Task, TaskStatus
from chuangfu.governance.services import reminders
from tests.browser import page_for

from . import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_agenda_meeting_minutes_decision_task_report_supervise_close_rollup(browser, live_server, tmp_path):
    office, liaison = builders.office(display_name="陈建国"), builders.liaison(display_name="吴海涛")
    series = builders.series()
    term = builders.term(series.body)
    builders.member(term, "吴海涛", "市场监管所", user=liaison)
    builders.member(term, "朱婉清", "妇联")
    plan = builders.plan()
    meeting = builders.meeting(
        series,
        starts_at=timezone.now() + datetime.timedelta(hours=1),
        deadline=timezone.now() + datetime.timedelta(minutes=30),
        title="联席会议（浏览器）",
    )
    url = live_server.url
    desk = page_for(browser, live_server, office)

    # The office calls for agenda items.
    desk.goto(f"{url}/governance/meetings/{meeting.pk}/")
    desk.get_by_role("button", name="征集议题").click()
    desk.wait_for_selector("text=已征集议题")

    # The unit's liaison submits one on a phone.
    unit = page_for(browser, live_server, liaison, width=390, height=844)
    unit.goto(f"{url}/governance/meetings/{meeting.pk}/")
    unit.fill("#agenda-form input[name=title]", "“服务日”政策接力")
    unit.get_by_role("button", name="提交议题").click()
    unit.wait_for_selector("text=议题已提交")

    # The office puts it on the agenda, sends the notice, takes attendance on a phone, holds the meeting.
    desk.reload()
    desk.get_by_role("button", name="列入议程").click()
    desk.get_by_role("button", name="确定议程并发通知").click()
    desk.wait_for_selector("text=议程已定")
    door = page_for(browser, live_server, office, width=390, height=844)
    door.goto(f"{url}/governance/meetings/{meeting.pk}/attendance/")
    door.locator("li", has_text="吴海涛").get_by_role("button", name="出席").click()
    door.wait_for_selector("text=已登记：吴海涛")
    women = door.locator("li", has_text="朱婉清")
    women.get_by_role("button", name="委托 / 缺席").click()
    women.get_by_label("缺席原因").fill("外出培训")
    women.get_by_role("button", name="缺席", exact=True).click()
    door.wait_for_selector("text=已登记：朱婉清")
    desk.goto(f"{url}/governance/meetings/{meeting.pk}/")
    desk.get_by_role("button", name="会议已召开").click()
    desk.wait_for_selector("text=保存草稿")

    # Minutes drafted, approved, issued with a number.
    desk.fill("textarea[name=text]", "会议研究了“服务日”政策接力。")
    desk.get_by_role("button", name="保存草稿").click()
    desk.get_by_role("button", name="审定").click()
    desk.get_by_role("button", name="印发").click()
    desk.wait_for_selector("text=唐镇联席会议纪要〔")
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == MinutesStatus.ISSUED

    # A decision becomes a ledger task in one step.
    desk.get_by_text("记录议定事项（同时生成台账任务）").click()
    desk.fill("#decision-form textarea[name=text]", "市场监管所牵头举办“服务日”政策接力")
    desk.select_option("#decision-form select[name=lead_unit]", label="市场监管所")
    desk.fill("#decision-form input[name=due_on]", (timezone.localdate() + datetime.timedelta(days=3)).isoformat())
    desk.select_option("#decision-form select[name=plan]", label=plan.title)
    desk.get_by_role("button", name="记录并分派").click()
    desk.wait_for_selector("text=议定事项已记录")
    task = Decision.objects.get().task

    # The unit reports progress with evidence.
    evidence = tmp_path / "签到表.pdf"
    evidence.write_bytes(builders.PDF)
    unit.goto(f"{url}/governance/tasks/{task.pk}/")
    unit.fill("#report-form textarea[name=text]", "已完成场地与宣传")
    unit.fill("#report-form input[name=percent]", "60")
    unit.set_input_files("#report-form input[name=files]", str(evidence))
    unit.get_by_role("button", name="报送", exact=True).click()
    unit.wait_for_selector("text=签到表.pdf")
    desk.goto(f"{url}/governance/plans/{plan.pk}/")
    assert desk.locator("#plan-percent").inner_text() == "60%"

    # Time passes: the due date goes by, the daily sweep escalates, a leader supervises.
    Task.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    assert reminders.reminders_send()["overdue"] == 1
    desk.goto(f"{url}/governance/decisions/")
    desk.get_by_role("link", name="市场监管所牵头举办“服务日”政策接力").first.click()
    desk.fill("#task-actions textarea[name=note]", "请三日内办结")
    desk.get_by_role("button", name="督办").click()
    desk.wait_for_selector("text=待回应")
    assert Supervision.objects.get(task=task).note == "请三日内办结"

    # The unit finishes and asks to close; the office reviews the evidence and closes it.
    unit.reload()
    unit.fill("#report-form textarea[name=text]", "活动已举办")
    unit.fill("#report-form input[name=percent]", "100")
    unit.get_by_role("button", name="报送", exact=True).click()
    unit.wait_for_selector("text=进展已报送")
    unit.get_by_role("button", name="申请销号").click()
    unit.wait_for_selector("text=待销号")
    desk.goto(f"{url}/governance/tasks/{task.pk}/")
    desk.get_by_role("link", name="签到表.pdf").first.wait_for()
    desk.get_by_role("button", name="同意销号").click()
    desk.wait_for_selector("text=已销号")
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED

    # The roll-up moves: the plan's only task is closed.
    desk.goto(f"{url}/governance/plans/{plan.pk}/")
    assert desk.locator("#plan-percent").inner_text() == "100%"
