"""The desk's figures, computed from records by the definitions stored as data
(``MetricDefinition``): per unit, category, channel or month, each value with the numerator and
denominator behind it so every figure can drill down to its tickets.

A definition counts either tickets or assignments (``basis``). A unit's own performance — did it
accept in time, did it send the ticket back — is counted over its assignments (``TicketAssignment``,
one per time a ticket was put to a unit), grouped by the assignment's unit: a ticket reassigned
from A to B counts once for A and once for B, each with its own facts. What is a fact of the
ticket (closed, rated, revisited) is counted over tickets, grouped by the current lead unit.

A ratio counts ``denominator ∧ numerator`` over ``denominator`` (the numerator is always a subset);
an average takes the mean of ``value_field`` over the rows matching both conditions. Merged
duplicates (并单) are never counted.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Unit

from .models import Channel, MetricDefinition, Status, TicketAssignment

DIMENSIONS = {
    "unit": _("承办单位"),
    "category": _("类别"),
    "channel": _("来源渠道"),
    "month": _("受理月份"),
}
NONE_KEY = "none"


@dataclass
class Cell:
    value: float | None
    num: int | float | None = None
    den: int | None = None

    @property
    def display(self) -> str:
        return "—" if self.value is None else f"{self.value:.1f}"


@dataclass
class Row:
    key: str
    label: str
    cells: dict = field(default_factory=dict)


def _group_values(qs, by: str, *, assignments: bool = False):
    via = "ticket__" if assignments else ""
    if by == "unit":
        column = "unit_id" if assignments else "lead_unit_id"
        return qs.values(column), column
    if by == "category":
        return qs.values(f"{via}category__name"), f"{via}category__name"
    if by == "channel":
        return qs.values(f"{via}channel"), f"{via}channel"
    return qs.annotate(month=TruncMonth(f"{via}received_on")).values("month"), "month"


def _rows(base, metric: MetricDefinition):
    """The rows ``metric`` counts: the tickets themselves, or the assignments of those tickets."""
    if metric.basis == MetricDefinition.Basis.ASSIGNMENT:
        return TicketAssignment.objects.filter(ticket__in=base.values("pk"))
    return base


def _key(value, by: str) -> str:
    if value is None:
        return NONE_KEY
    if by == "month":
        return f"{value:%Y-%m}"
    return str(value)


def _label(key: str, by: str, units: dict) -> str:
    if key == NONE_KEY:
        return str(_("未派单（窗口办理）")) if by == "unit" else "—"
    if by == "unit":
        return units.get(int(key), key)
    if by == "channel":
        return str(Channel(key).label) if key in Channel.values else key
    return key


def _metric_qs(base, metric: MetricDefinition, part: str):
    qs = _rows(base, metric).filter(**metric.denominator)
    if part == "num":
        qs = qs.filter(**metric.numerator)
    return qs


def compute(*, base, by: str = "unit", metrics: list[MetricDefinition]) -> tuple[list[Row], Row]:
    """Rows per group and a total row. ``base`` is the actor's scoped ticket queryset."""
    base = base.exclude(status=Status.MERGED)
    by = by if by in DIMENSIONS else "unit"
    rows: dict[str, Row] = {}
    total = Row(key="", label=str(_("合计")))
    for metric in metrics:
        on_assignments = metric.basis == MetricDefinition.Basis.ASSIGNMENT
        if metric.kind == MetricDefinition.Kind.AVERAGE:
            qs = _metric_qs(base, metric, "num")
            grouped, col = _group_values(qs, by, assignments=on_assignments)
            for item in grouped.annotate(avg=Avg(metric.value_field), n=Count("id")).order_by():
                key = _key(item[col], by)
                rows.setdefault(key, Row(key=key, label=""))
                rows[key].cells[metric.code] = Cell(value=item["avg"], num=None, den=item["n"])
            agg = qs.aggregate(avg=Avg(metric.value_field), n=Count("id"))
            total.cells[metric.code] = Cell(value=agg["avg"], den=agg["n"])
            continue
        counts = {}
        for part in ("den", "num"):
            grouped, col = _group_values(_metric_qs(base, metric, part), by, assignments=on_assignments)
            counts[part] = {_key(i[col], by): i["n"] for i in grouped.annotate(n=Count("id", distinct=True)).order_by()}
        for key, den in counts["den"].items():
            num = counts["num"].get(key, 0)
            rows.setdefault(key, Row(key=key, label=""))
            rows[key].cells[metric.code] = Cell(value=100.0 * num / den if den else None, num=num, den=den)
        num_total, den_total = sum(counts["num"].values()), sum(counts["den"].values())
        total.cells[metric.code] = Cell(
            value=100.0 * num_total / den_total if den_total else None, num=num_total, den=den_total
        )
    units = (
        dict(Unit.objects.filter(pk__in=[int(k) for k in rows if k.isdigit()]).values_list("pk", "name"))
        if by == "unit"
        else {}
    )
    for key, row in rows.items():
        row.label = _label(key, by, units)
    ordered = sorted(rows.values(), key=lambda r: (r.key == NONE_KEY, r.key if by == "month" else r.label))
    return ordered, total


def drill_down_q(metric_code, part, by, key) -> Q:
    """The tickets behind one figure: its (numerator ∧) denominator, within one group. For a figure
    over assignments, the tickets with such an assignment (of the group's unit)."""
    metric = MetricDefinition.objects.filter(code=metric_code).first()
    if metric is None:
        return Q(pk__in=[])
    rows = Q(**metric.denominator)
    if part == "num" or metric.kind == MetricDefinition.Kind.AVERAGE:
        rows &= Q(**metric.numerator)
    q = ~Q(status=Status.MERGED)
    if metric.basis == MetricDefinition.Basis.ASSIGNMENT:
        if by == "unit" and key not in (None, ""):
            rows &= Q(pk__in=[]) if key == NONE_KEY else Q(unit_id=_int(key))
        q &= Q(pk__in=TicketAssignment.objects.filter(rows).values("ticket_id"))
        if by == "unit":
            return q
    else:
        q &= rows
    if key in (None, ""):
        return q
    if by == "unit":
        return q & (Q(lead_unit__isnull=True) if key == NONE_KEY else Q(lead_unit_id=_int(key)))
    if by == "category":
        return q & Q(category__name=key)
    if by == "channel":
        return q & Q(channel=key)
    if by == "month":
        try:
            month = datetime.datetime.strptime(key, "%Y-%m").date()
        except ValueError:
            return Q(pk__in=[])
        return q & Q(received_on__year=month.year, received_on__month=month.month)
    return q


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
