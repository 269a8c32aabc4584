"""The fact and its two evaluations side by side (see the package's docstring); facts read
from one plain column of the subject's row, and the column comparison every fact's ``vector``
uses."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from ..context import Context
from ..frame import MISSING, Frame, Text, day_number, member_of
from ..operators import (
    BOOL,
    BY_TYPE,
    CHOICE,
    DATE,
    NEGATION,
    NOT_YET,
    NUMBER,
    ORDERED_CHOICE_OPS,
    PLACE,
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
        inside = member_of(column, [_number(v) for v in value])
        return inside if op == "in" else ~inside
    raise ValueError(op)
