"""Reads shared by the pages and the API, scoped by the actor.

The office (role ``leader``) and the admin see their jurisdiction's bodies, meetings and tasks; a
unit liaison sees the bodies of their town and the tasks their unit leads or co-handles. Anything
outside is "not found".
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from chuangfu.core.audit import history_for
from chuangfu.core.errors import NotFound
from chuangfu.core.models import Unit
from chuangfu.core.scoping import scope_by_jurisdiction

from .access import can_use, is_office, is_unit_liaison
from .models import (
    RUNNING_STATUSES,
    AgendaItem,
    Body,
    Decision,
    Evidence,
    Meeting,
    MeetingSeries,
    Membership,
    Milestone,
    Minutes,
    MinutesStatus,
    Plan,
    PlanDocument,
    ProgressReport,
    Task,
    TaskStatus,
    Term,
    UnitPlanItem,
)


def bodies_for(actor) -> QuerySet:
    if not can_use(actor):
        return Body.objects.none()
    return scope_by_jurisdiction(Body.objects.select_related("jurisdiction", "parent"), actor)


def get_body_for(actor, pk) -> Body:
    try:
        return bodies_for(actor).get(pk=pk)
    except (Body.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def get_member_for(actor, pk) -> Membership:
    try:
        return Membership.objects.select_related("term__body").get(pk=pk, term__body__in=bodies_for(actor).values("pk"))
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def get_term_for(actor, pk) -> Term:
    try:
        return Term.objects.select_related("body").get(pk=pk, body__in=bodies_for(actor).values("pk"))
    except (Term.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def terms_of(body: Body) -> list[Term]:
    """The body's terms, newest first, each with its members (current first, then those who left)."""
    members = Membership.objects.select_related("unit").order_by("left_on", "position_order", "joined_on", "id")
    return list(body.terms.prefetch_related(Prefetch("memberships", queryset=members)))


def current_members(body: Body) -> QuerySet:
    return Membership.objects.filter(term__body=body, left_on__isnull=True).select_related("unit")


# --- the task ledger ------------------------------------------------------------------------------


def plans_for(actor) -> QuerySet:
    if not can_use(actor):
        return Plan.objects.none()
    return scope_by_jurisdiction(Plan.objects.select_related("jurisdiction"), actor)


def get_plan_for(actor, pk) -> Plan:
    try:
        return plans_for(actor).get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def plan_items_for(actor) -> QuerySet:
    """Units' own plan items: the office sees its jurisdiction's, a liaison their unit's."""
    qs = UnitPlanItem.objects.all()
    if is_office(actor):
        return scope_by_jurisdiction(qs, actor)
    if is_unit_liaison(actor):
        return scope_by_jurisdiction(qs, actor).filter(unit_id=actor.unit_id)
    return qs.none()


def unit_task_ids(unit_id: int) -> QuerySet:
    return Task.co_units.through.objects.filter(unit_id=unit_id).values("task_id")


def tasks_for(actor) -> QuerySet:
    """The office sees every task of its jurisdiction; a liaison those their unit leads or co-handles."""
    qs = Task.objects.select_related("lead_unit", "plan")
    if is_office(actor):
        return scope_by_jurisdiction(qs, actor)
    if is_unit_liaison(actor):
        qs = scope_by_jurisdiction(qs, actor)
        return qs.filter(Q(lead_unit_id=actor.unit_id) | Q(pk__in=unit_task_ids(actor.unit_id)))
    return qs.none()


def get_task_for(actor, pk) -> Task:
    try:
        return tasks_for(actor).get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def get_evidence_for(actor, pk) -> Evidence:
    try:
        return Evidence.objects.select_related("report").get(pk=pk, report__task__in=tasks_for(actor).values("pk"))
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass
class LedgerFilters:
    plan: int | None = None
    unit: int | None = None
    status: str = ""
    due_before: datetime.date | None = None
    overdue: bool = False
    supervised: bool = False
    q: str = ""


def ledger(*, actor, filters: LedgerFilters, today: datetime.date | None = None) -> QuerySet:
    """The ledger rows ``actor`` may see, filtered; ordered by due date."""
    today = today or timezone.localdate()
    qs = tasks_for(actor)
    if filters.plan:
        qs = qs.filter(plan_id=filters.plan)
    if filters.unit:
        qs = qs.filter(Q(lead_unit_id=filters.unit) | Q(pk__in=unit_task_ids(filters.unit)))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.due_before:
        qs = qs.filter(due_on__lte=filters.due_before)
    if filters.overdue:
        qs = qs.filter(status__in=RUNNING_STATUSES, due_on__lt=today)
    if filters.supervised:
        qs = qs.filter(supervised_at__isnull=False).exclude(status=TaskStatus.CLOSED)
    if filters.q:
        qs = qs.filter(title__icontains=filters.q)
    return qs.order_by("due_on", "id")


