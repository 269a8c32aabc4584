"""Can any subject meet this rule? A satisfiability check over the whole rule tree, run when a
rule is saved, so a rule that can match nobody is refused with the reason.

A subject meets a rule when every condition it needs is met on known facts, so the question
is classical satisfiability over the facts' domains. The rule is first put in negation normal
form (a "not" pushed down to the conditions, swapping "all" and "any"); then a depth-first
search picks one member of each "any" group and collects the conditions that must hold
together, per fact, checking each fact's domain as conditions arrive:

* numbers as sets of integer intervals (time since a date also has the value "not yet", which
  meets no comparison but meets every negated one);
* dates as intervals of days; windows counted back from the evaluation date ("within 3 years")
  as intervals of half-months before it, apart from absolute dates (whether "founded before
  2020 and within 3 years" can hold depends on the date, so it is never refused);
* choices and yes/no as sets of values; memberships (groups, tags) by trying every combination
  of the codes named; places by trying every jurisdiction;
* "the legal representative satisfies …" adds its conditions about the same person; "represents
  an enterprise that …" needs, for each such condition, one enterprise meeting it and every
  negated one ("represents no enterprise that …") together.

The search stops after ``BUDGET`` steps and then says "satisfiable": the check refuses only
what it has proven impossible.
"""

import datetime
import itertools
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .facts import FACTS, OUTSIDE, ElapsedFact, HukouPlaceFact, RepresentsFact
from .facts.text import fold, mentions
from .nodes import node_kind
from .operators import BOOL, CHOICE, DATE, KEYWORDS, NEGATION, NUMBER, ORDERED_CHOICE_OPS, PLACE, SET, WINDOW_OPS
from .tree import condition_text, punct

BUDGET = 20_000
FREE = object()  # a node that failed validation: constrains nothing
INF = 10**12
NOT_YET = -1  # "not yet": for time since a date, and windows of a date after the evaluation date


@dataclass(frozen=True)
class Literal:
    scope: str  # "" for the subject, "legal_rep" for its legal representative
    cond: dict
    negated: bool
    where: str

    @property
    def fact(self):
        return FACTS[self.cond["fact"]]

    def key(self) -> tuple:
        op = self.cond["op"]
        family = "abs"
        if op in WINDOW_OPS or op.removeprefix("not_") in WINDOW_OPS:
            family = "cal" if op.endswith("calendar_years") else "win"
        return self.scope, self.cond["fact"], family, repr(sorted((self.cond.get("args") or {}).items()))


@dataclass(frozen=True)
class Represents:
    """ "Represents an enterprise that meets ``rule``" (or, negated, "represents none that does")."""

    rule: dict
    negated: bool
    where: str
    relation: tuple = ("represents", "")  # the fact and its arguments: only the same relation is compared


@dataclass
class Conflict:
    literals: list
    text: str = ""


@dataclass
class _Search:
    subject: str
    places: list  # every jurisdiction path
    steps: int = 0
    conflicts: list = field(default_factory=list)

    # --- the search ---------------------------------------------------------------------------

    def satisfiable(self, items: list, store: dict, represents: tuple = ()) -> bool:
        self.steps += 1
        if self.steps > BUDGET:
            return True
        while items:
            item, items = items[0], items[1:]
            if item is FREE:
                continue
            if isinstance(item, Literal):
                key = item.key()
                held = (*store.get(key, ()), item)
                if not _consistent(held, self.places):
                    self.conflicts.append(Conflict(_minimal(held, self.places)))
                    return False
                store = {**store, key: held}
            elif isinstance(item, Represents):
                represents = (*represents, item)
            elif item[0] == "all":
                items = [*item[1], *items]
            else:  # "any": one member is enough
                return any(self.satisfiable([member, *items], store, represents) for member in item[1])
        return self._represents_ok(represents)

    def _represents_ok(self, represents: tuple) -> bool:
        for relation in dict.fromkeys(r.relation for r in represents):
            if not self._relation_ok([r for r in represents if r.relation == relation]):
                return False
        return True

    def _relation_ok(self, represents: list) -> bool:
        wanted = [r for r in represents if not r.negated]
        refused = [r for r in represents if r.negated]
        for one in wanted:
            inner = _Search(FACTS["represents"].other, self.places, steps=self.steps)
            parts = [nnf(one.rule, False, "", one.where), *(nnf(r.rule, True, "", r.where) for r in refused)]
            ok = inner.satisfiable(parts, {})
            self.steps = inner.steps
            if not ok:
                where = [one.where, *(r.where for r in refused)]
                self.conflicts.append(Conflict(where, _represents_text(one, refused, inner.conflicts)))
                return False
        return True


# --- negation normal form -------------------------------------------------------------------------


