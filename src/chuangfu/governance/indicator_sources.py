"""Figures the indicators app reads from governance, as named source functions.

Each takes ``(jurisdiction, period)``: a ``core.models.Jurisdiction`` (its whole subtree counts, so a
district adds up its towns) and a period with ``start`` and ``end`` dates, both included (any object
with those attributes, or a ``(start, end)`` pair). Each returns a whole number computed from the
records (no stored totals); ratios are the indicators' business (numerator ÷ denominator).
``SOURCES`` names them for the indicators app to gather; ``ROWS`` gives the records behind each count
(the same rows, for drill-down) and ``EVIDENCE`` the 定性 items of 组织实施 (organisation): meetings
held, minutes issued and plan documents published (see ``chuangfu.indicators.sources``).
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.days import on_days
from chuangfu.core.scoping import within

from .models import (
    CYCLE_DAYS,
    RUNNING_STATUSES,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    PlanDocument,
    ProgressReport,
    Task,
    TaskStatus,
)


def _bounds(period) -> tuple[datetime.date, datetime.date]:
    if isinstance(period, (tuple, list)):
        return period[0], period[1]
    return period.start, period.end


def _tasks(jurisdiction):
    return Task.objects.filter(within(jurisdiction)).order_by("due_on", "id")


def tasks_due_rows(jurisdiction, period):
    start, end = _bounds(period)
    return _tasks(jurisdiction).filter(due_on__gte=start, due_on__lte=end).exclude(status=TaskStatus.SUSPENDED)


def tasks_closed_on_time_rows(jurisdiction, period):
    return tasks_due_rows(jurisdiction, period).filter(status=TaskStatus.CLOSED, closed_on__lte=F("due_on"))


def tasks_closed_rows(jurisdiction, period):
    start, end = _bounds(period)
    return _tasks(jurisdiction).filter(status=TaskStatus.CLOSED, closed_on__gte=start, closed_on__lte=end)


def meetings_held_rows(jurisdiction, period):
    start, end = _bounds(period)
    return Meeting.objects.filter(
        within(jurisdiction), on_days("starts_at", start, end), status=MeetingStatus.HELD
    ).order_by("starts_at", "id")


def attendance_expected_rows(jurisdiction, period):
    start, end = _bounds(period)
    return (
        Attendance.objects.filter(
            within(jurisdiction, "meeting__jurisdiction"),
            on_days("meeting__starts_at", start, end),
            meeting__status=MeetingStatus.HELD,
        )
        .select_related("member")
        .order_by("meeting__starts_at", "id")
    )


def attendance_present_rows(jurisdiction, period):
    return attendance_expected_rows(jurisdiction, period).filter(
        status__in=[AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE]
    )


def decisions_made_rows(jurisdiction, period):
    start, end = _bounds(period)
    return Decision.objects.filter(
        within(jurisdiction, "meeting__jurisdiction"),
        on_days("meeting__starts_at", start, end),
    ).order_by("meeting__starts_at", "id")


def decisions_done_rows(jurisdiction, period):
    return decisions_made_rows(jurisdiction, period).filter(task__status=TaskStatus.CLOSED)


def tasks_due(jurisdiction, period) -> int:
    """Ledger tasks whose (current) due date falls in the period, suspended ones left out."""
    return tasks_due_rows(jurisdiction, period).count()


def tasks_closed_on_time(jurisdiction, period) -> int:
    """Of ``tasks_due``: those closed (已销号) on or before their due date."""
    return tasks_closed_on_time_rows(jurisdiction, period).count()


def tasks_closed(jurisdiction, period) -> int:
    """Tasks closed (已销号) in the period, on time or not."""
    return tasks_closed_rows(jurisdiction, period).count()


def meetings_held(jurisdiction, period) -> int:
    """Meetings (joint meetings and 汇报会议) held in the period."""
    return meetings_held_rows(jurisdiction, period).count()


def attendance_expected(jurisdiction, period) -> int:
    """Attendance records of meetings held in the period (one per member recorded)."""
    return attendance_expected_rows(jurisdiction, period).count()


def attendance_present(jurisdiction, period) -> int:
    """Of ``attendance_expected``: present in person or by a named substitute."""
    return attendance_present_rows(jurisdiction, period).count()


def decisions_made(jurisdiction, period) -> int:
    """议定事项 recorded at meetings held in the period."""
    return decisions_made_rows(jurisdiction, period).count()


def decisions_done(jurisdiction, period) -> int:
    """Of ``decisions_made``: those whose ledger task is closed (已销号)."""
    return decisions_done_rows(jurisdiction, period).count()


def organisation_evidence(jurisdiction, period) -> list[tuple]:
    """定性 evidence of 组织实施: each meeting held, each 会议纪要 issued and each plan document published
    in the period, as ``(date, title, kind)``."""
    start, end = _bounds(period)
    held = [
        (timezone.localdate(m.starts_at), m.title, str(m.series.get_kind_display()))
        for m in meetings_held_rows(jurisdiction, period).select_related("series")
    ]
    minutes = [
        (timezone.localdate(m.issued_at), f"{m.number} {m.meeting.title}", str(Minutes._meta.verbose_name))
        for m in Minutes.objects.filter(
            within(jurisdiction, "meeting__jurisdiction"),
            on_days("issued_at", start, end),
            status=MinutesStatus.ISSUED,
        )
        .select_related("meeting")
        .order_by("issued_at", "id")
    ]
    documents = [
        (timezone.localdate(d.published_at), d.title, str(PlanDocument._meta.verbose_name))
        for d in PlanDocument.objects.filter(within(jurisdiction), on_days("published_at", start, end)).order_by(
            "published_at", "id"
        )
    ]
    return held + minutes + documents


SOURCES = {
    "governance.tasks_due": tasks_due,
    "governance.tasks_closed_on_time": tasks_closed_on_time,
    "governance.tasks_closed": tasks_closed,
    "governance.meetings_held": meetings_held,
    "governance.attendance_expected": attendance_expected,
    "governance.attendance_present": attendance_present,
    "governance.decisions_made": decisions_made,
    "governance.decisions_done": decisions_done,
}
ROWS = {
    "governance.tasks_due": tasks_due_rows,
    "governance.tasks_closed_on_time": tasks_closed_on_time_rows,
    "governance.tasks_closed": tasks_closed_rows,
    "governance.meetings_held": meetings_held_rows,
    "governance.attendance_expected": attendance_expected_rows,
    "governance.attendance_present": attendance_present_rows,
    "governance.decisions_made": decisions_made_rows,
    "governance.decisions_done": decisions_done_rows,
}
EVIDENCE = {"organisation": organisation_evidence}


# --- per member unit, for the unit scorecards (考评): tasks by their lead unit, attendance by the
# member's unit ----------------------------------------------------------------------------------


def _attendance_rows(jurisdiction, period):
    start, end = _bounds(period)
    return Attendance.objects.filter(
        within(jurisdiction, "meeting__jurisdiction"),
        on_days("meeting__starts_at", start, end),
        meeting__status=MeetingStatus.HELD,
        member__unit__isnull=False,
    )


_ON_TIME = Q(status=TaskStatus.CLOSED, closed_on__lte=F("due_on"))
_PRESENT = Q(status__in=[AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE])


def _by(qs, field: str) -> dict[int, int]:
    return dict(qs.order_by().values(field).annotate(n=Count("id")).values_list(field, "n"))


def unit_tasks_due(jurisdiction, period) -> dict[int, int]:
    """Ledger tasks led by the unit whose due date falls in the period (suspended ones left out)."""
    return _by(tasks_due_rows(jurisdiction, period), "lead_unit_id")


def unit_tasks_closed_on_time(jurisdiction, period) -> dict[int, int]:
    """Of ``unit_tasks_due``: closed (已销号) on or before their due date."""
    return _by(tasks_due_rows(jurisdiction, period).filter(_ON_TIME), "lead_unit_id")


def unit_attendance_expected(jurisdiction, period) -> dict[int, int]:
    """Attendance records of the unit's members at meetings held in the period."""
    return _by(_attendance_rows(jurisdiction, period), "member__unit_id")


