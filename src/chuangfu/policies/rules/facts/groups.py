"""Facts of a priority group's own record (``registry.PersonGroup``): the type of a 就业困难人员,
the grade and kind of a disability, a veteran's discharge date, the months a 长期失业青年 has been
out of work.

Each belongs to one group. Someone outside the group is known not to have it — "就业困难人员类别
is 大龄" is not met, and no comparison on a veteran's discharge date holds for a non-veteran
(``ABSENT``, like "not yet" for a date after the evaluation date) — while a member whose detail
is not recorded is unknown ("to be verified"), never guessed.

Over columns the group rows of the four groups are read once (one SELECT, the choices as small
codes computed by the database) into one column per detail on the people's frame: a choice as
``Text`` codes with "none" for non-members, a date as a day number with ``FAR`` for non-members.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext_lazy as _

from chuangfu.registry.models import GROUP_DETAILS, DisabilityGrade, DisabilityKind, HardshipType, PersonGroup

from .. import dates
from ..frame import MISSING, Text, _codes_sql, _days_sql, _table, _vocabulary
from ..operators import BY_TYPE, CHOICE, DATE, NEGATION, NOT_YET, NUMBER, ORDERED_CHOICE_OPS
from .base import NOT_YET_GIVEN, PERSON, Fact, compare_vector
from .derived import ElapsedFact

NONE = "none"  # the choice "not in the group", and how a described subject says so for any detail
FAR = np.iinfo(np.int32).max  # the day column of a non-member: after every evaluation date


class Absent:
    """The value of a group's detail for someone outside the group: meets no comparison."""

    def __repr__(self):
        return "ABSENT"


ABSENT = Absent()
_CHOICE_DETAILS = ("hardship_type", "disability_grade", "disability_kind")
_DATE_DETAILS = ("discharged_on", "unemployed_since")


def group_details(record, group: str):
    """The person's row of ``group`` as {detail: value}, or ``None`` outside the group."""
    return record.group_details.get(group)


def group_columns(frame) -> dict:
    """{detail: column over the people's frame} for every detail of ``GROUP_DETAILS``."""

    def read():
        groups = sorted(set(GROUP_DETAILS.values()))
        vocabularies = {
            name: _vocabulary([*(c for c, _l in PersonGroup._meta.get_field(name).flatchoices), NONE])
            for name in _CHOICE_DETAILS
        }
        marks = ", ".join(f"'{g}'" for g in groups)
        group_case = " ".join(f"WHEN '{g}' THEN {i}" for i, g in enumerate(groups))
        exprs = [f'CASE s."group" {group_case} ELSE -1 END']
        exprs += [_codes_sql(name, vocabularies[name]) for name in _CHOICE_DETAILS]
        exprs += [_days_sql(name) for name in _DATE_DETAILS]
        rows = frame.frames.rows(
            f"SELECT s.person_id, {', '.join(exprs)} FROM {_table(PersonGroup)} s",
            kind=PERSON,
            column="s.person_id",
            where=f's."group" IN ({marks})',
        )
        block = np.array(rows, dtype=np.int64).reshape(-1, 1 + len(exprs))
        at = frame.positions(block[:, 0])
        columns = {}
        for i, name in enumerate(_CHOICE_DETAILS + _DATE_DETAILS):
            mine = (block[:, 1] == groups.index(GROUP_DETAILS[name])) & (at >= 0)
            if name in _CHOICE_DETAILS:
                codes = np.full(frame.size, vocabularies[name][NONE], dtype=np.int32)
                codes[at[mine]] = block[mine, 2 + i]
                columns[name] = Text(codes, vocabularies[name])
            else:
                column = np.full(frame.size, FAR, dtype=np.int64)
                column[at[mine]] = block[mine, 2 + i]
                columns[name] = column
        return columns

    return frame.cached("group_details", read)


# --- a choice: the type of 就业困难人员, the grade and kind of a disability ----------------------


@dataclass(frozen=True, eq=False)
class GroupChoiceFact(Fact):
    """``detail`` of the person's row in its group; "none" outside the group. ``ordered``: the
    choices are listed from the least to the most (残疾等级 四级 … 一级), so "at least 二级" is 二级 or
    一级 (and never "none")."""

    detail: str = ""
    choice_source: Callable | None = None
    none_label: str = ""
    ordered: bool = False

    @property
    def group(self) -> str:
        return GROUP_DETAILS[self.detail]

    def operators(self):
        return BY_TYPE[CHOICE] + (ORDERED_CHOICE_OPS if self.ordered else ())

    def ranked(self) -> list[str]:
        return [c for c, _l in self.choice_source()]

    def choices(self):
        return [*self.choice_source(), (NONE, self.none_label)]

    def normalise(self, op, value, ctx):
        if op in ORDERED_CHOICE_OPS:
            ranked = self.ranked()
            index = ranked.index(value)
            return "in", ranked[index:] if op == "at_least" else ranked[: index + 1]
        return op, list(value)

    def value_of(self, record, cond, ctx):
        details = group_details(record, self.group)
        if details is None:
            return NONE
        return details.get(self.detail) or None

    def vector_known(self, frame):
        return ~group_columns(frame)[self.detail].equals("")

    def vector_test(self, op, value, cond, ctx, frame):
        return compare_vector(group_columns(frame)[self.detail], op, value)


