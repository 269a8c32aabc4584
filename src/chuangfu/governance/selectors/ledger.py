"""The task ledger (工作台账): its filters and choices, tasks with their progress as rows, and the
ledger page's read in plain SQL."""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from chuangfu.core.models import Unit
from chuangfu.core.scoping import visible_jurisdiction_ids

from ..access import can_use, is_office, is_unit_liaison
from ..models import RUNNING_STATUSES, Plan, Task, TaskStatus
from .tasks import tasks_for, unit_task_ids


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


def names_of(model, ids, *, column: str = "name") -> dict[int, str]:
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
    plans.update(names_of(Plan, {r[2] for r in rows} - plans.keys(), column="title"))
    units.update(names_of(Unit, {r[3] for r in rows} - units.keys()))
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
