"""Facts that hold a rule over related subjects — a person's enterprises (as legal
representative, founder or holder of a share), an enterprise's legal representative — and the
enterprise that is its legal representative's first founding (初次创业)."""

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext_lazy as _

from ..frame import ENTERPRISE as FRAME_ENTERPRISE
from ..frame import MISSING, evaluate, member_of
from ..frame import PERSON as FRAME_PERSON
from ..links import LINK_CODES
from .base import Fact

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
        chosen = member_of(relation, [LINK_CODES[r] for r in self.relations]) & (person_at >= 0) & (enterprise_at >= 0)
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


def first_founding_columns(frame):
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
