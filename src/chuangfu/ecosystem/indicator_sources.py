"""Figures the indicators app reads from the ecosystem, as named source functions.

Each takes ``(jurisdiction, period)``: a ``core.models.Jurisdiction`` (its whole subtree counts, so a
district adds up its towns) and a period with ``start`` and ``end`` dates, both included (any object
with those attributes, or a ``(start, end)`` pair). Each returns a whole number computed from the
records (no stored totals). ``SOURCES`` names them for the indicators app to gather.
"""

import datetime

from chuangfu.core.days import on_days
from chuangfu.core.scoping import within
from chuangfu.registry.models import Carrier

from .models import CaseFile, Linkage, LinkageStatus, Visit, VisitStatus
from .selectors import case_outcomes


def _bounds(period) -> tuple[datetime.date, datetime.date]:
    if isinstance(period, (tuple, list)):
        return period[0], period[1]
    return period.start, period.end


def _newly_successful(jurisdiction, period):
    start, end = _bounds(period)
    cases = list(CaseFile.objects.filter(within(jurisdiction)))
    at_end = case_outcomes(cases, as_of=end)
    before = case_outcomes(cases, as_of=start - datetime.timedelta(days=1))
    return [(at_end[c.pk], before[c.pk]) for c in cases if at_end[c.pk].success and not before[c.pk].success]


def people_helped_to_start(jurisdiction, period) -> int:
    """People with a case file (创业帮扶档案) who became 创业成功 in the period: an enterprise they
    founded (or represent) after the file was opened reached the stated months of operation
    (``selectors.success_months()``) in the period and is still 存续."""
    return len(_newly_successful(jurisdiction, period))


def jobs_created(jurisdiction, period) -> int:
    """Jobs created by the enterprises of the people counted in ``people_helped_to_start``
    (insured headcount: the latest quarterly report, else the registry; hires when more)."""
    return sum(at_end.jobs for at_end, _before in _newly_successful(jurisdiction, period))


def visits_made(jurisdiction, period) -> int:
    """Visits (走访) to carriers recorded as made in the period."""
    start, end = _bounds(period)
    return Visit.objects.filter(
        within(jurisdiction, "carrier__jurisdiction"),
        on_days("visited_at", start, end),
        status=VisitStatus.RECORDED,
    ).count()


def carriers(jurisdiction, period) -> int:
    """Carriers registered by the end of the period."""
    _start, end = _bounds(period)
    return Carrier.objects.filter(within(jurisdiction), on_days("created_at", None, end)).count()


def linkages_met(jurisdiction, period) -> int:
    """对接 recorded as met (已对接成功) in the period."""
    start, end = _bounds(period)
    return Linkage.objects.filter(
        within(jurisdiction, "need__jurisdiction"),
        on_days("decided_at", start, end),
        status=LinkageStatus.MET,
    ).count()


SOURCES = {
    "ecosystem.people_helped_to_start": people_helped_to_start,
    "ecosystem.jobs_created": jobs_created,
    "ecosystem.visits_made": visits_made,
    "ecosystem.carriers": carriers,
    "ecosystem.linkages_met": linkages_met,
}
