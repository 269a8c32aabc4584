"""Reads of the assessment: the towns an actor may see, a year's report (every indicator against its
target, with its trend), drill-down to the records behind a value, the evidence packs."""

import math
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import get_language

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Jurisdiction, Role
from chuangfu.core.scoping import scope_by_jurisdiction

from . import expressions, periods, sources
from .models import (
    QUALITATIVE,
    Category,
    Direction,
    EvidencePack,
    Indicator,
    Question,
    Scheme,
    Snapshot,
    Survey,
    Target,
    Value,
)

VIEWERS = frozenset({Role.LEADER, Role.ADMIN})


def can_view(actor) -> bool:
    return actor.is_authenticated and (actor.is_superuser or actor.role in VIEWERS)


def towns_for(actor) -> QuerySet[Jurisdiction]:
    if not can_view(actor):
        return Jurisdiction.objects.none()
    return scope_by_jurisdiction(Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN), actor, field="")


def get_town_for(actor, pk) -> Jurisdiction:
    town = towns_for(actor).filter(pk=pk).first()
    if town is None:
        raise NotFound()
    return town


def default_town(actor) -> Jurisdiction | None:
    return towns_for(actor).first()


def scheme_for(year: int) -> Scheme | None:
    """The scheme version in force for ``year`` (the newest version covering it)."""
    return next((s for s in Scheme.objects.order_by("-version") if s.covers(year)), None)


def status_of(value, target: Target | None, direction: str) -> str:
    """met / near / behind against the target (and its warning threshold); "" without a target or value."""
    if value is None or target is None:
        return ""
    value, goal = Decimal(value), target.target
    if direction == Direction.LOWER:
        if value <= goal:
            return "met"
        return "near" if target.threshold is not None and value <= target.threshold else "behind"
    if value >= goal:
        return "met"
    return "near" if target.threshold is not None and value >= target.threshold else "behind"


def _fmt(value) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}".rstrip("0").rstrip(".")


def year_report(
    town: Jurisdiction, year: int, *, scheme: Scheme | None = None, serialisable: bool = False
) -> list[dict]:
    """One item per indicator of the scheme in force: the year's value against its target, and its trend."""
    scheme = scheme or scheme_for(year)
    if scheme is None:
        return []
    indicators = list(scheme.indicators.all())
    values = {}
    for v in Value.objects.filter(indicator__in=indicators, jurisdiction=town, period_start__year=year).order_by(
        "period_start"
    ):
        values.setdefault(v.indicator_id, []).append(v)
    targets = {t.indicator_id: t for t in Target.objects.filter(indicator__in=indicators, jurisdiction=town, year=year)}
    year_period = periods.year_period(year)
    report = []
    for indicator in indicators:
        rows = values.get(indicator.pk, [])
        total = next((v for v in rows if v.period_start == year_period.start and v.period_end == year_period.end), None)
        series = [
            (periods.label(sources.Period(v.period_start, v.period_end)), _fmt(v.value)) for v in rows if v is not total
        ]
        target = targets.get(indicator.pk)
        item = {
            "code": indicator.code,
            "name": indicator.name,  # the official (Chinese) name: the dossier and snapshots keep it
            "label": indicator.label,  # the name in the page's language
            "category": indicator.category,
            "category_label": str(Category(indicator.category).label),
            "qualitative": indicator.category in QUALITATIVE,
            "kind": indicator.kind,
            "unit": indicator.unit,
            "unit_label": indicator.unit_label,
            "definition": indicator.definition,
            "numerator": indicator.numerator,
            "denominator": indicator.denominator,
            "value": _fmt(total.value) if total else None,
            "num": _fmt(total.numerator) if total else None,
            "den": _fmt(total.denominator) if total else None,
            "computed": total is not None,
            "target": _fmt(target.target) if target else None,
            "status": status_of(total.value if total else None, target, indicator.direction),
            "series": series,
        }
        if not serialisable:
            item["indicator"] = indicator
        report.append(item)
    return report


def single_source(expression: str) -> str | None:
    """The source an expression is exactly (``desk.tickets_closed``), which is what can drill down."""
    if not expression:
        return None
    node = expressions.parse(expression)
    name = expressions._name_of(node)
    return name if name and "." in name else None


def drill_rows(indicator: Indicator, town: Jurisdiction, year: int, part: str):
    """The records behind the numerator or denominator of a value; None where the source offers none."""
    expression = indicator.numerator if part == "num" else indicator.denominator
    name = single_source(expression)
    if name is None:
        return None
    return sources.rows(name, town, periods.year_period(year))


def evidence_packs(town: Jurisdiction, year: int) -> list[dict]:
    packs = {
        p.dimension: p for p in EvidencePack.objects.filter(jurisdiction=town, year=year).prefetch_related("documents")
    }
    period = periods.year_period(year)
    return [
        {
            "dimension": dimension,
            "label": Category(dimension).label,
            "pack": packs.get(dimension),
            "items": sources.evidence(dimension, town, period),
        }
        for dimension in QUALITATIVE
    ]


def snapshots_for(town: Jurisdiction) -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(jurisdiction=town).select_related("submitted_by", "scheme")


def district_comparison(towns: list[Jurisdiction], scheme: Scheme | None, year: int) -> list[dict]:
    """For a district account (``towns``: the towns it sees): each indicator's year value in each town."""
    if scheme is None or len(towns) < 2:
        return []
    indicators = list(scheme.indicators.all())
    year_period = periods.year_period(year)
    values = {
        (v.indicator_id, v.jurisdiction_id): _fmt(v.value)
        for v in Value.objects.filter(
            indicator__in=indicators, jurisdiction__in=towns, period_start=year_period.start, period_end=year_period.end
        )
    }
    return [
        {"name": i.label, "unit": i.unit_label, "values": [values.get((i.pk, t.pk)) for t in towns]} for i in indicators
    ]


