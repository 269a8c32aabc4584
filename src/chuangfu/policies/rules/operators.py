"""Comparison operators, by the type of fact they apply to, with their negations.

A condition is met, not met or unknown. The set-based side needs, for each condition, a
mask for "met" and one for "not met" (both false when the fact is missing); "not met" is
the negated operator applied to a known value, so every operator has a negation here. Negations
that staff never pick directly (``outside``, ``lacks_any``) exist only for that purpose.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .dates import months_before, years_before

NUMBER, DATE, CHOICE, SET, BOOL, PLACE, RELATION = "number", "date", "choice", "set", "bool", "place", "relation"
INDUSTRY = "industry"  # GB/T 4754 codes at any level: a section letter or 2 to 4 digits
KEYWORDS = "keywords"  # free text (经营范围) tested for the keywords it mentions

# How a value is given: one scalar, a [low, high] pair, a list of codes, a nested rule, or a
# whole number of years / months / calendar years counted back from the evaluation date.
ONE, RANGE, MANY, RULE, COUNT = "one", "range", "many", "rule", "count"


@dataclass(frozen=True)
class Operator:
    code: str
    label: str  # as shown in the rule editor
    arity: str


OPERATORS: dict[str, Operator] = {
    op.code: op
    for op in (
        Operator("gte", _("不小于（≥）"), ONE),
        Operator("gt", _("大于（>）"), ONE),
        Operator("lte", _("不大于（≤）"), ONE),
        Operator("lt", _("小于（<）"), ONE),
        Operator("eq", _("等于"), ONE),
        Operator("ne", _("不等于"), ONE),
        Operator("between", _("介于（含两端）"), RANGE),
        Operator("outside", _("不在范围内"), RANGE),
        Operator("on_or_after", _("当日或之后"), ONE),
        Operator("after", _("之后"), ONE),
        Operator("on_or_before", _("当日或之前"), ONE),
        Operator("before", _("之前"), ONE),
        Operator("within_years", _("在评估日前若干年内（含周年当日）"), COUNT),
        Operator("within_months", _("在评估日前若干个月内（含当日）"), COUNT),
        Operator("in_calendar_years", _("在评估日所在年度或之前若干个年度"), COUNT),
        Operator("not_within_years", _("不在评估日前若干年内"), COUNT),
        Operator("not_within_months", _("不在评估日前若干个月内"), COUNT),
        Operator("not_in_calendar_years", _("不在评估日所在年度或之前若干个年度"), COUNT),
        Operator("in", _("是以下之一"), MANY),
        Operator("not_in", _("不是以下任何一个"), MANY),
        Operator("at_least", _("不低于"), ONE),
        Operator("at_most", _("不高于"), ONE),
        Operator("has_any", _("属于以下任一"), MANY),
        Operator("has_all", _("同时属于以下全部"), MANY),
        Operator("has_none", _("不属于以下任何一个"), MANY),
        Operator("lacks_any", _("不同时属于以下全部"), MANY),
        Operator("mentions_any", _("含以下任一关键词"), MANY),
        Operator("mentions_all", _("同时含以下全部关键词"), MANY),
        Operator("mentions_none", _("不含以下任何关键词"), MANY),
        Operator("lacks_mention", _("不同时含以下全部关键词"), MANY),
        Operator("is", _("为"), ONE),
        Operator("within", _("在以下区划内"), ONE),
        Operator("not_within", _("不在以下区划内"), ONE),
        Operator("satisfies", _("满足以下条件"), RULE),
    )
}

NEGATION = {
    "gte": "lt",
    "lt": "gte",
    "gt": "lte",
    "lte": "gt",
    "eq": "ne",
    "ne": "eq",
    "between": "outside",
    "outside": "between",
    "on_or_after": "before",
    "before": "on_or_after",
    "after": "on_or_before",
    "on_or_before": "after",
    "within_years": "not_within_years",
    "not_within_years": "within_years",
    "within_months": "not_within_months",
    "not_within_months": "within_months",
    "in_calendar_years": "not_in_calendar_years",
    "not_in_calendar_years": "in_calendar_years",
    "in": "not_in",
    "not_in": "in",
    "has_any": "has_none",
    "has_none": "has_any",
    "has_all": "lacks_any",
    "lacks_any": "has_all",
    "within": "not_within",
    "not_within": "within",
    "mentions_any": "mentions_none",
    "mentions_none": "mentions_any",
    "mentions_all": "lacks_mention",
    "lacks_mention": "mentions_all",
}

# Operators staff may choose, per fact type (order = order in the editor).
BY_TYPE = {
    NUMBER: ("gte", "lte", "between", "gt", "lt", "eq", "ne"),
    DATE: (
        "on_or_after",
        "on_or_before",
        "between",
        "after",
        "before",
        "within_years",
        "within_months",
        "in_calendar_years",
    ),
    CHOICE: ("in", "not_in"),
    SET: ("has_any", "has_all", "has_none"),
    BOOL: ("is",),
    PLACE: ("within", "not_within"),
    RELATION: ("satisfies",),
    INDUSTRY: ("in", "not_in"),
    KEYWORDS: ("mentions_any", "mentions_all", "mentions_none"),
}
ORDERED_CHOICE_OPS = ("at_least", "at_most")
# Windows counted back from the evaluation date, and the largest count each takes.
WINDOW_OPS = {"within_years": 150, "within_months": 1800, "in_calendar_years": 150}
WINDOW_NEGATIONS = {"not_within_years", "not_within_months", "not_in_calendar_years"}


class NotYet:
    """The value of "time since X" when X is after the evaluation date: no comparison holds
    (an enterprise founded after the date was not "founded at most 36 months ago")."""

    def __repr__(self):
        return "NOT_YET"


NOT_YET = NotYet()


def window(op: str, n: int, on: datetime.date) -> tuple[str, list[datetime.date]]:
    """A window operator as the absolute range it means on ``on``: ``between`` (or ``outside``
    for a negation) ``[first day, on]``. "Within 3 years" starts on the day three years before
    (the anniversary itself is inside); "the current year or the 2 before" on 1 January two
    years back; a date after ``on`` is outside every window ("not yet")."""

    base = op.removeprefix("not_")
    if base == "within_years":
        first = years_before(on, n)
    elif base == "within_months":
        first = months_before(on, n)
    else:
        first = datetime.date(on.year - n, 1, 1)
    return ("outside" if op.startswith("not_") else "between"), [first, on]


def compare(op: str, actual, value) -> bool:
    """Whether a known ``actual`` satisfies ``op value`` (the Python twin of the column tests)."""
    if actual is NOT_YET:
        return False
    if op in ("gte", "on_or_after"):
        return actual >= value
    if op in ("gt", "after"):
        return actual > value
    if op in ("lte", "on_or_before"):
        return actual <= value
    if op in ("lt", "before"):
        return actual < value
    if op == "eq":
        return actual == value
    if op == "ne":
        return actual != value
    if op == "between":
        return value[0] <= actual <= value[1]
    if op == "outside":
        return not (value[0] <= actual <= value[1])
    if op == "in":
        return actual in value
    if op == "not_in":
        return actual not in value
    if op == "has_any":
        return bool(set(actual) & set(value))
    if op == "has_none":
        return not (set(actual) & set(value))
    if op == "has_all":
        return set(value) <= set(actual)
    if op == "lacks_any":
        return not set(value) <= set(actual)
    if op == "within":
        return actual == value or actual.startswith(value + "/")
    if op == "not_within":
        return not (actual == value or actual.startswith(value + "/"))
    if op == "is":
        return actual is value or actual == value
    raise ValueError(f"unknown operator {op}")


def as_date(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))
