"""Facts derived from the subject's own row: time elapsed since a date (age, years since
founding), memberships (priority groups, tags), places (where, 户籍地), yes/no predicates,
below the statutory retirement age, and industry at any level of GB/T 4754-2017."""

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext_lazy as _

from chuangfu.registry.industry import industry_code_label, is_industry_code, section_of_division
from chuangfu.registry.models import HukouKind, PriorityGroup
from chuangfu.registry.retirement import SCHEDULES, RetirementGroup, retirement_age_months

from .. import dates
from ..frame import MISSING, day_number
from ..operators import NOT_YET
from .base import NOT_YET_GIVEN, Fact

# --- time elapsed since a date, compared as a cut-off date --------------------------------------


@dataclass(frozen=True, eq=False)
class ElapsedFact(Fact):
    column: str = ""
    in_years: bool = False

    def _elapsed(self, start, on):
        return dates.years_between(start, on) if self.in_years else dates.months_between(start, on)

    def _cutoff(self, on, n):
        return dates.years_before(on, n) if self.in_years else dates.months_before(on, n)

    def value_of(self, record, cond, ctx):
        start = getattr(record, self.column)
        if start is None:
            return None
        return NOT_YET if start > ctx.on else self._elapsed(start, ctx.on)

    def from_given(self, raw, cond, ctx):
        """Whole months (years) as a number, or ``"not_yet"`` for a date after the evaluation date."""
        if raw == NOT_YET_GIVEN:
            return NOT_YET
        return super().from_given(raw, cond, ctx)

    def vector(self, cond, ctx, frame):
        """As ``Fact.vector``, except that a start after the evaluation date ("not yet") meets
        no comparison: it is "not met" whatever the operator."""
        met, not_met = super().vector(cond, ctx, frame)
        column = frame.column(self.column)
        future = (column != MISSING) & (column > day_number(ctx.on))
        return met & ~future, not_met | future

    def vector_known(self, frame):
        return frame.column(self.column) != MISSING

    def vector_test(self, op, value, cond, ctx, frame):
        col = frame.column(self.column)

        def at_least(n):
            return col <= day_number(self._cutoff(ctx.on, n))

        def below(n):
            return col > day_number(self._cutoff(ctx.on, n))

        tests = {
            "gte": lambda: at_least(value),
            "gt": lambda: at_least(value + 1),
            "lt": lambda: below(value),
            "lte": lambda: below(value + 1),
            "eq": lambda: at_least(value) & below(value + 1),
            "ne": lambda: below(value) | at_least(value + 1),
            "between": lambda: at_least(value[0]) & below(value[1] + 1),
            "outside": lambda: below(value[0]) | at_least(value[1] + 1),
        }
        if op not in tests:
            raise ValueError(op)
        return tests[op]()


# --- memberships: priority groups, tags ---------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SetFact(Fact):
    """Memberships: priority groups of a person, tags of an enterprise (``frame.Frame.members``)."""

    choice_source: Callable | None = None
    attribute: str = ""  # on the Python record; also names the mask: "groups" or "tags"

    def choices(self):
        return list(self.choice_source())

    def value_of(self, record, cond, ctx):
        return getattr(record, self.attribute)

    def vector_test(self, op, value, cond, ctx, frame):
        codes = set(value)
        if self.attribute == "groups":  # as the mask: a code that is no group asks nothing
            codes &= set(PriorityGroup.values)
        masks = [frame.members(code) for code in sorted(codes)]
        if op in ("has_any", "has_none"):
            hit = functools.reduce(np.logical_or, masks) if masks else np.zeros(frame.size, bool)
            return hit if op == "has_any" else ~hit
        every = functools.reduce(np.logical_and, masks) if masks else np.ones(frame.size, bool)
        return every if op == "has_all" else ~every


# --- where: a jurisdiction and everything under it ---------------------------------------------


