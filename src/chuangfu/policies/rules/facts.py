"""The fact catalogue: every registry fact a rule may test, as data.

Each fact knows, for one condition (operator + value) on one evaluation date:

* ``vector(...)``: two masks over a whole subject kind read into numpy columns (``frame.Frame``),
  "met" and "not met", both false where the fact is missing — the set-based evaluation of a
  full match;
* ``value_of(record, ...)``: the subject's actual value in Python (``None`` when missing), which
  ``operators.compare`` tests exactly as the predicates do;
* ``from_given(raw, ...)``: the same value from a described subject (test cases, the anonymous
  self-check), where the user states the fact directly ("年龄 30").

Derived facts become comparisons on the stored column: "at least 36 months since founding on
date D" is ``founded_on <= D − 36 months`` (see ``dates``), so no per-row arithmetic is needed.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from chuangfu.registry.industry import (
    DIVISION_CHOICES,
    SECTION_CHOICES,
    industry_code_label,
    is_industry_code,
    section_of_division,
)
from chuangfu.registry.models import (
    CarrierKind,
    Education,
    EmploymentStatus,
    EnterprisePerson,
    EntityType,
    HukouKind,
    PriorityGroup,
    RegistrationStatus,
    Tag,
)
from chuangfu.registry.retirement import SCHEDULES, RetirementGroup, retirement_age_months

from . import dates, months
from .context import Context
from .frame import ENTERPRISE as FRAME_ENTERPRISE
from .frame import FACTS_BY_NAME, MISSING, Frame, Text, day_number, evaluate
from .frame import PERSON as FRAME_PERSON
from .links import FOUNDER_RELATIONS, LINK_CODES
from .operators import (
    BOOL,
    BY_TYPE,
    CHOICE,
    DATE,
    INDUSTRY,
    NEGATION,
    NOT_YET,
    NUMBER,
    ORDERED_CHOICE_OPS,
    PLACE,
    RELATION,
    SET,
    WINDOW_NEGATIONS,
    WINDOW_OPS,
    as_date,
    compare,
    window,
)

PERSON, ENTERPRISE = "person", "enterprise"
NOT_YET_GIVEN = "not_yet"  # how a described subject states "the date is after the evaluation date"
SUBJECT_LABELS = {PERSON: _("个人"), ENTERPRISE: _("企业")}


@dataclass(frozen=True, eq=False)
class Fact:
    name: str
    label: str
    subject: str
    type: str
    unit: str = ""
    question: str = ""  # how the self-check asks for it
    help: str = ""
    maximum: int | None = None  # for numbers: the largest value a rule may name

    # --- the catalogue's description ---------------------------------------------------------

    def operators(self) -> tuple[str, ...]:
        return BY_TYPE[self.type]

    def choices(self) -> list[tuple[str, str]]:
        return []

    def choice_label(self, code) -> str:
        return str(dict(self.choices()).get(code, code))

    def label_for(self, cond: dict) -> str:
        """The fact's name in a condition's wording (a fact with arguments names them)."""
        return str(self.label)

    # --- values ------------------------------------------------------------------------------

    def normalise(self, op: str, value, ctx: Context):
        """The condition's (op, value) in the form ``compare`` and the column tests take: a window
        counted back from the date becomes the absolute range it means on ``ctx.on``."""
        if op in WINDOW_OPS or op in WINDOW_NEGATIONS:
            return window(op, int(value), ctx.on)
        if self.type == DATE:
            return op, [as_date(v) for v in value] if isinstance(value, list) else as_date(value)
        if self.type in (CHOICE, SET):
            return op, list(value)
        return op, value

    def test(self, op: str, value, actual, ctx: Context) -> bool:
        op, value = self.normalise(op, value, ctx)
        return compare(op, actual, value)

    def value_of(self, record, cond: dict, ctx: Context):
        raise NotImplementedError

    def from_given(self, raw, cond: dict, ctx: Context):
        """A stated value (JSON) as the value ``value_of`` would give; ``None`` when not stated."""
        if raw is None or raw == "":
            return None
        if self.type == NUMBER:
            return int(raw)
        if self.type == DATE:
            return as_date(raw)
        if self.type == SET:
            return frozenset(raw)
        if self.type == BOOL:
            return bool(raw)
        if self.type == PLACE:
            return ctx.place_path(raw)
        return raw

    def display(self, actual, ctx: Context) -> str:
        if actual is None:
            return str(_("无数据"))
        if actual is NOT_YET:
            return str(_("尚未发生（日期晚于评估日）"))
        if self.type == NUMBER:
            return f"{actual} {self.unit}".strip()
        if self.type == DATE:
            return actual.isoformat()
        if self.type == CHOICE:
            return self.choice_label(actual)
        if self.type == SET:
            return pgettext("punctuation", "、").join(self.choice_label(c) for c in sorted(actual)) or str(_("无"))
        if self.type == PLACE:
            return ctx.place_name(actual)
        return str(actual)

    # --- columns (a full match) --------------------------------------------------------------

    def vector(self, cond: dict, ctx: Context, frame: Frame) -> tuple[np.ndarray, np.ndarray]:
        """(met, not met) masks over every row of ``frame``; both false where the fact is missing."""
        op, value = self.normalise(cond["op"], cond.get("value"), ctx)
        if op == "is":
            met, not_met = (
                self.vector_test("is", value, cond, ctx, frame),
                self.vector_test("is", not value, cond, ctx, frame),
            )
        else:
            met, not_met = (
                self.vector_test(op, value, cond, ctx, frame),
                self.vector_test(NEGATION[op], value, cond, ctx, frame),
            )
        known = self.vector_known(frame)
        return (met, not_met) if known is None else (met & known, not_met & known)

    def vector_known(self, frame: Frame) -> np.ndarray | None:
        return None

    def vector_test(self, op: str, value, cond: dict, ctx: Context, frame: Frame) -> np.ndarray:
        raise NotImplementedError


# --- plain columns -----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ColumnFact(Fact):
    column: str = ""
    choice_source: Callable | None = None
    ordered: bool = False  # choices are ranked (education): adds "at least" / "at most"
    missing: str = "blank"  # "blank": "" is missing; "null": NULL is missing; "never"

    def operators(self):
        return BY_TYPE[self.type] + (ORDERED_CHOICE_OPS if self.ordered else ())

    def choices(self):
        return list(self.choice_source()) if self.choice_source else []

    def normalise(self, op, value, ctx):
        if op in ORDERED_CHOICE_OPS:
            codes = [c for c, _l in self.choices()]
            index = codes.index(value)
            return "in", codes[index:] if op == "at_least" else codes[: index + 1]
        return super().normalise(op, value, ctx)

    def value_of(self, record, cond, ctx):
        value = getattr(record, self.column)
        if (self.missing == "blank" and value == "") or value is None:
            return None
        return value

    def vector_known(self, frame):
        column = frame.column(self.column)
        if self.missing == "blank":
            return ~column.equals("")
        if self.missing == "null":
            return ~column.equals("") if isinstance(column, Text) else column != MISSING
        return None

    def vector_test(self, op, value, cond, ctx, frame):
        column = frame.column(self.column)
        if op == "is":
            return column.equals(value) if isinstance(column, Text) else column == value
        return compare_vector(column, op, value)


_VECTOR_OPS = {
    "gte": np.greater_equal,
    "gt": np.greater,
    "lte": np.less_equal,
    "lt": np.less,
    "eq": np.equal,
    "ne": np.not_equal,
    "on_or_after": np.greater_equal,
    "after": np.greater,
    "on_or_before": np.less_equal,
    "before": np.less,
}


def _number(value) -> int:
    return day_number(value) if hasattr(value, "toordinal") else int(value)


def compare_vector(column, op: str, value) -> np.ndarray:
    """``column op value`` over a numpy column (dates as day numbers) or a ``Text`` column,
    for known values (the caller masks the missing ones)."""
    if isinstance(column, Text):
        if op == "in":
            return column.among(value)
        if op == "not_in":
            return ~column.among(value)
        raise ValueError(op)
    if op in _VECTOR_OPS:
        return _VECTOR_OPS[op](column, _number(value))
    if op == "between":
        return (column >= _number(value[0])) & (column <= _number(value[1]))
    if op == "outside":
        return (column < _number(value[0])) | (column > _number(value[1]))
    if op in ("in", "not_in"):
        inside = np.isin(column, np.array([_number(v) for v in value], dtype=np.int64))
        return inside if op == "in" else ~inside
    raise ValueError(op)


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


def _tag_choices():
    return Tag.objects.order_by("name").values_list("code", "name")


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


def _column_bool(column: str, true_text, false_text, **kw) -> dict:
    return {
        "true_text": true_text,
        "false_text": false_text,
        "python": lambda r: getattr(r, column),
        "columns": lambda f: (None, f.column(column)),
        **kw,
    }


# --- statutory retirement age ---------------------------------------------------------------------


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
            safe = np.where(birth != MISSING, birth, 0).astype("datetime64[D]")
            month_index = safe.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
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
        birth = frame.column("birth_date")
        safe = np.where(birth != MISSING, birth, 0).astype("datetime64[D]")
        months = safe.astype("datetime64[M]")
        birth_day = (safe - months.astype("datetime64[D]")).astype(np.int64) + 1
        on_index = (ctx.on.year - 1970) * 12 + ctx.on.month - 1
        age_months = on_index - months.astype(np.int64) - (ctx.on.day < birth_day)
        below = age_months < self._ages(frame)[1]
        return below if value else ~below


STARTUP_ENTITY_TYPES = (EntityType.SOLE_PROPRIETOR, EntityType.COOPERATIVE, EntityType.PRIVATE_NON_ENTERPRISE)


def _startup_columns(frame):
    return None, frame.column("entity_type").among(STARTUP_ENTITY_TYPES) | frame.column("is_small_micro")


PERMIT_KINDS = (HukouKind.PERMIT, HukouKind.TALENT_PERMIT)


def _permit_columns(frame):
    kind = frame.column("hukou_kind")
    return ~kind.equals(""), kind.among(PERMIT_KINDS)


def _unemployed_columns(frame):
    status = frame.column("employment_status")
    return ~status.equals(""), status.equals(EmploymentStatus.UNEMPLOYED_REGISTERED)


# --- hosted in a carrier of a kind ("none" = not hosted) ----------------------------------------

NOT_HOSTED = "none"


@dataclass(frozen=True, eq=False)
class CarrierKindFact(Fact):
    def choices(self):
        return [*CarrierKind.choices, (NOT_HOSTED, _("未入驻载体"))]

    def value_of(self, record, cond, ctx):
        return record.carrier_kind or NOT_HOSTED

    def vector_test(self, op, value, cond, ctx, frame):
        kinds = [v for v in value if v != NOT_HOSTED]
        hosted = frame.column("carrier_id") != MISSING
        of_kind = frame.carrier_kind().among(kinds) & hosted
        if op == "in":
            return of_kind | ~hosted if NOT_HOSTED in value else of_kind
        outside = hosted & ~of_kind
        return outside if NOT_HOSTED in value else outside | ~hosted


# --- how many organisations a person has founded ------------------------------------------------


@dataclass(frozen=True, eq=False)
class FoundedFact(Fact):
    def value_of(self, record, cond, ctx):
        return record.founded_count

    def vector_test(self, op, value, cond, ctx, frame):
        return compare_vector(frame.founded_count(), op, value)


# --- history: granted a policy before, optionally within N months -------------------------------


@dataclass(frozen=True, eq=False)
class GrantedFact(Fact):
    def value_of(self, record, cond, ctx):
        args = cond.get("args") or {}
        policy_id = ctx.policy_id(args.get("policy", "self"))
        within = args.get("within_months")
        since = dates.months_before(ctx.on, within) if within else None
        return any(pid == policy_id and on <= ctx.on and (since is None or on > since) for pid, on in record.grants)

    def from_given(self, raw, cond, ctx):
        """Given as {policy code: months since it was granted}; a policy not listed was never granted."""
        if raw is None or raw == "":
            return None
        args = cond.get("args") or {}
        months = raw.get(ctx.policy_code_of(args.get("policy", "self")))
        if months is None:
            return False
        within = args.get("within_months")
        return within is None or int(months) < within

    def vector_test(self, op, value, cond, ctx, frame):
        args = cond.get("args") or {}
        within = args.get("within_months")
        granted = frame.granted(
            ctx.policy_id(args.get("policy", "self")), ctx.on, dates.months_before(ctx.on, within) if within else None
        )
        return granted if value else ~granted

    def display(self, actual, ctx):
        if actual is None:
            return str(_("无数据"))
        return str(_("已享受过") if actual else _("未享受过"))


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


# --- credit: on a dishonesty list (失信) on the date ------------------------------------------------


def listed_on(records, on) -> bool:
    """Listed on ``on``: from the day of listing, until the day before removal."""
    return any(listed <= on and (removed is None or on < removed) for listed, removed in records)


@dataclass(frozen=True, eq=False)
class CreditFact(Fact):
    """On a dishonesty list on the evaluation date (``registry.CreditRecord``); a subject with
    no record is not listed (known)."""

    true_text: str = ""
    false_text: str = ""

    def value_of(self, record, cond, ctx):
        return listed_on(record.credit, ctx.on)

    def vector_test(self, op, value, cond, ctx, frame):
        listed = frame.credit_listed(ctx.on)
        return listed if value else ~listed

    def display(self, actual, ctx):
        if actual is None:
            return str(_("无数据"))
        return str(self.true_text if actual else self.false_text)


# --- social insurance in Shanghai (``months``) ---------------------------------------------------


@dataclass(frozen=True, eq=False)
class InsuredFact(Fact):
    """A person's insured months before the month of the evaluation date: in all, or in a row
    up to last month. A person the extract does not list has none (0, not unknown)."""

    continuous: bool = False

    def value_of(self, record, cond, ctx):
        count = months.continuous if self.continuous else months.total
        return count(record.insured_months, ctx.on)

    def vector_test(self, op, value, cond, ctx, frame):
        return compare_vector(frame.insured_months(ctx.on, self.continuous), op, value)


MAX_INSURED_MONTHS = 600


def months_arg(cond: dict) -> int:
    return int((cond.get("args") or {}).get("months") or 1)


@dataclass(frozen=True, eq=False)
class EmployeesInsuredFact(Fact):
    """How many people the enterprise has insured for at least N months in a row up to last
    month (``args.months``): "insures at least one employee for 6 months". Described as
    ``{"6": 2}`` (months → people); a count of months not stated is unknown."""

    def label_for(self, cond):
        return _("连续参保满 %(n)s 个月的职工人数") % {"n": months_arg(cond)}

    def value_of(self, record, cond, ctx):
        n = months_arg(cond)
        return sum(1 for paid in record.insured if months.continuous(paid, ctx.on) >= n)

    def from_given(self, raw, cond, ctx):
        if not isinstance(raw, dict):
            return None
        count = raw.get(str(months_arg(cond)))
        return None if count is None else int(count)

    def vector_test(self, op, value, cond, ctx, frame):
        return compare_vector(frame.employees_insured(ctx.on, months_arg(cond)), op, value)


# --- relations: a person's enterprises, an enterprise's legal representative ------------------


@dataclass(frozen=True, eq=False)
class RelationFact(Fact):
    other: str = ""  # the subject kind of the nested rule

    def normalise(self, op, value, ctx):
        return op, value


@dataclass(frozen=True, eq=False)
class RepresentsFact(RelationFact):
    """The person is the legal representative of at least one enterprise that satisfies the rule."""

    def value_of(self, record, cond, ctx):
        return list(record.represents)

    def vector(self, cond, ctx, frame):
        """Met: one of the person's enterprises meets the rule; not met: none does and none is
        unknown (a person who represents no enterprise does not meet it)."""
        enterprises = frame.frames.get(FRAME_ENTERPRISE)
        met_there, not_met_there = evaluate(cond["value"], ctx, enterprises)
        people = frame.frames.get(FRAME_PERSON)
        rep = enterprises.legal_rep_positions()
        met, open_somewhere = np.zeros(people.size, bool), np.zeros(people.size, bool)
        met[rep[met_there & (rep >= 0)]] = True
        open_somewhere[rep[~not_met_there & (rep >= 0)]] = True
        return met, ~open_somewhere


MAX_SHARE = 100


def share_arg(cond: dict) -> int:
    return int((cond.get("args") or {}).get("share") or 0)


@dataclass(frozen=True, eq=False)
class LinkedFact(RepresentsFact):
    """The person founded (is legal representative or founder of), or holds at least N % of
    (``by_share``, ``args.share``), at least one enterprise that satisfies the rule. A holding
    whose share is not recorded can make the condition unknown, never met."""

    relations: tuple = ()
    by_share: bool = False

    def label_for(self, cond):
        if self.by_share:
            return _("持股不少于 %(n)s%% 的企业") % {"n": share_arg(cond)}
        return str(self.label)

    def value_of(self, record, cond, ctx):
        """[(capped, enterprise record)]: ``capped`` where the share is unknown."""
        if not self.by_share:
            return [(False, enterprise) for enterprise in record.founded]
        n = share_arg(cond)
        return [(share is None, e) for share, e in record.holdings if share is None or share >= n]

    def related_given(self, raw: list, cond: dict) -> list[tuple[bool, dict]]:
        if not self.by_share:
            return [(False, item) for item in raw]
        n = share_arg(cond)
        return [(item.get("share") is None, item) for item in raw if item.get("share") is None or item["share"] >= n]

    def vector(self, cond, ctx, frame):
        enterprises = frame.frames.get(FRAME_ENTERPRISE)
        met_there, not_met_there = evaluate(cond["value"], ctx, enterprises)
        people = frame.frames.get(FRAME_PERSON)
        person_at, enterprise_at, relation, share = frame.frames.links()
        chosen = np.isin(relation, [LINK_CODES[r] for r in self.relations]) & (person_at >= 0) & (enterprise_at >= 0)
        capped = np.zeros(len(chosen), bool)
        if self.by_share:
            capped = chosen & (share == MISSING)
            chosen &= (share != MISSING) & (share >= share_arg(cond) * 100)
        at = np.maximum(enterprise_at, 0)
        met, open_somewhere = np.zeros(people.size, bool), np.zeros(people.size, bool)
        if len(at):
            met[person_at[chosen & met_there[at]]] = True
            open_somewhere[person_at[(chosen | capped) & ~not_met_there[at]]] = True
        return met, ~open_somewhere


# --- first-time founding (初次创业) ------------------------------------------------------------


def first_founding(founded_on, legal_rep_id, rep_founded_days) -> bool | None:
    """The enterprise is its legal representative's first founding: no other organisation the
    person founded (legal representative or founder) was founded before it. Unknown without a
    legal representative or founding date, or when another founding's date is not recorded."""
    if legal_rep_id is None or founded_on is None:
        return None
    if any(day is not None and day < founded_on for day in rep_founded_days):
        return False
    return None if any(day is None for day in rep_founded_days) else True


