"""Figures the indicators app reads from the policy library (see ``chuangfu.indicators.sources``)."""

from django.db.models import Q

from .models import Grant


def _in(jurisdiction, field) -> Q:
    return Q(**{f"{field}__path": jurisdiction.path}) | Q(**{f"{field}__path__startswith": jurisdiction.path + "/"})


def grant_rows(jurisdiction, period):
    return Grant.objects.filter(
        _in(jurisdiction, "person__jurisdiction") | _in(jurisdiction, "enterprise__jurisdiction"),
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
