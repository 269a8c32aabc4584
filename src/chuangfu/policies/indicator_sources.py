"""Figures the indicators app reads from the policy library (see ``chuangfu.indicators.sources``)."""

from chuangfu.core.scoping import within

from .models import Grant


def grant_rows(jurisdiction, period):
    return Grant.objects.filter(
        within(jurisdiction, "person__jurisdiction") | within(jurisdiction, "enterprise__jurisdiction"),
        granted_on__gte=period.start,
        granted_on__lte=period.end,
    ).select_related("policy")


def grants(jurisdiction, period) -> int:
    """Grants (政策享受) recorded in the period, from applications paid and lists imported."""
    return grant_rows(jurisdiction, period).count()


def subjects_granted(jurisdiction, period) -> int:
    """People and enterprises who received at least one grant in the period."""
    rows = grant_rows(jurisdiction, period)
    people = rows.filter(person__isnull=False).values("person").distinct().count()
    enterprises = rows.filter(enterprise__isnull=False).values("enterprise").distinct().count()
    return people + enterprises


SOURCES = {"policies.grants": grants, "policies.subjects_granted": subjects_granted}
ROWS = {"policies.grants": grant_rows}
