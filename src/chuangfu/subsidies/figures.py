"""Subsidy figures, computed from the records and scoped to the actor's jurisdiction:

* applications by stage (their current status);
* approval rate = granted (已核准 or 已拨付) ÷ decided (granted, 驳回 or 不予受理); withdrawals and
  open applications are not decided;
* average working days per stage, from the timeline: a stage lasts from the step that entered it
  to the step that left it (working days, ``core.workdays``); stages still running are not counted;
* amounts paid by policy, town or month, from the payments (``Disbursement``).

Every figure links to the applications behind it (``drill_filters``), read by the application list.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction
from chuangfu.core.scoping import scope_by_jurisdiction
from chuangfu.core.timeline import events_for
from chuangfu.core.workdays import working_days_between

from .models import Application, Disbursement, Status

GRANTED = (Status.APPROVED, Status.DISBURSED)
DECIDED = (*GRANTED, Status.REJECTED, Status.NOT_ACCEPTED)
# Stages whose duration is measured, in the order an application passes them.
TIMED_STAGES = (
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.CORRECTION,
    Status.FIRST_REVIEWED,
    Status.SECOND_REVIEWED,
    Status.IN_NOTICE,
    Status.APPROVED,
)
AMOUNT_DIMENSIONS = {"policy": _("政策"), "town": _("镇（街道）"), "month": _("拨付月份")}


@dataclass
class StageTime:
    status: str
    label: str
    average: float | None
    count: int


@dataclass
class AmountRow:
    key: str
    label: str
    count: int
    total: float


def scoped_applications(actor, *, date_from=None, date_to=None):
    qs = scope_by_jurisdiction(Application.objects.exclude(status=Status.DRAFT), actor)
    if date_from:
        qs = qs.filter(submitted_on__gte=date_from)
    if date_to:
        qs = qs.filter(submitted_on__lte=date_to)
    return qs


def by_stage(applications) -> list[tuple[str, str, int]]:
    counts = dict(applications.values_list("status").annotate(n=Count("id")).order_by())
    return [(s.value, str(s.label), counts.get(s.value, 0)) for s in Status if s != Status.DRAFT]


def approval_rate(applications) -> tuple[float | None, int, int]:
    decided = applications.filter(status__in=DECIDED).count()
    granted = applications.filter(status__in=GRANTED).count()
    return (round(100 * granted / decided, 1) if decided else None), granted, decided


def stage_times(applications) -> list[StageTime]:
    """Average working days spent in each stage, over stages entered and left."""
    spans = defaultdict(list)
    entered: dict[int, tuple[str, datetime.date]] = {}
    events = (
        events_for(Application, applications.values("pk"))
        .exclude(to_state="")
        .exclude(to_state=F("from_state"))
        .order_by("subject_id", "at", "id")
        .values_list("subject_id", "at", "to_state")
    )
    for application_id, at, to_status in events.iterator(chunk_size=5000):
        day = at.date() if isinstance(at, datetime.datetime) else at
        previous = entered.get(application_id)
        if previous is not None:
            spans[previous[0]].append(working_days_between(previous[1], day))
        entered[application_id] = (to_status, day)
    labels = dict(Status.choices)
    return [
        StageTime(
            s.value,
            str(labels[s.value]),
            round(sum(spans[s.value]) / len(spans[s.value]), 1) if spans[s.value] else None,
            len(spans[s.value]),
        )
        for s in TIMED_STAGES
    ]


def amounts(actor, *, by: str, date_from=None, date_to=None) -> tuple[list[AmountRow], AmountRow]:
    qs = scope_by_jurisdiction(Disbursement.objects.all(), actor)
    if date_from:
        qs = qs.filter(paid_on__gte=date_from)
    if date_to:
        qs = qs.filter(paid_on__lte=date_to)
    rows: dict[str, AmountRow] = {}
    if by == "policy":
        grouped = qs.values_list("application__policy_id", "application__policy__title")
        for pk, title, n, total in grouped.annotate(n=Count("id"), total=Sum("amount")).order_by():
            rows[str(pk)] = AmountRow(str(pk), title, n, float(total))
    elif by == "town":
        towns = {j.pk: (j.town or j) for j in Jurisdiction.objects.select_related("parent")}
        for pk, n, total in qs.values_list("jurisdiction_id").annotate(n=Count("id"), total=Sum("amount")).order_by():
            town = towns[pk]
            row = rows.setdefault(str(town.pk), AmountRow(str(town.pk), town.name, 0, 0.0))
            row.count += n
            row.total += float(total)
    else:
        grouped = qs.annotate(month=TruncMonth("paid_on")).values_list("month")
        for month, n, total in grouped.annotate(n=Count("id"), total=Sum("amount")).order_by():
            key = f"{month:%Y-%m}"
            rows[key] = AmountRow(key, key, n, float(total))
    ordered = sorted(rows.values(), key=lambda r: r.key if by == "month" else (-r.total, r.label))
    total = AmountRow("", str(_("合计")), sum(r.count for r in ordered), sum(r.total for r in ordered))
    return ordered, total


def drill_filters(by: str, key: str) -> dict:
    """The application-list filters behind one amount row."""
    return {"status": Status.DISBURSED, by: key}