def unit_attendance_present(jurisdiction, period) -> dict[int, int]:
    """Of ``unit_attendance_expected``: present in person or by a named substitute."""
    return _by(_attendance_rows(jurisdiction, period).filter(_PRESENT), "member__unit_id")


# --- reports on time (按时报送): a task owes its lead unit's report once per report cycle --------------
# The cycles of a task are consecutive spans of its cycle's length (CYCLE_DAYS: 7, 30 or 91 days)
# from its start date, as the report reminders count them. A cycle is owed once it has ended (before
# today) while the task was open — a closed task owes none after its closing date, a suspended task
# (暂缓) none at all — and counts in the period its last day falls in. It is reported on time when the
# lead unit filed at least one progress report dated within it. A co-unit's reports answer for its
# part, not for the task (decision 16).


@dataclass(frozen=True)
class ReportCycleDue:
    task_id: int
    unit_id: int
    start: datetime.date
    end: datetime.date
    report_id: int | None  # the lead unit's first report within the cycle; None: not reported on time


def report_cycles(jurisdiction, period, *, today: datetime.date | None = None) -> list[ReportCycleDue]:
    """Every report cycle owed in ``period`` by the tasks of ``jurisdiction``'s subtree, with the
    report that answered it. Two reads: the tasks, and their lead units' reports in the cycles' span."""
    start, end = _bounds(period)
    today = today or timezone.localdate()
    last_day = min(end, today - datetime.timedelta(days=1))  # a cycle that ends today may still be answered
    longest = max(CYCLE_DAYS.values())
    tasks = list(
        Task.objects.filter(within(jurisdiction), starts_on__lte=last_day)
        .exclude(status=TaskStatus.SUSPENDED)
        .exclude(closed_on__lt=start)
        .order_by("id")
        .values_list("id", "lead_unit_id", "starts_on", "report_cycle", "closed_on")
    )
    if not tasks:
        return []
    reports: dict[tuple[int, int], list[tuple[datetime.date, int]]] = {}
    since = timezone.make_aware(datetime.datetime.combine(start - datetime.timedelta(days=longest), datetime.time()))
    for task_id, unit_id, at, pk in ProgressReport.objects.filter(
        on_days("created_at", None, last_day), task__in=[t[0] for t in tasks], created_at__gte=since
    ).values_list("task_id", "unit_id", "created_at", "id"):
        reports.setdefault((task_id, unit_id), []).append((timezone.localdate(at), pk))
    owed = []
    for task_id, unit_id, starts_on, cycle, closed_on in tasks:
        days = CYCLE_DAYS[cycle]
        open_until = min(last_day, closed_on) if closed_on else last_day
        filed = sorted(reports.get((task_id, unit_id), []))
        # the first cycle that may end in the period, then each one ending by the task's last open day
        k = max(0, (start - starts_on).days // days - 1)
        while True:
            cycle_start = starts_on + datetime.timedelta(days=k * days)
            cycle_end = cycle_start + datetime.timedelta(days=days - 1)
            if cycle_end > open_until:
                break
            if cycle_end >= start:
                answer = next((pk for day, pk in filed if cycle_start <= day <= cycle_end), None)
                owed.append(ReportCycleDue(task_id, unit_id, cycle_start, cycle_end, answer))
            k += 1
    return owed


def reports_due(jurisdiction, period) -> int:
    """Report cycles of ledger tasks that ended in the period while the task was open (one report owed each)."""
    return len(report_cycles(jurisdiction, period))


def reports_on_time(jurisdiction, period) -> int:
    """Of ``reports_due``: cycles in which the lead unit filed a progress report."""
    return sum(1 for c in report_cycles(jurisdiction, period) if c.report_id is not None)


def reports_due_rows(jurisdiction, period, unit_id: int | None = None):
    """The tasks that owed the reports (a task owes one per cycle, so it may stand for several)."""
    ids = {c.task_id for c in report_cycles(jurisdiction, period) if unit_id is None or c.unit_id == unit_id}
    return _tasks(jurisdiction).filter(pk__in=ids)


def reports_on_time_rows(jurisdiction, period, unit_id: int | None = None):
    """The reports that answered a cycle on time (the first of each cycle)."""
    ids = [
        c.report_id
        for c in report_cycles(jurisdiction, period)
        if c.report_id is not None and (unit_id is None or c.unit_id == unit_id)
    ]
    return ProgressReport.objects.filter(pk__in=ids).order_by("created_at", "id")


def unit_reports_due(jurisdiction, period) -> dict[int, int]:
    """Report cycles owed by the unit as lead unit of ledger tasks, ended in the period."""
    return dict(Counter(c.unit_id for c in report_cycles(jurisdiction, period)))


def unit_reports_on_time(jurisdiction, period) -> dict[int, int]:
    """Of ``unit_reports_due``: cycles in which the unit filed a progress report."""
    return dict(Counter(c.unit_id for c in report_cycles(jurisdiction, period) if c.report_id is not None))


SOURCES.update({"governance.reports_due": reports_due, "governance.reports_on_time": reports_on_time})
ROWS.update({"governance.reports_due": reports_due_rows, "governance.reports_on_time": reports_on_time_rows})


UNIT_SOURCES = {
    "governance.unit_tasks_due": unit_tasks_due,
    "governance.unit_tasks_closed_on_time": unit_tasks_closed_on_time,
    "governance.unit_attendance_expected": unit_attendance_expected,
    "governance.unit_attendance_present": unit_attendance_present,
    "governance.unit_reports_due": unit_reports_due,
    "governance.unit_reports_on_time": unit_reports_on_time,
}
UNIT_ROWS = {
    "governance.unit_tasks_due": lambda j, p, unit: tasks_due_rows(j, p).filter(lead_unit_id=unit),
    "governance.unit_tasks_closed_on_time": lambda j, p, unit: tasks_due_rows(j, p).filter(_ON_TIME, lead_unit_id=unit),
    "governance.unit_attendance_expected": lambda j, p, unit: _attendance_rows(j, p).filter(member__unit_id=unit),
    "governance.unit_attendance_present": lambda j, p, unit: _attendance_rows(j, p).filter(
        _PRESENT, member__unit_id=unit
    ),
    "governance.unit_reports_due": lambda j, p, unit: reports_due_rows(j, p, unit),
    "governance.unit_reports_on_time": lambda j, p, unit: reports_on_time_rows(j, p, unit),
}


# --- awaiting a decision, for the leadership dashboard -------------------------------------------

DECISIONS_SHOWN = 5


def _listed(qs, note) -> tuple[int, list[tuple]]:
    newest = list(qs.select_related("lead_unit").order_by("due_on", "id")[:DECISIONS_SHOWN])
    items = [(f"{t.title} · {t.lead_unit.name}", reverse("governance:task", args=[t.pk]), note(t)) for t in newest]
    return (qs.count() if len(newest) == DECISIONS_SHOWN else len(newest)), items


def extension_requests(jurisdiction):
    """Tasks whose lead unit asked for a later due date, waiting for the office."""
    return _listed(
        Task.objects.filter(within(jurisdiction), status__in=RUNNING_STATUSES, extension_until__isnull=False),
        lambda t: f"{t.due_on:%Y-%m-%d} → {t.extension_until:%Y-%m-%d}",
    )


def closing_requests(jurisdiction):
    """Tasks a unit reported done (待销号), waiting for the office to review the evidence and close them."""
    return _listed(Task.objects.filter(within(jurisdiction), status=TaskStatus.PENDING_CLOSE), lambda t: "")


def overdue_unsupervised(jurisdiction):
    """Running tasks past their due date that no leader has pressed (督办) yet."""
    return _listed(
        Task.objects.filter(
            within(jurisdiction),
            status__in=RUNNING_STATUSES,
            due_on__lt=timezone.localdate(),
            supervised_at__isnull=True,
        ),
        lambda t: f"{t.due_on:%Y-%m-%d}",
    )


DECISIONS = {
    "governance.extension_requests": (_("待审批的任务延期申请"), extension_requests),
    "governance.closing_requests": (_("待销号审核的任务"), closing_requests),
    "governance.overdue": (_("逾期未督办的任务"), overdue_unsupervised),
}