def _first_founding_columns(frame):
    def compute():
        people = frame.frames.get(FRAME_PERSON)
        earliest, undated = people.founded_days()
        rep = frame.legal_rep_positions()
        at = np.maximum(rep, 0)
        day = frame.column("founded_on")
        has = (rep >= 0) & (day != MISSING)
        if not people.size:
            return has & False, has & False
        first = earliest[at] >= day
        known = has & (~first | (undated[at] == 0))
        return known, first & known

    return frame.cached("first_founding", compute)


@dataclass(frozen=True, eq=False)
class LegalRepFact(RelationFact):
    """The enterprise's legal representative (a person in the registry) satisfies the rule."""

    def value_of(self, record, cond, ctx):
        return record.legal_rep

    def vector(self, cond, ctx, frame):
        people = frame.frames.get(FRAME_PERSON)
        met_there, not_met_there = evaluate(cond["value"], ctx, people)
        at = frame.legal_rep_positions()
        known = at >= 0
        safe = np.where(known, at, 0)
        if not people.size:
            return np.zeros(frame.size, bool), np.zeros(frame.size, bool)
        return known & met_there[safe], known & not_met_there[safe]


# --- the catalogue ------------------------------------------------------------------------------


def _industry_sections():
    return SECTION_CHOICES


def _industry_divisions():
    return DIVISION_CHOICES