def awaiting_decision(town: Jurisdiction) -> list[dict]:
    """The town's tasks and tickets waiting for a leader's or the office's decision, by kind (the apps'
    ``DECISIONS``): how many, and the first few with a link to each."""
    return sources.decisions(town)


# --- the dashboard's reads, kept for a while in each process -------------------------------------
# Under load the dashboard spent its time building a dozen ORM statements per request (benchmark
# ``dashboard``) and rendering the indicators' rows. The year's report changes only when the town's
# year is recomputed, a target is set or a snapshot submitted, so its rendered tables, chart and
# snapshots are kept under a version read in one plain statement; what waits for a decision is
# counted again at most every ``DECISIONS_KEEP`` seconds.

REPORT_KEEP = 600
DECISIONS_KEEP = 30


def report_version(town: Jurisdiction, year: int) -> str:
    """What the kept report depends on, in one plain statement (on every dashboard request: the two
    ORM aggregates it replaced cost ten times the database's answer to build; decision 32)."""
    quote = connection.ops.quote_name
    values, targets, snapshots = (quote(m._meta.db_table) for m in (Value, Target, Snapshot))
    span = periods.year_period(year)
    sql = (
        f"SELECT (SELECT MAX(computed_at) FROM {values} WHERE jurisdiction_id = %s AND period_start BETWEEN %s AND %s),"
        f" (SELECT COUNT(*) FROM {values} WHERE jurisdiction_id = %s AND period_start BETWEEN %s AND %s),"
        f" (SELECT COUNT(*) FROM {snapshots} WHERE jurisdiction_id = %s), (SELECT MAX(id) FROM {snapshots} WHERE jurisdiction_id = %s),"
        f" COUNT(*), MAX(id), SUM(target), SUM(threshold) FROM {targets} WHERE jurisdiction_id = %s AND year = %s"
    )
    adapt = connection.ops.adapt_datefield_value
    span = [town.pk, adapt(span.start), adapt(span.end)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*span, *span, town.pk, town.pk, town.pk, year])
        at, n, snapshots_n, snapshot_last, targets_n, last, target, threshold = cursor.fetchone()
    at = str(at).replace(" ", "T") if at else "-"  # SQLite answers text, PostgreSQL a datetime; a key has no spaces
    return f"{at}:{n}:{snapshots_n}:{snapshot_last}:{targets_n}:{last}:{target}:{threshold}"


def report_key(town: Jurisdiction, year: int) -> str:
    """The cache key of what the dashboard shows of ``town``'s ``year`` (its values against their
    targets, its snapshots): it changes when the values are recomputed, a target is set or a
    snapshot submitted."""
    return f"indicators:report:{town.pk}:{year}:{get_language()}:{report_version(town, year)}"


def awaiting_decision_kept(town: Jurisdiction) -> list[dict]:
    """``awaiting_decision``, counted again at most every ``DECISIONS_KEEP`` seconds."""
    key = f"indicators:decisions:{town.pk}:{get_language()}"
    found = cache.get(key)
    if found is None:
        found = [{**kind, "label": str(kind["label"])} for kind in awaiting_decision(town)]
        cache.set(key, found, DECISIONS_KEEP)
    return found


SATISFIED = 3  # 基本满意 and above, as the 好差评 counts


def mean_interval(scores: list[int]) -> tuple[float | None, float | None, float | None]:
    """Mean and its 95% confidence interval (normal approximation; none below two answers)."""
    n = len(scores)
    if n == 0:
        return None, None, None
    mean = sum(scores) / n
    if n < 2:
        return mean, None, None
    sd = math.sqrt(sum((s - mean) ** 2 for s in scores) / (n - 1))
    half = 1.96 * sd / math.sqrt(n)
    return mean, mean - half, mean + half


def survey_results(survey: Survey) -> dict:
    invitations = list(survey.invitations.all())
    answered = [i for i in invitations if i.answered_at]
    strata = sorted({i.stratum for i in invitations})
    by_invitation = {i.pk: i.stratum for i in invitations}
    questions = []
    for question in survey.questions.all():
        answers = list(question.answers.all())
        item = {"question": question, "n": len(answers)}
        if question.kind == Question.Kind.RATING:
            scores = [a.score for a in answers]
            item["mean"], item["low"], item["high"] = mean_interval(scores)
            item["satisfied"] = (100.0 * sum(s >= SATISFIED for s in scores) / len(scores)) if scores else None
            item["strata"] = [
                (stratum, *mean_interval([a.score for a in answers if by_invitation[a.invitation_id] == stratum]))
                for stratum in strata
            ]
        elif question.kind == Question.Kind.CHOICE:
            item["counts"] = [(c, sum(a.text == c for a in answers)) for c in question.choices]
        else:
            item["texts"] = [a.text for a in answers][:100]
        questions.append(item)
    return {
        "invited": len(invitations),
        "answered": len(answered),
        "response_rate": (100.0 * len(answered) / len(invitations)) if invitations else None,
        "strata": [
            (
                s,
                sum(i.stratum == s for i in invitations),
                sum(i.stratum == s and i.answered_at is not None for i in invitations),
            )
            for s in strata
        ],
        "questions": questions,
    }