def task_percent(*, status: str, own: int) -> int:
    """A task's progress: 100 once closed, else its figure (kept from its milestones by weight, or
    from the lead unit's last report when it has none: see ``services.progress``)."""
    return 100 if status == TaskStatus.CLOSED else own


def with_progress(tasks) -> list[Task]:
    """The tasks with ``progress`` and ``overdue`` set for display."""
    tasks = list(tasks)
    today = timezone.localdate()
    for task in tasks:
        task.progress = task_percent(status=task.status, own=task.percent_done)
        task.overdue = task.is_overdue(today)
    return tasks


@dataclass
class UnitFigure:
    unit: Unit
    tasks: int
    closed: int
    overdue: int
    percent: int


@dataclass
class Rollup:
    percent: int
    tasks: int
    by_status: dict
    overdue: int
    by_unit: list


def plan_rollup(plan: Plan, *, today: datetime.date | None = None) -> Rollup:
    """The plan's progress by weight (milestones → tasks → plan) and each lead unit's, added up by the
    database in two grouped reads (by lead unit, by status): each task's figure already holds its
    milestones by weight (``services.progress``), and a closed task counts as 100."""
    today = today or timezone.localdate()
    tasks = Task.objects.filter(plan=plan).order_by()
    progress = Case(
        When(status=TaskStatus.CLOSED, then=Value(100)), default=F("percent_done"), output_field=IntegerField()
    )
    late = Q(status__in=RUNNING_STATUSES, due_on__lt=today)
    per_unit = tasks.values("lead_unit_id").annotate(
        tasks=Count("id"),
        closed=Count("id", filter=Q(status=TaskStatus.CLOSED)),
        overdue=Count("id", filter=late),
        weighted=Sum(F("weight") * progress, output_field=IntegerField()),
        weights=Sum("weight"),
    )
    rows = list(per_unit)
    names = Unit.objects.in_bulk([r["lead_unit_id"] for r in rows])
    by_unit = sorted(
        (
            UnitFigure(
                names[r["lead_unit_id"]], r["tasks"], r["closed"], r["overdue"], round(r["weighted"] / r["weights"])
            )
            for r in rows
        ),
        key=lambda f: (f.percent, f.unit.name),
    )
    total_weight = sum(r["weights"] for r in rows)
    return Rollup(
        percent=round(sum(r["weighted"] for r in rows) / total_weight) if total_weight else 0,
        tasks=sum(r["tasks"] for r in rows),
        by_status=dict(tasks.values_list("status").annotate(n=Count("id")).values_list("status", "n")),
        overdue=sum(r["overdue"] for r in rows),
        by_unit=by_unit,
    )


def reports_of(task: Task) -> QuerySet:
    return (
        ProgressReport.objects.filter(task=task)
        .select_related("unit", "author", "milestone")
        .prefetch_related("evidence")
    )


def task_history(task: Task) -> QuerySet:
    return history_for(task)


def needs_decision(actor, *, today: datetime.date | None = None) -> dict:
    """What waits on the leadership: requests to close, extension requests, overdue tasks not yet supervised."""
    today = today or timezone.localdate()
    if not is_office(actor):
        return {"close": [], "extension": [], "overdue": []}
    tasks = tasks_for(actor)
    return {
        "close": list(tasks.filter(status=TaskStatus.PENDING_CLOSE).order_by("due_on")[:100]),
        "extension": list(tasks.filter(extension_until__isnull=False, status__in=RUNNING_STATUSES)[:100]),
        "overdue": list(
            tasks.filter(status__in=RUNNING_STATUSES, due_on__lt=today)
            .filter(Q(supervised_at__isnull=True) | Q(supervised_at__date__lt=F("due_on")))
            .order_by("due_on")[:100]
        ),
    }


