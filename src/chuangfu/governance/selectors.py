"""Reads shared by the pages and the API, scoped by the actor.

The office (role ``leader``) and the admin see their jurisdiction's bodies, meetings and tasks; a
unit liaison sees the bodies of their town and the tasks their unit leads or co-handles. Anything
outside is "not found".
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from chuangfu.core.audit import history_for
from chuangfu.core.errors import NotFound
from chuangfu.core.models import Unit
from chuangfu.core.scoping import scope_by_jurisdiction, visible_jurisdiction_ids

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


def _names(model, ids, *, column: str = "name") -> dict[int, str]:
    """``{id: name}`` of the given rows, in one plain read."""
    if not ids:
        return {}
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {q(column)} FROM {q(model._meta.db_table)} WHERE id IN ({', '.join(['%s'] * len(ids))})",
            list(ids),
        )
        return dict(cursor.fetchall())


def ledger_choices(actor) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The ledger filter's plans ``(id, title)`` the actor may see, newest year first, and the active
    units ``(id, name)`` of the actor's own jurisdiction, by name. Plain SQL: the ORM took longer to
    build these two trivial reads than the page's rows (decision 26, as decision 12 for the desk)."""
    ids = visible_jurisdiction_ids(actor) if can_use(actor) else []
    if ids == []:
        return [], []
    q = connection.ops.quote_name
    plan, unit = q(Plan._meta.db_table), q(Unit._meta.db_table)
    where, params = ("", []) if ids is None else (f"WHERE jurisdiction_id IN ({', '.join(['%s'] * len(ids))})", ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, title FROM {plan} {where} ORDER BY year DESC, id", params)
        plans = cursor.fetchall()
        units = []
        if actor.jurisdiction_id is not None:
            cursor.execute(
                f"SELECT id, name FROM {unit} WHERE jurisdiction_id = %s AND active ORDER BY name",
                [actor.jurisdiction_id],
            )
            units = cursor.fetchall()
    return plans, units


@dataclass(frozen=True)
class LedgerRow:
    """What a row of the ledger page shows of a task."""

    pk: int
    title: str
    plan: str
    lead_unit: str
    due_on: datetime.date
    status: str
    progress: int
    overdue: bool
    supervised: bool

    @property
    def status_label(self) -> str:
        return TaskStatus(self.status).label


def ledger_rows(tasks: QuerySet, *, names=None, today: datetime.date | None = None) -> list[LedgerRow]:
    """The ledger page's rows: the columns it shows, read from the task table alone, not whole tasks
    joined to their plan and unit (building 150 model instances a page was a third of the page's CPU
    time, and the joins let SQLite sort every task of the town instead of walking the due-date index;
    decision 26). ``names`` may hold ``{"plans": {id: title}, "units": {id: name}}`` already read
    (the filter's choices); whatever is missing is read by id."""
    columns = ("pk", "title", "plan_id", "lead_unit_id", "due_on", "status", "percent_done", "supervised_at")
    return _ledger_rows_of(list(tasks.values_list(*columns)), names=names, today=today)


def _ledger_rows_of(rows, *, names=None, today: datetime.date | None = None) -> list[LedgerRow]:
    """``LedgerRow``s of ``(pk, title, plan_id, lead_unit_id, due_on, status, percent_done, supervised_at)``."""
    today = today or timezone.localdate()
    plans = dict((names or {}).get("plans", {}))
    units = dict((names or {}).get("units", {}))
    plans.update(_names(Plan, {r[2] for r in rows} - plans.keys(), column="title"))
    units.update(_names(Unit, {r[3] for r in rows} - units.keys()))
    out = []
    for pk, title, plan_id, unit_id, due_on, status, own, supervised_at in rows:
        if not isinstance(due_on, datetime.date):  # a plain read on SQLite answers text
            due_on = datetime.date.fromisoformat(due_on)
        out.append(
            LedgerRow(
                pk=pk,
                title=title,
                plan=plans[plan_id],
                lead_unit=units[unit_id],
                due_on=due_on,
                status=status,
                progress=task_percent(status=status, own=own),
                overdue=status in RUNNING_STATUSES and due_on < today,
                supervised=supervised_at is not None and status != TaskStatus.CLOSED,
            )
        )
    return out


# --- the ledger page's read in plain SQL ----------------------------------------------------------


class LedgerPage:
    """The office's (or a unit's) ledger as the page reads it: the same tasks, filters and order as
    ``ledger`` (a test holds the two equal over every filter), counted and sliced by two plain
    statements over the task table alone. ``Paginator`` takes it as it takes a queryset; a slice is
    a list of ``LedgerRow``. On the busiest page the ORM spent more time building the count and the
    rows' query than the database spent answering them (decision 32)."""

    def __init__(self, *, actor, filters: LedgerFilters, names=None, today: datetime.date | None = None):
        self.today = today or timezone.localdate()
        self.names = names
        self.where, self.params = _ledger_where(actor, filters, self.today)
        self._count = None

    def count(self) -> int:
        if self._count is None:
            if self.where is None:
                self._count = 0
            else:
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT COUNT(*) FROM {_quoted(Task)} WHERE {self.where}", self.params)
                    self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[LedgerRow]:
        start, stop = window.start or 0, window.stop
        if self.where is None or stop is None or stop <= start:
            return []
        q = connection.ops.quote_name
        columns = ", ".join(q(c) for c in _LEDGER_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM {_quoted(Task)} WHERE {self.where} ORDER BY {q('due_on')}, {q('id')} "
                f"LIMIT %s OFFSET %s",
                [*self.params, stop - start, start],
            )
            fetched = cursor.fetchall()
        return _ledger_rows_of(fetched, names=self.names, today=self.today)


_LEDGER_COLUMNS = ("id", "title", "plan_id", "lead_unit_id", "due_on", "status", "percent_done", "supervised_at")


def _quoted(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _ledger_where(actor, filters: LedgerFilters, today: datetime.date) -> tuple[str | None, list]:
    """``ledger``'s conditions as SQL (None: the actor sees no task)."""
    q = connection.ops.quote_name
    co_units = _quoted(Task.co_units.through)
    lead_or_co = (
        f"({q('lead_unit_id')} = %s OR {q('id')} IN (SELECT {q('task_id')} FROM {co_units} WHERE {q('unit_id')} = %s))"
    )
    clauses, params = [], []
    if not (is_office(actor) or is_unit_liaison(actor)):
        return None, []
    ids = visible_jurisdiction_ids(actor)
    if ids is not None:
        if not ids:
            return None, []
        clauses.append(f"{q('jurisdiction_id')} IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    if not is_office(actor):
        clauses.append(lead_or_co)
        params += [actor.unit_id, actor.unit_id]
    if filters.plan:
        clauses.append(f"{q('plan_id')} = %s")
        params.append(filters.plan)
    if filters.unit:
        clauses.append(lead_or_co)
        params += [filters.unit, filters.unit]
    if filters.status:
        clauses.append(f"{q('status')} = %s")
        params.append(filters.status)
    adapt = connection.ops.adapt_datefield_value
    if filters.due_before:
        clauses.append(f"{q('due_on')} <= %s")
        params.append(adapt(filters.due_before))
    if filters.overdue:
        clauses.append(f"{q('status')} IN ({', '.join(['%s'] * len(RUNNING_STATUSES))}) AND {q('due_on')} < %s")
        params += [*RUNNING_STATUSES, adapt(today)]
    if filters.supervised:
        clauses.append(f"{q('supervised_at')} IS NOT NULL AND NOT ({q('status')} = %s)")
        params.append(TaskStatus.CLOSED)
    if filters.q:
        # as Django's ``icontains`` writes it for this database
        column = connection.ops.lookup_cast("icontains", "CharField") % q("title")
        clauses.append(f"{column} {connection.operators['icontains'] % '%s'}")
        params.append(f"%{connection.ops.prep_for_like_query(filters.q)}%")
    return " AND ".join(clauses) or "1 = 1", params


class UnitRef(NamedTuple):
    pk: int
    name: str


@dataclass
class UnitFigure:
    unit: UnitRef
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


# One grouped read answers the whole roll-up: per lead unit and status, the count, the overdue count
# and the weighted figures, from the covering index ``gov_task_plan_rollup`` alone (no table rows,
# no join: the units' names are a second, tiny read). Plain SQL because building these reads through
# the ORM took most of the roll-up's CPU time (decision 26).
_ROLLUP_SQL = """
SELECT lead_unit_id, status, COUNT(*), SUM(CASE WHEN due_on < %s THEN 1 ELSE 0 END),
       SUM(weight * percent_done), SUM(weight)
FROM {task} WHERE plan_id = %s GROUP BY lead_unit_id, status
"""


def plan_rollup(plan: Plan, *, today: datetime.date | None = None) -> Rollup:
    """The plan's progress by weight (milestones → tasks → plan) and each lead unit's, added up by the
    database in one grouped read: each task's figure already holds its milestones by weight
    (``services.progress``), and a closed task counts as 100."""
    today = today or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            _ROLLUP_SQL.format(task=connection.ops.quote_name(Task._meta.db_table)),
            [connection.ops.adapt_datefield_value(today), plan.pk],
        )
        groups = cursor.fetchall()
    running = {str(s) for s in RUNNING_STATUSES}
    units, by_status = {}, {}
    names = _names(Unit, {group[0] for group in groups})
    for unit_id, status, n, late, weighted, weights in groups:
        figure = units.setdefault(
            unit_id, {"name": names[unit_id], "tasks": 0, "closed": 0, "overdue": 0, "w": 0, "ws": 0}
        )
        figure["tasks"] += n
        figure["ws"] += weights
        if status == TaskStatus.CLOSED:
            figure["closed"] += n
            figure["w"] += 100 * weights
        else:
            figure["w"] += weighted
        if status in running:
            figure["overdue"] += late
        by_status[status] = by_status.get(status, 0) + n
    by_unit = sorted(
        (
            UnitFigure(UnitRef(pk, f["name"]), f["tasks"], f["closed"], f["overdue"], round(f["w"] / f["ws"]))
            for pk, f in units.items()
        ),
        key=lambda f: (f.percent, f.unit.name),
    )
    total_weight = sum(f["ws"] for f in units.values())
    return Rollup(
        percent=round(sum(f["w"] for f in units.values()) / total_weight) if total_weight else 0,
        tasks=sum(f["tasks"] for f in units.values()),
        by_status=by_status,
        overdue=sum(f["overdue"] for f in units.values()),
        by_unit=by_unit,
    )


@dataclass
class PublicPlan:
    plan: Plan
    town: str
    percent: int
    tasks: list  # of LedgerRow


def public_progress(*, limit: int = 200) -> list[PublicPlan]:
    """The plans with tasks the office marked public (newest year first), each with those tasks
    only and their figure by weight. A read for anonymous visitors: nothing but what the page shows."""
    tasks = Task.objects.filter(public=True).order_by("due_on", "id")
    plan_ids = list(tasks.order_by().values_list("plan_id", flat=True).distinct())
    plans = Plan.objects.filter(pk__in=plan_ids).select_related("jurisdiction").order_by("-year", "id")
    out = []
    for plan in plans:
        mine = tasks.filter(plan=plan)
        rows = ledger_rows(mine[:limit])
        weights = dict(mine.values_list("pk", "weight"))
        total = sum(weights[r.pk] for r in rows)
        percent = round(sum(weights[r.pk] * r.progress for r in rows) / total) if total else 0
        out.append(PublicPlan(plan, plan.jurisdiction.name, percent, rows))
    return out


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