def nnf(node: dict, negated: bool, scope: str, where: str):
    """``node`` (negated if asked) with every "not" pushed down to the conditions."""
    kind = node_kind(node)
    if kind == "invalid":  # a condition refused for its own reasons: it may be met or not
        return FREE
    if kind in ("all", "any"):
        flipped = {"all": "any", "any": "all"}[kind] if negated else kind
        children = [nnf(c, negated, scope, _child(where, i)) for i, c in enumerate(node[kind])]
        return (flipped, children)
    if kind == "not":
        return nnf(node["not"], not negated, scope, where or _("条件 1"))
    fact = FACTS[node["fact"]]
    where = where or _("条件 1")
    if fact.name == "legal_rep":  # a condition on the same person, met only if the person is known
        return nnf(node["value"], negated, "legal_rep", where)
    if isinstance(fact, RepresentsFact):
        return Represents(node["value"], negated, where, (fact.name, repr(sorted((node.get("args") or {}).items()))))
    return Literal(scope, node, negated, where)


def _child(where: str, i: int) -> str:
    return f"{where}.{i + 1}" if where else _("条件 %(n)d") % {"n": i + 1}


# --- each fact's domain ---------------------------------------------------------------------------


def _intersect(a: list, b: list) -> list:
    out = []
    for lo1, hi1 in a:
        for lo2, hi2 in b:
            lo, hi = max(lo1, lo2), min(hi1, hi2)
            if lo <= hi:
                out.append((lo, hi))
    return out


def _complement(region: list, domain: tuple) -> list:
    out, start = [], domain[0]
    for lo, hi in sorted(region):
        if lo > start:
            out.append((start, lo - 1))
        start = max(start, hi + 1)
    if start <= domain[1]:
        out.append((start, domain[1]))
    return out


def _number_region(op: str, v) -> list:
    low, high = 0, INF
    return {
        "gte": lambda: [(v, high)],
        "gt": lambda: [(v + 1, high)],
        "lte": lambda: [(low, v)],
        "lt": lambda: [(low, v - 1)],
        "eq": lambda: [(v, v)],
        "ne": lambda: [(low, v - 1), (v + 1, high)],
        "between": lambda: [(v[0], v[1])],
        "outside": lambda: [(low, v[0] - 1), (v[1] + 1, high)],
    }[op]()


def _date_region(op: str, v) -> list:
    def day(text):
        return datetime.date.fromisoformat(text).toordinal()

    if op == "between":
        return [(day(v[0]), day(v[1]))]
    d = day(v)
    return {
        "on_or_after": [(d, INF)],
        "after": [(d + 1, INF)],
        "on_or_before": [(-INF, d)],
        "before": [(-INF, d - 1)],
    }[op]


def _window_region(op: str, n: int) -> list:
    """In half-months before the date (2k: exactly k months back; 2k − 1: between k − 1 and k),
    or calendar years before the date's year; "not yet" (after the date) is outside."""
    base = op.removeprefix("not_")
    if base == "within_years":
        return [(0, 24 * n)]
    if base == "within_months":
        return [(0, 2 * n)]
    return [(0, n)]


def _interval_region(literal: Literal) -> tuple[list, tuple]:
    """(the values the literal allows, the fact's whole domain)."""
    fact, op, v = literal.fact, literal.cond["op"], literal.cond.get("value")
    if fact.type == NUMBER:
        domain = (NOT_YET if isinstance(fact, ElapsedFact) else 0, INF)
        region = _number_region(op, v)
    elif op in WINDOW_OPS or op.removeprefix("not_") in WINDOW_OPS:
        domain = (NOT_YET, INF)
        region = _window_region(op, v)
        if op.startswith("not_"):
            region = _complement(region, domain)
    else:  # a fact whose value may be "absent" (outside the group) has a point below every date
        domain = (-INF - 1 if getattr(fact, "absent_meets_nothing", False) else -INF, INF)
        region = _date_region(op, v)
    region = _intersect(region, [domain])
    return (_complement(region, domain) if literal.negated else region), domain


def _choice_allowed(literal: Literal) -> set:
    fact, op, v = literal.fact, literal.cond["op"], literal.cond.get("value")
    codes = [c for c, _l in fact.choices()]
    if op in ORDERED_CHOICE_OPS:
        allowed = set(fact.normalise(op, v, None)[1])
    else:
        allowed = set(v) if op == "in" else set(codes) - set(v)
    return set(codes) - allowed if literal.negated else allowed


def _set_holds(literal: Literal, members: set) -> bool:
    op, v = literal.cond["op"], set(literal.cond.get("value") or ())
    if literal.negated:
        op = NEGATION[op]
    return {
        "has_any": lambda: bool(members & v),
        "has_none": lambda: not members & v,
        "has_all": lambda: v <= members,
        "lacks_any": lambda: not v <= members,
    }[op]()


def _place_holds(literal: Literal, path: str, places_by_code: dict) -> bool:
    op = literal.cond["op"]
    target = places_by_code.get(literal.cond["value"], "?")
    inside = path != OUTSIDE and (path == target or path.startswith(target + "/"))
    met = inside if op == "within" else not inside
    return not met if literal.negated else met


