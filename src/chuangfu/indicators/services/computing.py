"""Computing every indicator of a scheme for a town and year into ``Value`` rows (the precomputed
table the dashboard and the dossier read), on the queue, nightly and on demand."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.jobs import job_handler, job_start
from chuangfu.core.models import Jurisdiction

from .. import expressions, periods, sources
from ..models import Scheme, Value
from ..selectors import scheme_for
from .schemes import value_of

JOB_KIND = "indicators.compute"


def compute_town_year(jurisdiction, year: int, *, scheme: Scheme | None = None, progress=None) -> int:
    """Compute and store every indicator for ``jurisdiction`` and ``year``; returns the rows written."""
    scheme = scheme or scheme_for(year)
    if scheme is None:
        return 0
    indicators = list(scheme.indicators.all())
    now = timezone.now()
    rows = []
    for n, indicator in enumerate(indicators, start=1):
        used = expressions.sources_in(expressions.parse(indicator.numerator))
        if indicator.denominator:
            used |= expressions.sources_in(expressions.parse(indicator.denominator))
        known = set(sources.names())
        wanted = [periods.year_period(year)]
        if indicator.period_type != "year":
            wanted += periods.periods(year, indicator.period_type, today=timezone.localdate())
        for period in wanted:
            if used - known:  # a source an app no longer registers: no value rather than an error page
                numerator, denominator, value = 0, None, None
            else:
                given = {name: sources.count(name, jurisdiction, period) for name in used}
                numerator, denominator, value = value_of(indicator, given)
            rows.append(
                Value(
                    indicator=indicator, jurisdiction=jurisdiction, period_start=period.start, period_end=period.end,
                    numerator=numerator or 0, denominator=denominator, value=value, computed_at=now,
                )
            )  # fmt: skip
        if progress:
            progress(n, len(indicators))
    with transaction.atomic():
        Value.objects.filter(indicator__in=indicators, jurisdiction=jurisdiction, period_start__year=year).delete()
        Value.objects.bulk_create(rows)
    return len(rows)


def compute_start(*, actor, jurisdiction, year: int):
    return job_start(
        kind=JOB_KIND,
        title=_("计算 %(town)s %(year)s 年度评估指标") % {"town": jurisdiction.name, "year": year},
        actor=actor,
        params={"jurisdiction": jurisdiction.pk, "year": year},
        jurisdiction=jurisdiction,
    )


@job_handler(JOB_KIND)
def run_compute(job, progress) -> dict:
    jurisdiction = Jurisdiction.objects.get(pk=job.params["jurisdiction"])
    rows = compute_town_year(jurisdiction, int(job.params["year"]), progress=progress)
    return {"rows": rows}
