"""Figures the indicators app reads from the subsidies app (see ``chuangfu.indicators.sources``):
life after payment — obligations coming due and found met or breached, recoveries opened and the
amount repaid — and the recoveries waiting for the leadership's decision.

Timestamps are filtered as ranges of local days (``core.days.on_days``, decision 37); dates as dates.
"""

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chuangfu.core.days import on_days
from chuangfu.core.scoping import within

from .models import Obligation, ObligationStatus, Recovery, RecoveryStatus, Repayment

DECISIONS_SHOWN = 5


def obligations_due_rows(jurisdiction, period):
    return Obligation.objects.filter(
        within(jurisdiction), due_on__gte=period.start, due_on__lte=period.end
    ).select_related("application", "grant")


def obligations_met_rows(jurisdiction, period):
    return Obligation.objects.filter(
        within(jurisdiction), on_days("concluded_at", period.start, period.end), status=ObligationStatus.MET
    ).select_related("application", "grant")


def obligations_breached_rows(jurisdiction, period):
    return Obligation.objects.filter(
        within(jurisdiction), on_days("concluded_at", period.start, period.end), status=ObligationStatus.BREACHED
    ).select_related("application", "grant")


def recoveries_opened_rows(jurisdiction, period):
    # a recovery closed as 误判 was no recovery
    return Recovery.objects.filter(within(jurisdiction), on_days("opened_at", period.start, period.end)).exclude(
        status=RecoveryStatus.ANNULLED
    )


def obligations_due(jurisdiction, period) -> int:
    """Obligations of paid subsidies (履约义务) falling due in the period."""
    return obligations_due_rows(jurisdiction, period).count()


def obligations_met(jurisdiction, period) -> int:
    """Obligations found met (已履行) in the period, by the check or by hand."""
    return obligations_met_rows(jurisdiction, period).count()


def obligations_breached(jurisdiction, period) -> int:
    """Obligations found breached (未履行) in the period; each opens or joins a recovery."""
    return obligations_breached_rows(jurisdiction, period).count()


def recoveries_opened(jurisdiction, period) -> int:
    """Recoveries of subsidies (追回) opened in the period."""
    return recoveries_opened_rows(jurisdiction, period).count()


def amount_recovered(jurisdiction, period) -> int:
    """Yuan repaid on recoveries in the period (by the repayment's date), rounded to the yuan."""
    total = Repayment.objects.filter(
        within(jurisdiction, "recovery__jurisdiction"), paid_on__gte=period.start, paid_on__lte=period.end
    ).aggregate(s=Sum("amount"))["s"]
    return round(total or 0)


def recoveries_to_decide(jurisdiction):
    """Recoveries opened by a breach, waiting for the leadership to decide: recover or waive."""
    qs = Recovery.objects.filter(within(jurisdiction), status=RecoveryStatus.OPEN).select_related(
        "application", "grant"
    )
    newest = list(qs.order_by("-id")[:DECISIONS_SHOWN])
    items = [
        (
            f"{r.number} {r.reference}",
            reverse("aftercare:recovery", args=[r.pk]),
            f"{r.amount} · {r.reason[:60]}",
        )
        for r in newest
    ]
    return (qs.count() if len(newest) == DECISIONS_SHOWN else len(newest)), items


SOURCES = {
    "subsidies.obligations_due": obligations_due,
    "subsidies.obligations_met": obligations_met,
    "subsidies.obligations_breached": obligations_breached,
    "subsidies.recoveries_opened": recoveries_opened,
    "subsidies.amount_recovered": amount_recovered,
}
ROWS = {
    "subsidies.obligations_due": obligations_due_rows,
    "subsidies.obligations_met": obligations_met_rows,
    "subsidies.obligations_breached": obligations_breached_rows,
    "subsidies.recoveries_opened": recoveries_opened_rows,
}
DECISIONS = {"subsidies.recoveries_to_decide": (_("待决定的补贴追回"), recoveries_to_decide)}