CATALOGUE: tuple[Fact, ...] = (
    # people
    ElapsedFact(
        "age",
        _("年龄"),
        PERSON,
        NUMBER,
        unit=_("周岁"),
        column="birth_date",
        in_years=True,
        maximum=150,
        question=_("您的年龄（周岁）"),
    ),
    ColumnFact(
        "hukou_kind",
        _("户籍性质"),
        PERSON,
        CHOICE,
        column="hukou_kind",
        choice_source=lambda: HukouKind.choices,
        question=_("您的户籍"),
    ),
    HukouPlaceFact(
        "hukou_place",
        _("户籍地"),
        PERSON,
        PLACE,
        question=_("您的户籍所在地"),
        help=_("本市户籍人员的户籍所在区、镇或村居；非本市户籍不在任何区划内"),
    ),
    BoolFact(
        "holds_residence_permit",
        _("持有上海市居住证"),
        PERSON,
        BOOL,
        question=_("是否持有上海市居住证（含海外人才居住证）"),
        true_text=_("持有上海市居住证"),
        false_text=_("未持有上海市居住证"),
        help=_("按户籍性质：外省市户籍持居住证或持海外人才居住证"),
        python=lambda r: None if not r.hukou_kind else r.hukou_kind in PERMIT_KINDS,
        columns=_permit_columns,
    ),
    ElapsedFact(
        "residence_permit_months",
        _("居住证持证时长"),
        PERSON,
        NUMBER,
        unit=_("个月"),
        column="residence_permit_since",
        maximum=1200,
        question=_("持有上海市居住证至今（月）"),
    ),
    PlaceFact("residence", _("常住地"), PERSON, PLACE, question=_("您的常住地")),
    ColumnFact(
        "gender",
        _("性别"),
        PERSON,
        CHOICE,
        column="gender",
        choice_source=lambda: [("M", _("男")), ("F", _("女"))],
        question=_("您的性别"),
    ),
    RetirementFact(
        "below_retirement_age",
        _("未达法定退休年龄"),
        PERSON,
        BOOL,
        question=_("是否未达到法定退休年龄"),
        true_text=_("未达法定退休年龄"),
        false_text=_("已达法定退休年龄"),
        help=_("按性别、岗位类别和出生年月，含2025年起渐进式延迟退休"),
    ),
    ColumnFact(
        "education",
        _("学历"),
        PERSON,
        CHOICE,
        column="education",
        ordered=True,
        choice_source=lambda: Education.choices,
        question=_("您的最高学历"),
    ),
    ElapsedFact(
        "months_since_graduation",
        _("毕业时长"),
        PERSON,
        NUMBER,
        unit=_("个月"),
        column="graduation_date",
        maximum=1200,
        question=_("毕业至今（月）"),
        help=_("按毕业证书日期计算的整月数"),
    ),
    ColumnFact(
        "graduation_date",
        _("毕业日期"),
        PERSON,
        DATE,
        column="graduation_date",
        missing="null",
        question=_("您的毕业日期（按毕业证书）"),
    ),
    ColumnFact(
        "employment_status",
        _("就业状态"),
        PERSON,
        CHOICE,
        column="employment_status",
        choice_source=lambda: EmploymentStatus.choices,
        question=_("您目前的就业状态"),
    ),
    BoolFact(
        "registered_unemployed",
        _("登记失业"),
        PERSON,
        BOOL,
        question=_("是否已办理失业登记"),
        true_text=_("已登记失业"),
        false_text=_("未登记失业"),
        python=lambda r: (
            None if not r.employment_status else r.employment_status == EmploymentStatus.UNEMPLOYED_REGISTERED
        ),
        columns=_unemployed_columns,
    ),
    ElapsedFact(
        "unemployment_months",
        _("失业登记时长"),
        PERSON,
        NUMBER,
        unit=_("个月"),
        column="unemployment_registered_on",
        maximum=1200,
        question=_("失业登记至今（月）"),
    ),
    SetFact(
        "groups",
        _("重点人群"),
        PERSON,
        SET,
        choice_source=lambda: PriorityGroup.choices,
        attribute="groups",
        question=_("您属于哪些重点人群"),
    ),
    BoolFact(
        "entrepreneurial_intent",
        _("创业意向"),
        PERSON,
        BOOL,
        question=_("是否有创业意向"),
        **_column_bool("entrepreneurial_intent", _("有创业意向"), _("无创业意向")),
    ),
    FoundedFact(
        "organisations_founded",
        _("已创办组织数"),
        PERSON,
        NUMBER,
        unit=_("个"),
        maximum=1000,
        question=_("您已创办（任法定代表人或创办人）的组织数量"),
        help=_("名录中以法定代表人或创办人身份关联的企业/组织数"),
    ),
    InsuredFact(
        "insured_months",
        _("在沪累计参保月数"),
        PERSON,
        NUMBER,
        unit=_("个月"),
        maximum=MAX_INSURED_MONTHS,
        question=_("您在本市累计缴纳社会保险的月数（不含本月）"),
        help=_("按社保缴费明细：评估日所在月之前的缴费月数，同月多个单位缴费计一个月；明细中没有的人为 0"),
    ),
    InsuredFact(
        "insured_continuous_months",
        _("在沪连续参保月数"),
        PERSON,
        NUMBER,
        unit=_("个月"),
        maximum=MAX_INSURED_MONTHS,
        continuous=True,
        question=_("截至上月，您在本市连续缴纳社会保险的月数"),
        help=_("截至评估日上月连续缴费的月数；上月未缴费为 0"),
    ),
    CreditFact(
        "credit_listed",
        _("失信名单"),
        PERSON,
        BOOL,
        question=_("评估日是否被列入失信名单"),
        true_text=_("在失信名单中"),
        false_text=_("不在失信名单中"),
        help=_("按名录中的失信记录：列入当日起、移出前一日止属于失信名单"),
    ),
    GrantedFact("granted", _("已享受政策"), PERSON, BOOL, question=_("是否已享受过该政策")),
    RepresentsFact(
        "represents",
        _("担任法定代表人的企业"),
        PERSON,
        RELATION,
        other=ENTERPRISE,
        question=_("您担任法定代表人的企业"),
    ),
    LinkedFact(
        "founded_enterprise",
        _("创办的企业"),
        PERSON,
        RELATION,
        other=ENTERPRISE,
        question=_("您创办（任法定代表人或创办人）的企业"),
        help=_("名录中以法定代表人或创办人/股东身份关联的企业"),
        relations=FOUNDER_RELATIONS,
    ),
    LinkedFact(
        "shareholding",
        _("持股的企业"),
        PERSON,
        RELATION,
        other=ENTERPRISE,
        question=_("您作为创办人/股东持股的企业"),
        help=_("名录中以创办人/股东身份关联、持股比例不低于所填比例的企业；持股比例不详的，结果为待核实"),
        relations=(EnterprisePerson.Relation.FOUNDER,),
        by_share=True,
    ),
    # enterprises
    ElapsedFact(
        "months_since_founding",
        _("成立时长"),
        ENTERPRISE,
        NUMBER,
        unit=_("个月"),
        column="founded_on",
        maximum=1200,
        question=_("企业成立至今（月）"),
    ),
    ColumnFact(
        "founded_on", _("成立日期"), ENTERPRISE, DATE, column="founded_on", missing="null", question=_("企业成立日期")
    ),
    BoolFact(
        "first_founding",
        _("初次创业"),
        ENTERPRISE,
        BOOL,
        question=_("这是否为法定代表人首次创办的组织"),
        true_text=_("法定代表人首次创办的组织"),
        false_text=_("法定代表人此前已创办过其他组织"),
        help=_("法定代表人创办（任法定代表人或创办人）的其他组织均不早于本企业成立"),
        python=lambda r: first_founding(r.founded_on, r.legal_rep_id, r.rep_founded_days),
        columns=_first_founding_columns,
    ),
    ColumnFact(
        "entity_type",
        _("主体类型"),
        ENTERPRISE,
        CHOICE,
        column="entity_type",
        choice_source=lambda: EntityType.choices,
        question=_("企业主体类型"),
    ),
    BoolFact(
        "startup_organisation",
        _("创业组织"),
        ENTERPRISE,
        BOOL,
        question=_("是否为小微企业、个体工商户、农民合作社或民办非企业单位"),
        true_text=_("属于创业组织"),
        false_text=_("不属于创业组织"),
        help=_("小微企业、个体工商户、农民（专业）合作社、民办非企业单位"),
        columns=_startup_columns,
        python=lambda r: r.entity_type in STARTUP_ENTITY_TYPES or bool(r.is_small_micro),
    ),
    BoolFact(
        "is_small_micro",
        _("小微企业"),
        ENTERPRISE,
        BOOL,
        question=_("是否为小微企业"),
        **_column_bool("is_small_micro", _("是小微企业"), _("不是小微企业")),
    ),
    ColumnFact(
        "registration_status",
        _("登记状态"),
        ENTERPRISE,
        CHOICE,
        column="registration_status",
        choice_source=lambda: RegistrationStatus.choices,
        question=_("企业登记状态"),
    ),
    PlaceFact("registered_in", _("注册地"), ENTERPRISE, PLACE, question=_("企业注册地")),
    ColumnFact(
        "industry_section",
        _("行业门类"),
        ENTERPRISE,
        CHOICE,
        column="industry_section",
        choice_source=_industry_sections,
        question=_("企业所属行业门类"),
    ),
    ColumnFact(
        "industry_division",
        _("行业大类"),
        ENTERPRISE,
        CHOICE,
        column="industry_division",
        choice_source=_industry_divisions,
        question=_("企业所属行业大类（两位代码）"),
    ),
    IndustryFact(
        "industry",
        _("行业（国民经济行业分类）"),
        ENTERPRISE,
        INDUSTRY,
        question=_("企业所属行业代码（门类字母，或2至4位的大类、中类、小类代码，如 5292）"),
        help=_(
            "可写任一层级的代码：门类 F、大类 52、中类 529、小类 5292；只登记到大类的企业遇到中类、小类条件时待核实"
        ),
    ),
    ColumnFact(
        "insured_employees",
        _("参保人数"),
        ENTERPRISE,
        NUMBER,
        unit=_("人"),
        column="insured_employees",
        missing="null",
        maximum=1_000_000,
        question=_("企业参保职工人数"),
    ),
    EmployeesInsuredFact(
        "employees_insured",
        _("连续参保职工人数"),
        ENTERPRISE,
        NUMBER,
        unit=_("人"),
        maximum=1_000_000,
        question=_("截至上月，由企业连续参保满规定月数的职工人数"),
        help=_("截至评估日上月，由本企业连续缴纳社保满所填月数的人数"),
    ),
    CarrierKindFact("carrier_kind", _("入驻载体类型"), ENTERPRISE, CHOICE, question=_("企业入驻的载体类型")),
    SetFact(
        "tags", _("企业标签"), ENTERPRISE, SET, choice_source=_tag_choices, attribute="tags", question=_("企业标签")
    ),
    CreditFact(
        "enterprise_credit_listed",
        _("企业失信名单"),
        ENTERPRISE,
        BOOL,
        question=_("企业在评估日是否被列入失信名单"),
        true_text=_("企业在失信名单中"),
        false_text=_("企业不在失信名单中"),
        help=_("按名录中的失信记录：列入当日起、移出前一日止属于失信名单"),
    ),
    GrantedFact("enterprise_granted", _("已享受政策"), ENTERPRISE, BOOL, question=_("企业是否已享受过该政策")),
    LegalRepFact("legal_rep", _("法定代表人"), ENTERPRISE, RELATION, other=PERSON, question=_("企业法定代表人")),
)

FACTS: dict[str, Fact] = {f.name: f for f in CATALOGUE}
FACTS_BY_NAME.update(FACTS)


def facts_for(subject: str) -> list[Fact]:
    return [f for f in CATALOGUE if f.subject == subject]
