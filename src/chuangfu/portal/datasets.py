"""Open data built from aggregates: each source turns a town's records into rows of counts and
rates, never a row about one person or enterprise. A dataset names its source; ``rows_of``
builds it and withholds every count below the dataset's threshold, and every rate whose
denominator is withheld, so a small group cannot be singled out by subtraction either
(a total is withheld with its parts when any part is withheld and exactly one is).

Sources read the other apps' records through their models with the town's jurisdiction subtree;
nothing here writes.
"""

import csv
import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.exporters import Column as ExportColumn
from chuangfu.core.exporters import ListExporter
from chuangfu.core.models import Jurisdiction


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "count"  # "label", "period", "count" or "rate" (a rate names its numerator and denominator)
    num: str = ""
    den: str = ""


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    columns: tuple[Column, ...]
    build: Callable[[Jurisdiction], list[dict]]


def _under(jurisdiction: Jurisdiction, field: str = "jurisdiction") -> Q:
    return Q(**{f"{field}__path": jurisdiction.path}) | Q(**{f"{field}__path__startswith": jurisdiction.path + "/"})


def _month(value) -> str:
    return f"{timezone.localtime(value) if isinstance(value, datetime.datetime) else value:%Y-%m}"


def _desk_monthly(town: Jurisdiction) -> list[dict]:
    from chuangfu.desk.models import Status, Ticket

    tickets = Ticket.objects.filter(_under(town)).exclude(status=Status.MERGED)
    rows = (
        tickets.annotate(month=TruncMonth("received_at"))
        .values("month", "category__name")
        .annotate(
            received=Count("id"),
            closed=Count("id", filter=Q(status__in=[Status.CLOSED, Status.REVISITED])),
        )
        .order_by("month", "category__name")
    )
    return [
        {"month": _month(r["month"]), "category": r["category__name"], "received": r["received"], "closed": r["closed"]}
        for r in rows
    ]


def _activities_monthly(town: Jurisdiction) -> list[dict]:
    from chuangfu.activities.models import Activity, ActivityStatus

    held = Activity.objects.filter(_under(town), starts_at__lte=timezone.now()).exclude(
        status__in=[ActivityStatus.DRAFT, ActivityStatus.CANCELLED]
    )
    rows = (
        held.annotate(month=TruncMonth("starts_at"))
        .values("month", "type__name")
        .annotate(
            activities=Count("id", distinct=True),
            attended=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False), distinct=True),
        )
        .order_by("month", "type__name")
    )
    return [
        {"month": _month(r["month"]), "type": r["type__name"], "activities": r["activities"], "attended": r["attended"]}
        for r in rows
    ]


def _carriers(town: Jurisdiction) -> list[dict]:
    from chuangfu.registry.models import Carrier, CarrierKind

    labels = dict(CarrierKind.choices)
    rows = Carrier.objects.filter(_under(town)).values("kind").annotate(carriers=Count("id")).order_by("kind")
    return [{"kind": str(labels.get(r["kind"], r["kind"])), "carriers": r["carriers"]} for r in rows]


def _grants_by_policy(town: Jurisdiction) -> list[dict]:
    from chuangfu.policies.models import Grant

    grants = Grant.objects.filter(_under(town, "person__jurisdiction") | _under(town, "enterprise__jurisdiction"))
    rows = (
        grants.values("policy__title", "granted_on__year")
        .annotate(grants=Count("id"))
        .order_by("granted_on__year", "policy__title")
    )
    return [{"year": r["granted_on__year"], "policy": r["policy__title"], "grants": r["grants"]} for r in rows]


SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source(
            "desk.monthly",
            _("咨询受理：每月受理与办结件数（按类别）"),
            (
                Column("month", _("月份"), "period"),
                Column("category", _("类别"), "label"),
                Column("received", _("受理件数")),
                Column("closed", _("办结件数")),
            ),
            _desk_monthly,
        ),
        Source(
            "activities.monthly",
            _("活动承载：每月举办活动场次与参加人次（按类型）"),
            (
                Column("month", _("月份"), "period"),
                Column("type", _("活动类型"), "label"),
                Column("activities", _("活动场次")),
                Column("attended", _("签到人次")),
            ),
            _activities_monthly,
        ),
        Source(
            "registry.carriers",
            _("服务载体：按类型的数量"),
            (Column("kind", _("载体类型"), "label"), Column("carriers", _("数量"))),
            _carriers,
        ),
        Source(
            "policies.grants",
            _("政策落实：每年各项政策的享受人次（户次）"),
            (
                Column("year", _("年份"), "period"),
                Column("policy", _("政策"), "label"),
                Column("grants", _("享受人次")),
            ),
            _grants_by_policy,
        ),
    )
}


def source_choices() -> list[tuple[str, str]]:
    return [(s.key, s.label) for s in SOURCES.values()]


def suppress(rows: list[dict], columns: tuple[Column, ...], threshold: int) -> list[dict]:
    """Withhold (None) every count in 1..threshold-1 and every rate built on a withheld count."""
    out = []
    for row in rows:
        row = dict(row)
        for col in columns:
            if col.kind == "count" and row.get(col.key) is not None and 0 < row[col.key] < threshold:
                row[col.key] = None
        for col in columns:
            if col.kind == "rate" and (row.get(col.num) is None or row.get(col.den) is None):
                row[col.key] = None
        out.append(row)
    return out


def rows_of(dataset) -> tuple[tuple[Column, ...], list[dict]]:
    source = SOURCES.get(dataset.source)
    if source is None:
        return (), []
    return source.columns, suppress(source.build(dataset.jurisdiction), source.columns, dataset.suppress_below)


def temporal_coverage(columns, rows) -> tuple[str, str] | None:
    periods = sorted(str(r[c.key]) for c in columns if c.kind == "period" for r in rows if r.get(c.key) is not None)
    return (periods[0], periods[-1]) if periods else None


# --- the three formats -------------------------------------------------------------------------

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json", "xlsx": None}


def as_csv(columns, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(c.label) for c in columns])
    for row in rows:
        writer.writerow(["" if row.get(c.key) is None else row[c.key] for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # a BOM so spreadsheet programs read UTF-8


def as_json(dataset, columns, rows) -> bytes:
    payload = {
        "dataset": dataset.name,
        "title": dataset.title,
        "suppressed_below": dataset.suppress_below,
        "fields": [{"id": c.key, "label": str(c.label), "type": c.kind} for c in columns],
        "records": [{c.key: row.get(c.key) for c in columns} for row in rows],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


def as_xlsx(dataset, columns, rows) -> bytes:
    exporter = ListExporter()
    exporter.title = str(dataset.title)[:31]
    exporter.columns = [ExportColumn(str(c.label), c.key, 18) for c in columns]
    buffer = io.BytesIO()
    exporter.write(rows, buffer)
    return buffer.getvalue()
