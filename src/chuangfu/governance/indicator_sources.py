"""Figures the indicators app reads from governance, as named source functions.

Each takes ``(jurisdiction, period)``: a ``core.models.Jurisdiction`` (its whole subtree counts, so a
district adds up its towns) and a period with ``start`` and ``end`` dates, both included (any object
with those attributes, or a ``(start, end)`` pair). Each returns a whole number computed from the
records (no stored totals); ratios are the indicators' business (numerator ÷ denominator).
``SOURCES`` names them for the indicators app to gather.
"""

import datetime

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    RUNNING_STATUSES,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingStatus,
    Task,
    TaskStatus,
)


def _bounds(period) -> tuple[datetime.date, datetime.date]:
    if isinstance(period, (tuple, list)):
        return period[0], period[1]
    return period.start, period.end


def _in(jurisdiction, field: str = "jurisdiction") -> Q:
    return Q(**{f"{field}__path": jurisdiction.path}) | Q(**{f"{field}__path__startswith": f"{jurisdiction.path}/"})


def tasks_due(jurisdiction, period) -> int:
    """Ledger tasks whose (current) due date falls in the period, suspended ones left out."""
    start, end = _bounds(period)
    return (
        Task.objects.filter(_in(jurisdiction), due_on__gte=start, due_on__lte=end)
        .exclude(status=TaskStatus.SUSPENDED)
        .count()
    )


def tasks_closed_on_time(jurisdiction, period) -> int:
    """Of ``tasks_due``: those closed (已销号) on or before their due date."""
    start, end = _bounds(period)
    return Task.objects.filter(
        _in(jurisdiction), due_on__gte=start, due_on__lte=end, status=TaskStatus.CLOSED, closed_on__lte=F("due_on")
    ).count()


def tasks_closed(jurisdiction, period) -> int:
    """Tasks closed (已销号) in the period, on time or not."""
    start, end = _bounds(period)
    return Task.objects.filter(
        _in(jurisdiction), status=TaskStatus.CLOSED, closed_on__gte=start, closed_on__lte=end
    ).count()


def meetings_held(jurisdiction, period) -> int:
    """Meetings (joint meetings and 汇报会议) held in the period."""
    start, end = _bounds(period)
    return Meeting.objects.filter(
        _in(jurisdiction), status=MeetingStatus.HELD, starts_at__date__gte=start, starts_at__date__lte=end
    ).count()


def attendance_expected(jurisdiction, period) -> int:
    """Attendance records of meetings held in the period (one per member recorded)."""
    start, end = _bounds(period)
    return Attendance.objects.filter(
        _in(jurisdiction, "meeting__jurisdiction"),
        meeting__status=MeetingStatus.HELD,
        meeting__starts_at__date__gte=start,
        meeting__starts_at__date__lte=end,
    ).count()


def attendance_present(jurisdiction, period) -> int:
    """Of ``attendance_expected``: present in person or by a named substitute."""
    start, end = _bounds(period)
    return Attendance.objects.filter(
        _in(jurisdiction, "meeting__jurisdiction"),
        meeting__status=MeetingStatus.HELD,
        meeting__starts_at__date__gte=start,
        meeting__starts_at__date__lte=end,
        status__in=[AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE],
    ).count()


def decisions_made(jurisdiction, period) -> int:
    """议定事项 recorded at meetings held in the period."""
    start, end = _bounds(period)
    return Decision.objects.filter(
        _in(jurisdiction, "meeting__jurisdiction"),
        meeting__starts_at__date__gte=start,
        meeting__starts_at__date__lte=end,
    ).count()


def decisions_done(jurisdiction, period) -> int:
    """Of ``decisions_made``: those whose ledger task is closed (已销号)."""
    start, end = _bounds(period)
    return Decision.objects.filter(
        _in(jurisdiction, "meeting__jurisdiction"),
        meeting__starts_at__date__gte=start,
        meeting__starts_at__date__lte=end,
        task__status=TaskStatus.CLOSED,
    ).count()


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


# --- per member unit, for the unit scorecards (考评): tasks by their lead unit, attendance by the
# member's unit ----------------------------------------------------------------------------------


