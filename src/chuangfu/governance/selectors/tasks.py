"""Plans, plan items and tasks, scoped by the actor; a task's evidence, reports and history; what
waits for the office's decision; a plan's timeline and documents."""

import datetime

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from chuangfu.core.audit import history_for
from chuangfu.core.errors import NotFound
from chuangfu.core.models import Unit
from chuangfu.core.scoping import scope_by_jurisdiction, visible_jurisdiction_ids

from ..access import can_use, is_office, is_unit_liaison
from ..models import (
    RUNNING_STATUSES,
    Evidence,
    Milestone,
    Plan,
    PlanDocument,
    ProgressReport,
    Task,
    TaskStatus,
    UnitPlanItem,
)


def plans_for(actor) -> QuerySet:
    if not can_use(actor):
        return Plan.objects.none()
    return scope_by_jurisdiction(Plan.objects.select_related("jurisdiction"), actor)


def get_plan_for(actor, pk) -> Plan:
    try:
        return plans_for(actor).get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def get_plan_ref_for(actor, pk) -> Plan:
    """The plan's id, title and jurisdiction only, for the roll-up API: one plain read in place of
    ``get_plan_for``'s compiled, joined query (a fifth of the roll-up's CPU; decision 26). Same
    scope: outside it, or not a number, is "not found"."""
    ids = visible_jurisdiction_ids(actor) if can_use(actor) else []
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, title, jurisdiction_id FROM {q(Plan._meta.db_table)} WHERE id = %s", [pk])
        row = cursor.fetchone()
    if row is None or (ids is not None and row[2] not in ids):
        raise NotFound()
    return Plan(id=row[0], title=row[1], jurisdiction_id=row[2])


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
