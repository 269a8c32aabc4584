"""Unit scorecards (考评): each member unit's lines computed from live records through the unit
sources the apps register, weighted by ``ScorecardMeasure`` rows, and ranked.

Scoring, per line: a rate scores its share (0–1), or one minus it when lower is better; a count
scores its share of the best unit's count in the town. A line without data for a unit (no
denominator, nobody counted) leaves that unit's score, which is the weighted mean of the lines it
has data for, times 100. Equal scores share a rank.

A unit with no work in the period — nothing counted on any line, numerator or denominator — has
no score ("no data"): it is not ranked, not placed last and not given 0, but listed apart, because
nothing it did can be judged (docs/decisions.md, decision 32). Before this rule the count lines
gave such a unit 0 points (its 0 activities against the best unit's), so a unit nobody had
dispatched to ranked last with 0 as if it had failed.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Role, Unit
from chuangfu.core.scoping import within

from . import sources
from .models import Direction, ScorecardMeasure
from .selectors import can_view, towns_for

HUNDRED = Decimal(100)


@dataclass
class Line:
    measure: ScorecardMeasure
    num: int
    den: int | None
    value: Decimal | None  # a rate in percent, or the count
    points: Decimal | None  # 0–1, before the weight

    @property
    def display(self) -> str:
        if self.value is None:
            return "—"
        return f"{self.value:.1f}" if self.measure.is_rate else str(int(self.value))


@dataclass
class Card:
    unit: Unit
    lines: list[Line] = field(default_factory=list)
    score: Decimal | None = None
    rank: int | None = None

    @property
    def has_work(self) -> bool:
        """Something counted for the unit on some line in the period."""
        return any(line.num or line.den for line in self.lines)

    @property
    def score_display(self) -> str:
        return "—" if self.score is None else f"{self.score:.1f}"


def measures() -> list[ScorecardMeasure]:
    return list(ScorecardMeasure.objects.filter(active=True))


def units_of(town) -> list[Unit]:
    """The member units of ``town``: active units of the town and the places under it."""
    return list(Unit.objects.filter(within(town), active=True).order_by("name"))


def cards(town, period, *, only_unit: int | None = None) -> list[Card]:
    """Every member unit's card for ``period``, ranked by score (the ranking is the town's, also
    when ``only_unit`` keeps one card)."""
    lines_of = measures()
    names = {m.numerator for m in lines_of} | {m.denominator for m in lines_of if m.denominator}
    counts = {name: sources.unit_counts(name, town, period) for name in names}
    units = units_of(town)
    best = {m.code: max((counts[m.numerator].get(u.pk, 0) for u in units), default=0) for m in lines_of}
    result = []
    for unit in units:
        card = Card(unit=unit)
        for m in lines_of:
            num = counts[m.numerator].get(unit.pk, 0)
            if m.is_rate:
                den = counts[m.denominator].get(unit.pk, 0)
                share = Decimal(num) / Decimal(den) if den else None
                value = None if share is None else share * HUNDRED
                points = None if share is None else (1 - share if m.direction == Direction.LOWER else share)
                points = None if points is None else min(max(points, Decimal(0)), Decimal(1))
            else:
                den = None
                value = Decimal(num)
                top = best[m.code]
                share = Decimal(num) / Decimal(top) if top else None
                points = None if share is None else (1 - share if m.direction == Direction.LOWER else share)
            card.lines.append(Line(m, num, den, value, points))
        weighted = [(line.measure.weight, line.points) for line in card.lines if line.points is not None]
        total = sum(w for w, _ in weighted)
        if total and card.has_work:
            card.score = sum(Decimal(w) * p for w, p in weighted) / total * HUNDRED
        result.append(card)
    result.sort(key=lambda c: (c.score is None, -(c.score or 0), c.unit.name))
    scores = [c.score for c in result if c.score is not None]
    for card in result:  # equal scores share a rank (1, 2, 2, 4)
        card.rank = None if card.score is None else 1 + sum(1 for other in scores if other > card.score)
    if only_unit is not None:
        result = [c for c in result if c.unit.pk == only_unit]
    return result


# --- who sees which cards -------------------------------------------------------------------------


def sees_ranking(actor) -> bool:
    """Leaders and admins see every unit's card of their towns."""
    return can_view(actor)


def own_unit(actor) -> Unit | None:
    """A unit's liaison sees the card of their own unit only."""
    if actor.is_authenticated and not actor.is_superuser and actor.role == Role.UNIT_LIAISON and actor.unit_id:
        return actor.unit
    return None


def get_unit_for(actor, pk: int) -> Unit:
    """The unit whose card ``actor`` may open: one of their towns' units, or their own; else not found."""
    unit = Unit.objects.filter(pk=pk).select_related("jurisdiction").first() if 0 < pk < 2**63 else None
    if unit is not None:
        mine = own_unit(actor)
        if mine is not None and mine.pk == unit.pk:
            return unit
        town = unit.jurisdiction.town
        if sees_ranking(actor) and town is not None and towns_for(actor).filter(pk=town.pk).exists():
            return unit
    raise NotFound()


def line_rows(measure: ScorecardMeasure, part: str, town, period, unit_id: int):
    """The records behind one line of one unit's card (its numerator or denominator)."""
    name = measure.numerator if part == "num" else measure.denominator
    if not name:
        return None
    return sources.unit_rows(name, town, period, unit_id)
