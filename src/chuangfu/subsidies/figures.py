"""Subsidy figures, computed from the records and scoped to the actor's jurisdiction:

* applications by stage (their current status);
* approval rate = granted (已核准 or 已拨付) ÷ decided (granted, 驳回 or 不予受理); withdrawals and
  open applications are not decided;
* average working days per stage, from the timeline: a stage lasts from the step that entered it
  to the step that left it (working days, ``core.workdays``); stages still running are not counted;
* amounts paid by policy, town or month, from the payments (``Disbursement``);
* life after payment: recoveries opened, decided and settled, the amount repaid (by the repayment's
  date) and still owed, obligations found met or breached (``recovery_figures``).

Every figure links to the applications behind it (``drill_filters``), read by the application list.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from chuangfu.core.days import on_days
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scoping import scope_by_jurisdiction
from chuangfu.core.timeline import events_for
from chuangfu.core.workdays import working_days_between

from .models import (
    OPEN_RECOVERY,
    Application,
    Disbursement,
    Obligation,
    ObligationStatus,
    Recovery,
    RecoveryStatus,
    Repayment,
    Status,
)

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


# --- life after payment: obligations and recoveries ---------------------------------------------------


@dataclass
class RecoveryFigures:
    opened: int  # recoveries opened in the period
    open_now: int  # 待决定 or 追回中 now
    to_decide: int  # 待决定 now
    owed_now: float  # still owed on the recoveries being recovered now
    recovered: float  # repaid in the period
    repayments: int
    waived: int  # decided 免予追回 in the period
    settled: int  # repaid in full in the period
    breached: int  # obligations found breached in the period
    met: int  # obligations found met in the period


def recovery_figures(actor, *, date_from=None, date_to=None) -> RecoveryFigures:
    """Recoveries and obligations from their records, in the actor's scope: what was opened, decided,
    repaid (by the repayment's date) and concluded in the period, and what is open now."""
    recoveries = scope_by_jurisdiction(Recovery.objects.all(), actor)
    repayments = scope_by_jurisdiction(Repayment.objects.all(), actor, "recovery__jurisdiction")
    obligations = scope_by_jurisdiction(Obligation.objects.all(), actor)
    if date_from:
        repayments = repayments.filter(paid_on__gte=date_from)
    if date_to:
        repayments = repayments.filter(paid_on__lte=date_to)
    recovering = recoveries.filter(status=RecoveryStatus.RECOVERING)
    owed = (recovering.aggregate(s=Sum("amount"))["s"] or 0) - (
        Repayment.objects.filter(recovery__in=recovering.values("pk")).aggregate(s=Sum("amount"))["s"] or 0
    )
    paid = repayments.aggregate(s=Sum("amount"), n=Count("id"))
    concluded = obligations.filter(on_days("concluded_at", date_from, date_to))
    return RecoveryFigures(
        opened=recoveries.filter(on_days("opened_at", date_from, date_to))
        .exclude(status=RecoveryStatus.ANNULLED)
        .count(),
        open_now=recoveries.filter(status__in=OPEN_RECOVERY).count(),
        to_decide=recoveries.filter(status=RecoveryStatus.OPEN).count(),
        owed_now=float(owed),
        recovered=float(paid["s"] or 0),
        repayments=paid["n"],
        waived=recoveries.filter(on_days("decided_at", date_from, date_to), status=RecoveryStatus.WAIVED).count(),
        settled=recoveries.filter(on_days("settled_at", date_from, date_to), status=RecoveryStatus.SETTLED).count(),
        breached=concluded.filter(status=ObligationStatus.BREACHED).count(),
        met=concluded.filter(status=ObligationStatus.MET).count(),
    )