@dataclass(frozen=True, eq=False)
class PlaceFact(Fact):
    def normalise(self, op, value, ctx):
        return op, ctx.place_path(value) or f"?{value}"

    def value_of(self, record, cond, ctx):
        return record.jurisdiction_path

    def vector_known(self, frame):
        return frame.place_known()

    def vector_test(self, op, value, cond, ctx, frame):
        inside = frame.within(value)
        return inside if op == "within" else ~inside


# 户籍地: a place in the registry's tree for local hukou; "outside" for everyone else whose hukou
# kind is known (their hukou is in another province or abroad, so within no place here).
OUTSIDE = "outside"
LOCAL_HUKOU = (HukouKind.LOCAL,)


@dataclass(frozen=True, eq=False)
class HukouPlaceFact(PlaceFact):
    def value_of(self, record, cond, ctx):
        if record.hukou_kind and record.hukou_kind not in LOCAL_HUKOU:
            return OUTSIDE
        return record.hukou_place_path

    def from_given(self, raw, cond, ctx):
        return OUTSIDE if raw == OUTSIDE else super().from_given(raw, cond, ctx)

    def display(self, actual, ctx):
        return str(_("非本市户籍")) if actual == OUTSIDE else super().display(actual, ctx)

    def _outside(self, frame):
        kind = frame.column("hukou_kind")
        return ~kind.equals("") & ~kind.among(LOCAL_HUKOU)

    def vector_known(self, frame):
        return frame.place_known("hukou_place_id") | self._outside(frame)

    def vector_test(self, op, value, cond, ctx, frame):
        inside = frame.within(value, "hukou_place_id") & ~self._outside(frame)
        return inside if op == "within" else ~inside


# --- derived yes/no facts -----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class BoolFact(Fact):
    """A yes/no fact given by a predicate on the row (``when_true``) and its Python twin."""

    true_text: str = ""
    false_text: str = ""
    python: Callable | None = None  # record -> bool | None
    columns: Callable | None = None  # frame -> (known mask | None, true mask)

    def value_of(self, record, cond, ctx):
        return self.python(record)

    def vector_known(self, frame):
        return self.columns(frame)[0]

    def vector_test(self, op, value, cond, ctx, frame):
        true = self.columns(frame)[1]
        return true if value else ~true

    def display(self, actual, ctx):
        if actual is None:
            return str(_("无数据"))
        return str(self.true_text if actual else self.false_text)


# --- statutory retirement age ---------------------------------------------------------------------


def _birth_months(frame) -> tuple[np.ndarray, np.ndarray]:
    """(month index since 1970-01, day of the month) of each row's birth date, computed once per
    frame (0 for a missing date: those rows are never known)."""

    def compute():
        birth = frame.column("birth_date")
        safe = np.where(birth != MISSING, birth, 0).astype("datetime64[D]")
        months = safe.astype("datetime64[M]")
        return months.astype(np.int64), (safe - months.astype("datetime64[D]")).astype(np.int64) + 1

    return frame.cached("birth_months", compute)