def timeline(plan: Plan, *, unit: int | None = None) -> list[dict]:
    """Milestones of the plan's tasks for the Gantt-like chart: each bar runs from the task's start
    or its previous milestone to the milestone's due date, with its figure and whether it is late."""
    qs = Milestone.objects.filter(task__plan=plan).select_related("task__lead_unit")
    if unit:
        qs = qs.filter(task__lead_unit_id=unit)
    today = timezone.localdate()
    bars, previous = [], {}
    for m in qs.order_by("task__due_on", "task_id", "due_on", "id")[:500]:
        closed = m.task.status == TaskStatus.CLOSED
        bars.append(
            {
                "task": m.task.title,
                "task_id": m.task_id,
                "unit": m.task.lead_unit.name,
                "title": m.title,
                "from": previous.get(m.task_id, m.task.starts_on).isoformat(),
                "due_on": m.due_on.isoformat(),
                "percent": 100 if closed else m.percent_done,
                "late": not closed and m.percent_done < 100 and m.due_on < today,
            }
        )
        previous[m.task_id] = m.due_on
    return bars


# --- meetings -------------------------------------------------------------------------------------


def series_for(actor) -> QuerySet:
    if not can_use(actor):
        return MeetingSeries.objects.none()
    return scope_by_jurisdiction(MeetingSeries.objects.select_related("body"), actor)


def get_series_for(actor, pk) -> MeetingSeries:
    try:
        return series_for(actor).get(pk=pk)
    except (MeetingSeries.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def meetings_for(actor) -> QuerySet:
    """Meetings of the actor's jurisdiction: the office runs them, member units take part."""
    if not can_use(actor):
        return Meeting.objects.none()
    return scope_by_jurisdiction(Meeting.objects.select_related("series", "series__body"), actor)


def get_meeting_for(actor, pk) -> Meeting:
    try:
        return meetings_for(actor).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def get_agenda_item_for(actor, pk) -> AgendaItem:
    try:
        return AgendaItem.objects.select_related("meeting").get(pk=pk, meeting__in=meetings_for(actor).values("pk"))
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def get_minutes_for(actor, pk) -> Minutes:
    """A unit liaison reads issued minutes only; the office every version."""
    qs = Minutes.objects.select_related("meeting", "meeting__series").filter(
        meeting__in=meetings_for(actor).values("pk")
    )
    if not is_office(actor):
        qs = qs.filter(status=MinutesStatus.ISSUED)
    try:
        return qs.get(pk=pk)
    except (Minutes.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def meeting_members(meeting: Meeting) -> QuerySet:
    """The body's members serving on the meeting's day (in whatever term), in seating order."""
    day = timezone.localdate(meeting.starts_at)
    return (
        Membership.objects.filter(term__body_id=meeting.series.body_id, joined_on__lte=day)
        .exclude(left_on__lt=day)
        .select_related("unit", "user")
        .order_by("position_order", "joined_on", "id")
    )


def attendance_sheet(meeting: Meeting) -> list[tuple]:
    """(member, attendance or None) for every member serving on the meeting's day."""
    records = {a.member_id: a for a in meeting.attendance.all()}
    return [(m, records.get(m.pk)) for m in meeting_members(meeting)]


def decisions_of(meeting: Meeting) -> QuerySet:
    return meeting.decisions.select_related("lead_unit", "task").prefetch_related("co_units")


def decisions_for(actor) -> QuerySet:
    return (
        Decision.objects.filter(meeting__in=meetings_for(actor).values("pk"))
        .select_related("meeting", "lead_unit", "task")
        .prefetch_related("co_units")
        .order_by("-meeting__starts_at", "id")
    )


# --- plan documents -------------------------------------------------------------------------------


def get_document_for(actor, pk) -> PlanDocument:
    if not can_use(actor):
        raise NotFound()
    try:
        return scope_by_jurisdiction(PlanDocument.objects.select_related("plan"), actor).get(pk=pk)
    except (PlanDocument.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def documents_of(plan: Plan) -> list[dict]:
    """The plan's documents, each with the town's units that acknowledged it and those that have not."""
    units = list(Unit.objects.filter(jurisdiction_id=plan.jurisdiction_id, active=True).order_by("name"))
    out = []
    for document in plan.documents.prefetch_related("acknowledgements"):
        acks = {a.unit_id: a for a in document.acknowledgements.all()}
        out.append(
            {
                "document": document,
                "acknowledged": [(u, acks[u.pk]) for u in units if u.pk in acks],
                "pending": [u for u in units if u.pk not in acks],
                "acked_unit_ids": set(acks),
            }
        )
    return out