def _tasks_due_rows(jurisdiction, period):
    start, end = _bounds(period)
    return Task.objects.filter(_in(jurisdiction), due_on__gte=start, due_on__lte=end).exclude(
        status=TaskStatus.SUSPENDED
    )


def _attendance_rows(jurisdiction, period):
    start, end = _bounds(period)
    return Attendance.objects.filter(
        _in(jurisdiction, "meeting__jurisdiction"),
        meeting__status=MeetingStatus.HELD,
        meeting__starts_at__date__gte=start,
        meeting__starts_at__date__lte=end,
        member__unit__isnull=False,
    )


_ON_TIME = Q(status=TaskStatus.CLOSED, closed_on__lte=F("due_on"))
_PRESENT = Q(status__in=[AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE])


def _by(qs, field: str) -> dict[int, int]:
    return dict(qs.order_by().values(field).annotate(n=Count("id")).values_list(field, "n"))


def unit_tasks_due(jurisdiction, period) -> dict[int, int]:
    """Ledger tasks led by the unit whose due date falls in the period (suspended ones left out)."""
    return _by(_tasks_due_rows(jurisdiction, period), "lead_unit_id")


def unit_tasks_closed_on_time(jurisdiction, period) -> dict[int, int]:
    """Of ``unit_tasks_due``: closed (已销号) on or before their due date."""
    return _by(_tasks_due_rows(jurisdiction, period).filter(_ON_TIME), "lead_unit_id")


def unit_attendance_expected(jurisdiction, period) -> dict[int, int]:
    """Attendance records of the unit's members at meetings held in the period."""
    return _by(_attendance_rows(jurisdiction, period), "member__unit_id")


def unit_attendance_present(jurisdiction, period) -> dict[int, int]:
    """Of ``unit_attendance_expected``: present in person or by a named substitute."""
    return _by(_attendance_rows(jurisdiction, period).filter(_PRESENT), "member__unit_id")


UNIT_SOURCES = {
    "governance.unit_tasks_due": unit_tasks_due,
    "governance.unit_tasks_closed_on_time": unit_tasks_closed_on_time,
    "governance.unit_attendance_expected": unit_attendance_expected,
    "governance.unit_attendance_present": unit_attendance_present,
}
UNIT_ROWS = {
    "governance.unit_tasks_due": lambda j, p, unit: _tasks_due_rows(j, p).filter(lead_unit_id=unit),
    "governance.unit_tasks_closed_on_time": lambda j, p, unit: _tasks_due_rows(j, p).filter(
        _ON_TIME, lead_unit_id=unit
    ),
    "governance.unit_attendance_expected": lambda j, p, unit: _attendance_rows(j, p).filter(member__unit_id=unit),
    "governance.unit_attendance_present": lambda j, p, unit: _attendance_rows(j, p).filter(
        _PRESENT, member__unit_id=unit
    ),
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
        Task.objects.filter(_in(jurisdiction), status__in=RUNNING_STATUSES, extension_until__isnull=False),
        lambda t: f"{t.due_on:%Y-%m-%d} → {t.extension_until:%Y-%m-%d}",
    )


def closing_requests(jurisdiction):
    """Tasks a unit reported done (待销号), waiting for the office to review the evidence and close them."""
    return _listed(Task.objects.filter(_in(jurisdiction), status=TaskStatus.PENDING_CLOSE), lambda t: "")


def overdue_unsupervised(jurisdiction):
    """Running tasks past their due date that no leader has pressed (督办) yet."""
    return _listed(
        Task.objects.filter(
            _in(jurisdiction), status__in=RUNNING_STATUSES, due_on__lt=timezone.localdate(), supervised_at__isnull=True
        ),
        lambda t: f"{t.due_on:%Y-%m-%d}",
    )


DECISIONS = {
    "governance.extension_requests": (_("待审批的任务延期申请"), extension_requests),
    "governance.closing_requests": (_("待销号审核的任务"), closing_requests),
    "governance.overdue": (_("逾期未督办的任务"), overdue_unsupervised),
}