@dataclass(frozen=True, eq=False)
class RetirementFact(BoolFact):
    """Below the statutory retirement age on the date (``registry.retirement``): whole months of
    age below the age that applies to the person's gender, group and birth month. Unknown for a
    woman whose group is not recorded and for someone who chose early or flexible retirement."""

    def value_of(self, record, cond, ctx):
        months = retirement_age_months(record.birth_date, record.gender, record.retirement_group)
        return None if months is None else dates.months_between(record.birth_date, ctx.on) < months

    def display(self, actual, ctx):
        if actual is None:
            return str(_("无法确定（性别、岗位类别或出生日期不详，或已选择弹性退休）"))
        return super().display(actual, ctx)

    def _ages(self, frame) -> tuple[np.ndarray, np.ndarray]:
        """(known mask, retirement age in months) per row, by the schedules of ``registry.retirement``."""

        def compute():
            birth = frame.column("birth_date")
            gender, group = frame.column("gender"), frame.column("retirement_group")
            known = np.zeros(frame.size, bool)
            ages = np.zeros(frame.size, np.int64)
            month_index = _birth_months(frame)[0]
            for key, schedule in SCHEDULES.items():
                if key == "male":
                    rows = gender.equals("M") & ~group.equals(RetirementGroup.ELECTED)
                else:
                    rows = gender.equals("F") & group.equals(key)
                rows &= birth != MISSING
                first = (schedule.first_cohort[0] - 1970) * 12 + schedule.first_cohort[1] - 1
                k = month_index - first
                delay = np.where(k < 0, 0, np.minimum(schedule.max_delay, k // schedule.months_per_step + 1))
                ages = np.where(rows, schedule.base_years * 12 + delay, ages)
                known |= rows
            return known, ages

        return frame.cached("retirement_ages", compute)

    def vector_known(self, frame):
        return self._ages(frame)[0]

    def vector_test(self, op, value, cond, ctx, frame):
        month_index, birth_day = _birth_months(frame)
        on_index = (ctx.on.year - 1970) * 12 + ctx.on.month - 1
        age_months = on_index - month_index - (ctx.on.day < birth_day)
        below = age_months < self._ages(frame)[1]
        return below if value else ~below


# --- industry at any level of GB/T 4754-2017 ------------------------------------------------------


@dataclass(frozen=True)
class Industry:
    section: str
    division: str
    klass: str

    def code(self) -> str:
        return self.klass or self.division or self.section


def industry_status(code: str, industry: Industry) -> bool | None:
    """Whether the enterprise's industry is under ``code``; ``None`` when what is recorded cannot
    tell (only the division is known and the code names a class in it)."""
    if code.isalpha():
        return (industry.section == code) if industry.section else None
    if len(code) == 2:
        return (industry.division == code) if industry.division else None
    if industry.klass:
        return industry.klass.startswith(code)
    if industry.division and industry.division != code[:2]:
        return False
    return None


def _industry_any(codes, industry: Industry) -> bool | None:
    statuses = [industry_status(c, industry) for c in codes]
    if True in statuses:
        return True
    return False if all(s is False for s in statuses) else None


@dataclass(frozen=True, eq=False)
class IndustryFact(Fact):
    """The enterprise's industry is under any of the codes (sections, divisions, groups or
    classes, mixed): "5292" meets 互联网零售 only, "52" all of 零售业, "F" all of its section."""

    def valid_code(self, code: str) -> bool:
        return is_industry_code(code)

    def choice_label(self, code):
        return industry_code_label(code)

    def value_of(self, record, cond, ctx):
        industry = Industry(record.industry_section, record.industry_division, record.industry_class or "")
        return None if _industry_any(cond.get("value") or (), industry) is None else industry

    def from_given(self, raw, cond, ctx):
        """Given as the most specific code known: "5292", "52" or "F"."""
        if not raw:
            return None
        code = str(raw).strip().upper()
        if code.isalpha():
            industry = Industry(code, "", "")
        else:
            industry = Industry(section_of_division(code[:2]) or "", code[:2], code if len(code) == 4 else "")
        return None if _industry_any(cond.get("value") or (), industry) is None else industry

    def normalise(self, op, value, ctx):
        return op, list(value)

    def test(self, op, value, actual, ctx):
        hit = _industry_any(value, actual)
        return hit if op == "in" else not hit

    def display(self, actual, ctx):
        if actual is None:
            return str(_("无数据（或仅知大类，无法判断）"))
        return industry_code_label(actual.code()) if actual.code() else str(_("无数据"))

    def vector(self, cond, ctx, frame):
        section, division = frame.column("industry_section"), frame.column("industry_division")
        klass = frame.column("industry_class")
        met = np.zeros(frame.size, bool)
        not_met = np.ones(frame.size, bool)
        for code in cond.get("value") or ():
            if code.isalpha():
                known, hit = ~section.equals(""), section.equals(code)
            elif len(code) == 2:
                known, hit = ~division.equals(""), division.equals(code)
            else:
                has_class = klass != MISSING
                hit = has_class & (klass // 10 ** (4 - len(code)) == int(code))
                known = has_class | (~division.equals("") & ~division.equals(code[:2]))
            met |= known & hit
            not_met &= known & ~hit
        return (met, not_met) if cond["op"] == "in" else (not_met, met)