def _consistent(literals: tuple, places: list) -> bool:
    fact = literals[0].fact
    if fact.type in (NUMBER, DATE):
        region = None
        for literal in literals:
            allowed, _domain = _interval_region(literal)
            region = allowed if region is None else _intersect(region, allowed)
            if not region:
                return False
        return True
    if fact.type == CHOICE:
        allowed = set.intersection(*(_choice_allowed(literal) for literal in literals))
        return bool(allowed)
    if fact.type == BOOL:
        values = {literal.cond["value"] != literal.negated for literal in literals}
        return len(values) == 1
    if fact.type == SET:
        codes = sorted(set().union(*(set(literal.cond.get("value") or ()) for literal in literals)))
        if len(codes) > 14:
            return True  # too many to try: not proven impossible
        for picks in itertools.product((False, True), repeat=len(codes)):
            members = {c for c, on in zip(codes, picks) if on}
            if all(_set_holds(literal, members) for literal in literals):
                return True
        return False
    if fact.type == KEYWORDS:
        return _keywords_consistent(literals)
    if fact.type == PLACE:
        by_code = {path.rsplit("/", 1)[-1]: path for path in places}
        candidates = [*places, OUTSIDE] if isinstance(fact, HukouPlaceFact) else places
        return any(all(_place_holds(literal, path, by_code) for literal in literals) for path in candidates)
    return True


def _keywords_consistent(literals: tuple) -> bool:
    """Some text meets every keyword literal: try each choice of which named keywords it
    mentions, the choice being possible when no keyword left out occurs inside one put in (a
    text mentioning "软件开发" mentions "软件"); the text is then the chosen keywords, apart."""
    words = sorted({fold(str(w)) for literal in literals for w in literal.cond.get("value") or ()})
    if len(words) > 14:
        return True  # too many to try: not proven impossible
    for picks in itertools.product((False, True), repeat=len(words)):
        present = [w for w, on in zip(words, picks) if on]
        if any(w in p for w, on in zip(words, picks) if not on for p in present):
            continue
        text = "\n".join(present) or "\n"
        if all(mentions(_op(literal), literal.cond.get("value") or (), text) for literal in literals):
            return True
    return False


def _op(literal: Literal) -> str:
    return NEGATION[literal.cond["op"]] if literal.negated else literal.cond["op"]


def _minimal(literals: tuple, places: list) -> list:
    """A smallest-by-deletion subset of ``literals`` that still cannot hold together."""
    kept = list(literals)
    for literal in list(kept):
        rest = [x for x in kept if x is not literal]
        if rest and not _consistent(tuple(rest), places):
            kept = rest
    return kept


# --- the reasons, in words ------------------------------------------------------------------------


def _literal_text(literal: Literal) -> str:
    text = condition_text(literal.cond, None)
    if literal.negated:
        text = _("并非“%(text)s”") % {"text": text}
    if literal.scope == "legal_rep":
        text = _("法定代表人%(text)s") % {"text": text}
    return text


def _represents_text(one: Represents, refused: list, inner: list) -> str:
    reasons = "；".join(_conflict_text(c) for c in inner[:1]) or _("条件互相矛盾")
    if one.relation[0] != "represents":  # founded or held enterprises: named by the fact
        label = FACTS[one.relation[0]].label
        if refused:
            text = _("%(where)s 要求%(label)s中有一家满足的条件，与其他条件不能同时成立（%(reason)s）。")
        else:
            text = _("%(where)s 要求%(label)s满足的条件无法同时成立（%(reason)s）。")
        return text % {"where": one.where, "label": label, "reason": reasons}
    if refused:
        return _("%(where)s 要求担任法定代表人的企业中有一家满足的条件，与其他条件不能同时成立（%(reason)s）。") % {
            "where": one.where,
            "reason": reasons,
        }
    return _("%(where)s 要求担任法定代表人的企业满足的条件无法同时成立（%(reason)s）。") % {
        "where": one.where,
        "reason": reasons,
    }


def _conflict_text(conflict: Conflict) -> str:
    if conflict.text:
        return conflict.text
    positions = punct("、").join(dict.fromkeys(literal.where for literal in conflict.literals))
    wording = _("且").join(_literal_text(literal) for literal in conflict.literals)
    if len(conflict.literals) == 1:
        return _("%(position)s 不可能满足：%(wording)s。") % {"position": positions, "wording": wording}
    return _("%(positions)s 互相矛盾：%(wording)s，没有对象能同时满足。") % {"positions": positions, "wording": wording}


def unsatisfiable_reasons(rule: dict, subject: str, places: list) -> list[str]:
    """[] when some subject could meet ``rule`` (or the search ran out of steps); otherwise why
    not — each distinct contradiction the search met (at most three)."""
    search = _Search(subject, places)
    if search.satisfiable([nnf(rule, False, "", "")], {}):
        return []
    texts = list(dict.fromkeys(_conflict_text(c) for c in search.conflicts))
    return texts[:3] or [_("该规则没有任何对象能满足。")]
