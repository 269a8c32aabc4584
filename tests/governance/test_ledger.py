"""The task ledger: tasks with due dates in working days, progress reports by units with evidence,
the state machine (销号 needs evidence and the office, 延期 needs approval, 暂缓, 督办), the
roll-up by weight, reminders and escalation."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangfu.core.errors import DomainError
from chuangfu.core.models import AuditEntry, Notification
from chuangfu.governance import selectors
from chuangfu.governance.models import Evidence, ProgressReport, Supervision, Task, TaskStatus
from chuangfu.governance.services import ledger, progress, reminders, task_flow

from . import builders

pytestmark = pytest.mark.django_db
S = TaskStatus


def test_a_due_date_in_working_days_follows_the_holiday_calendar():
    office = builders.office()
    task = ledger.task_create(
        actor=office,
        plan=builders.plan(),
        title="国庆前完成走访",
        lead_unit=builders.liaison().unit,
        starts_on=datetime.date(2026, 9, 30),
        workdays=5,
    )
    assert task.due_on == datetime.date(2026, 10, 13)  # 10/1–10/7 off, Sat 10/10 a make-up workday


def test_a_task_needs_a_lead_unit_and_a_due_date():
    office, plan = builders.office(), builders.plan()
    with pytest.raises(DomainError, match="牵头单位"):
        ledger.task_create(actor=office, plan=plan, title="x", lead_unit=None, starts_on=datetime.date(2026, 3, 2))
    with pytest.raises(DomainError, match="完成时限"):
        ledger.task_create(
            actor=office, plan=plan, title="x", lead_unit=builders.liaison().unit, starts_on=datetime.date(2026, 3, 2)
        )
    assert not Task.objects.exists()


def test_the_lead_and_co_units_are_told_of_a_new_task(delivered):
    lead, co = builders.liaison("市场监管所"), builders.liaison("团委")
    with delivered():
        builders.task(co=["团委"])
    assert Notification.objects.filter(recipient=lead, title__startswith="新任务").exists()
    assert "贵单位配合" in Notification.objects.get(recipient=co).body


def test_a_unit_cannot_report_on_another_units_task_and_nothing_is_saved():
    task = builders.task(lead="市场监管所")
    stranger = builders.liaison("妇联")
    with pytest.raises(DomainError, match="不由贵单位牵头或配合"):
        progress.progress_report_submit(actor=stranger, task=task, text="已完成", percent=50, files=[builders.pdf()])
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    task.refresh_from_db()
    assert (task.status, task.percent_done) == (S.NOT_STARTED, 0)


def test_a_report_with_a_bad_file_saves_nothing():
    task = builders.task()
    fake = SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError, match="类型不允许"):
        progress.progress_report_submit(
            actor=builders.liaison(), task=task, text="进展", percent=30, files=[builders.pdf(), fake]
        )
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


def test_the_first_report_starts_the_task_and_sets_its_figure_and_a_double_submit_is_one_report():
    task = builders.task()
    unit = builders.liaison()
    report = progress.progress_report_submit(
        actor=unit, task=task, text="已走访 5 家", percent=40, files=[builders.pdf()]
    )
    again = progress.progress_report_submit(actor=unit, task=task, text="已走访 5 家", percent=40)
    assert again == report and ProgressReport.objects.count() == 1
    task.refresh_from_db()
    assert (task.status, task.percent_done) == (S.IN_PROGRESS, 40)
    assert report.evidence.get().content_type == "application/pdf"
    assert AuditEntry.objects.filter(action="governance.task.start", object_id=str(task.pk)).exists()


def test_closing_needs_evidence_and_the_offices_review(delivered):
    task = builders.task()
    unit, office = builders.liaison(), builders.office()
    progress.progress_report_submit(actor=unit, task=task, text="开展中", percent=60)
    with pytest.raises(DomainError, match="佐证材料"):
        task_flow.task_transition(actor=unit, task=task, name="request_close")
    progress.progress_report_submit(actor=unit, task=task, text="已完成", percent=100, files=[builders.pdf()])
    with delivered():
        task = task_flow.task_transition(actor=unit, task=task, name="request_close")
    assert task.status == S.PENDING_CLOSE
    assert Notification.objects.filter(recipient=office, title__startswith="申请销号").exists()
    with pytest.raises(DomainError, match="角色"):
        task_flow.task_transition(actor=unit, task=task, name="approve_close")
    with pytest.raises(DomainError, match="说明"):
        task_flow.task_transition(actor=office, task=task, name="reject_close")
    with delivered():
        task = task_flow.task_transition(actor=office, task=task, name="approve_close")
    assert task.status == S.CLOSED and task.closed_on == timezone.localdate()
    assert Notification.objects.filter(recipient=unit, title__startswith="已销号").exists()


def test_a_co_unit_reports_but_only_the_lead_unit_asks_to_close():
    task = builders.task(co=["团委"])
    co = builders.liaison("团委")
    progress.progress_report_submit(actor=co, task=task, text="配合宣传", percent=100, files=[builders.pdf()])
    task.refresh_from_db()
    assert task.status == S.NOT_STARTED and task.percent_done == 0  # the lead unit's figure is the task's
    with pytest.raises(DomainError):
        task_flow.task_transition(actor=co, task=task, name="request_close")


def test_an_extension_is_asked_for_then_approved_and_moves_the_due_date(delivered):
    task = builders.task(due_on=datetime.date(2026, 6, 30))
    unit, office = builders.liaison(), builders.office()
    with pytest.raises(DomainError, match="晚于当前完成时限"):
        task_flow.task_transition(
            actor=unit, task=task, name="request_extension", note="场地", extension_until=datetime.date(2026, 6, 1)
        )
    task = task_flow.task_transition(
        actor=unit, task=task, name="request_extension", note="场地未落实", extension_until=datetime.date(2026, 8, 31)
    )
    assert task.status == S.NOT_STARTED and task.extension_until == datetime.date(2026, 8, 31)
    assert selectors.needs_decision(office)["extension"] == [task]
    with delivered():
        task = task_flow.task_transition(actor=office, task=task, name="approve_extension")
    assert (task.status, task.due_on, task.extension_until) == (S.POSTPONED, datetime.date(2026, 8, 31), None)
    assert Notification.objects.filter(recipient=unit, title__startswith="延期已批准").exists()


def test_supervision_is_recorded_told_to_the_unit_and_answered_by_the_next_report(delivered):
    task = builders.task()
    unit, leader = builders.liaison(), builders.office()
    with delivered():
        task = task_flow.task_transition(actor=leader, task=task, name="supervise", note="请本周内落实场地")
    supervision = Supervision.objects.get(task=task)
    assert supervision.answered_at is None and task.supervised_at is not None
    notice = Notification.objects.get(recipient=unit, title__startswith="督办")
    assert "请本周内落实场地" in notice.body
    progress.progress_report_submit(actor=unit, task=task, text="场地已落实", percent=20)
    supervision.refresh_from_db()
    assert supervision.answered_at is not None


def test_a_suspended_task_takes_no_reports_and_resumes():
    task = builders.task()
    office = builders.office()
    task = task_flow.task_transition(actor=office, task=task, name="suspend", note="等待区里政策")
    with pytest.raises(DomainError, match="暂缓"):
        progress.progress_report_submit(actor=builders.liaison(), task=task, text="x", percent=1)
    task = task_flow.task_transition(actor=office, task=task, name="resume")
    assert task.status == S.IN_PROGRESS


def test_progress_rolls_up_by_weight_from_milestones_to_tasks_to_the_plan_and_by_unit():
    office, unit = builders.office(), builders.liaison()
    plan = builders.plan()
    heavy = builders.task(plan, weight=3, title="重点任务")
    light = builders.task(plan, weight=1, lead="团委", title="一般任务")
    first = ledger.milestone_add(actor=office, task=heavy, title="方案", due_on=datetime.date(2026, 4, 1), weight=1)
    ledger.milestone_add(actor=office, task=heavy, title="实施", due_on=datetime.date(2026, 6, 1), weight=3)
    progress.progress_report_submit(actor=unit, task=heavy, milestone=first, text="方案已定", percent=100)
    # heavy: (1×100 + 3×0) / 4 = 25; light: 0 → plan (3×25 + 1×0) / 4 = 19
    rollup = selectors.plan_rollup(plan, today=datetime.date(2026, 5, 1))
    assert rollup.percent == 19 and rollup.tasks == 2
    assert {f.unit.name: f.percent for f in rollup.by_unit} == {"市场监管所": 25, "团委": 0}
    progress.progress_report_submit(actor=builders.liaison("团委"), task=light, text="完成", percent=100)
    assert selectors.plan_rollup(plan).percent == 44  # (3×25 + 1×100) / 4 = 43.75


def test_reminders_before_the_due_date_and_escalation_after_it_happen_once(delivered):
    today = datetime.date(2026, 6, 26)  # a Friday
    soon = builders.task(due_on=datetime.date(2026, 6, 30), title="即将到期")
    late = builders.task(due_on=datetime.date(2026, 6, 20), starts_on=datetime.date(2026, 6, 1), title="已逾期")
    unit, office = builders.liaison(), builders.office()
    Notification.objects.all().delete()
    with delivered():
        counts = reminders.reminders_send(today=today)
    assert counts["due_soon"] == 1 and counts["overdue"] == 1
    assert Notification.objects.filter(recipient=unit, title__startswith="任务即将到期").count() == 1
    assert Notification.objects.filter(recipient=office, title="任务逾期：已逾期").count() == 1
    with delivered():
        again = reminders.reminders_send(today=today)
    assert again["due_soon"] == 0 and again["overdue"] == 0
    assert soon.pk != late.pk


def test_the_periodic_task_runs_the_sweep():
    from chuangfu.governance import tasks

    builders.task(due_on=datetime.date(2020, 1, 6), starts_on=datetime.date(2020, 1, 2))
    result = tasks.send_reminders.call_local()
    assert result["overdue"] == 1
