"""A plan's roll-up (by lead unit, weighted by the tasks' weights) and the public progress of plans."""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from chuangfu.core.models import Unit

from ..models import RUNNING_STATUSES, Plan, Task, TaskStatus
from .ledger import ledger_rows, names_of


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
    names = names_of(Unit, {group[0] for group in groups})
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