# --- a date: a veteran's discharge ----------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class GroupDateFact(Fact):
    """A date of the person's row in its group, with windows counted back from the evaluation
    date ("discharged within 3 years", the anniversary inside); ``ABSENT`` outside the group."""

    detail: str = ""
    none_label: str = ""
    absent_meets_nothing: bool = True  # for ``satisfiable``: the domain has a point below every date

    @property
    def group(self) -> str:
        return GROUP_DETAILS[self.detail]

    def value_of(self, record, cond, ctx):
        details = group_details(record, self.group)
        if details is None:
            return ABSENT
        return details.get(self.detail)

    def from_given(self, raw, cond, ctx):
        return ABSENT if raw == NONE else super().from_given(raw, cond, ctx)

    def test(self, op, value, actual, ctx):
        return False if actual is ABSENT else super().test(op, value, actual, ctx)

    def display(self, actual, ctx):
        return str(self.none_label) if actual is ABSENT else super().display(actual, ctx)

    def vector(self, cond, ctx, frame):
        column = group_columns(frame)[self.detail]
        op, value = self.normalise(cond["op"], cond.get("value"), ctx)
        absent = column == FAR
        known = (column != MISSING) & ~absent
        met = compare_vector(column, op, value) & known
        not_met = compare_vector(column, NEGATION[op], value) & known
        return met, not_met | absent


# --- time since a date: the months a 长期失业青年 has been out of work --------------------------------


@dataclass(frozen=True, eq=False)
class GroupElapsedFact(ElapsedFact):
    """Whole months since a date of the person's row in its group; "not yet" for a date after
    the evaluation date, ``ABSENT`` outside the group — neither meets any comparison."""

    detail: str = ""
    none_label: str = ""

    @property
    def group(self) -> str:
        return GROUP_DETAILS[self.detail]

    def value_of(self, record, cond, ctx):
        details = group_details(record, self.group)
        if details is None:
            return ABSENT
        start = details.get(self.detail)
        if start is None:
            return None
        return NOT_YET if start > ctx.on else dates.months_between(start, ctx.on)

    def from_given(self, raw, cond, ctx):
        return ABSENT if raw == NONE else super().from_given(raw, cond, ctx)

    def test(self, op, value, actual, ctx):
        return False if actual is ABSENT else super().test(op, value, actual, ctx)

    def display(self, actual, ctx):
        return str(self.none_label) if actual is ABSENT else super().display(actual, ctx)

    def vector(self, cond, ctx, frame):
        """``ElapsedFact.vector`` over the detail's column, put on the frame under the fact's
        column name: a non-member's ``FAR`` day is after the date, so it meets nothing."""
        frame.columns.setdefault(self.column, group_columns(frame)[self.detail])
        return super().vector(cond, ctx, frame)


def described_detail(fact, value):
    """A group detail's value as a described subject states it (``NONE`` outside the group)."""
    if value is ABSENT:
        return NONE
    if value is NOT_YET:
        return NOT_YET_GIVEN
    return value.isoformat() if hasattr(value, "isoformat") else value


def _hardship_types():
    return HardshipType.choices


def _disability_grades():
    return DisabilityGrade.choices


def _disability_kinds():
    return DisabilityKind.choices


# In the catalogue after "重点人群" (``catalogue.CATALOGUE``).
GROUP_FACTS = (
    GroupChoiceFact(
        "hardship_type",
        _("就业困难人员类别"),
        PERSON,
        CHOICE,
        detail="hardship_type",
        choice_source=_hardship_types,
        none_label=_("不是就业困难人员"),
        question=_("如为就业困难人员，认定的类别"),
        help=_("按重点人群记录中认定的类别；不是就业困难人员的为“不是就业困难人员”，类别未登记的待核实"),
    ),
    GroupChoiceFact(
        "disability_grade",
        _("残疾等级"),
        PERSON,
        CHOICE,
        detail="disability_grade",
        choice_source=_disability_grades,
        none_label=_("不是残疾人"),
        ordered=True,
        question=_("如持有残疾人证，残疾等级"),
        help=_("一级最重；“不低于二级”即一级或二级。不是残疾人的为“不是残疾人”，等级未登记的待核实"),
    ),
    GroupChoiceFact(
        "disability_kind",
        _("残疾类别"),
        PERSON,
        CHOICE,
        detail="disability_kind",
        choice_source=_disability_kinds,
        none_label=_("不是残疾人"),
        question=_("如持有残疾人证，残疾类别"),
    ),
    GroupDateFact(
        "discharged_on",
        _("退役日期"),
        PERSON,
        DATE,
        detail="discharged_on",
        none_label=_("不是退役军人"),
        question=_("如为退役军人，退役日期"),
        help=_("按重点人群记录中的退役日期；不是退役军人的，任何日期条件都不满足"),
    ),
    GroupElapsedFact(
        "long_unemployed_months",
        _("长期失业青年连续失业时长"),
        PERSON,
        NUMBER,
        unit=_("个月"),
        column="group:unemployed_since",
        maximum=1200,
        detail="unemployed_since",
        none_label=_("不是长期失业青年"),
        question=_("如为长期失业青年，本次连续失业至今（月）"),
        help=_("按重点人群记录中的连续失业起始日期计算的整月数；不是长期失业青年的，任何条件都不满足"),
    ),
)
