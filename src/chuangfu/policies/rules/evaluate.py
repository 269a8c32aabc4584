"""Evaluation for one subject in Python: every condition met, not met or unknown, with the
subject's actual value — the explanation a person or a clerk reads.

The subject is either a registry record (``RecordSource``) or a described subject whose facts are
stated directly (``GivenSource``: rule test cases, the anonymous self-check). Groups combine in
Kleene's three-valued logic: "all" is not met as soon as one part is not met, unknown if none is
not met but one is unknown; "any" the mirror image; "not" swaps met and not met.
"""

from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from .context import Context
from .facts import FACTS, LinkedFact, RelationFact, RepresentsFact
from .nodes import node_kind
from .tree import GROUP_TEXT, condition_text

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
STATUS_LABELS = {MET: gettext_noop("满足"), NOT_MET: gettext_noop("不满足"), UNKNOWN: gettext_noop("待核实")}


class Outcome:
    """One node's result. Its wording and the displayed actual value are made only when read,
    so matching many subjects does not pay for text nobody looks at."""

    _NONE = object()

    def __init__(
        self,
        kind: str,
        node: dict,
        ctx: Context,
        status: str,
        *,
        fact: str = "",
        raw=_NONE,
        actual: str | None = None,
        children: list | None = None,
    ):
        self.kind = kind  # "all", "any", "not" or "condition"
        self.node = node
        self.ctx = ctx
        self.status = status
        self.fact = fact
        self._raw = raw
        self._actual = actual
        self.children = children or []

    @cached_property
    def text(self) -> str:
        if self.kind in GROUP_TEXT:
            return str(GROUP_TEXT[self.kind]())
        return self.ctx.text_of(self.node, get_language(), lambda: condition_text(self.node, self.ctx))

    @cached_property
    def actual(self) -> str:
        if self._actual is not None:
            return self._actual
        if self._raw is Outcome._NONE:
            return ""
        return FACTS[self.fact].display(self._raw, self.ctx)

    @property
    def status_label(self) -> str:
        return _(STATUS_LABELS[self.status])


@dataclass
class Explanation:
    result: str  # "eligible", "almost", "unknown" or "ineligible" (``models.Result``)
    root: Outcome
    conditions: list[Outcome]  # the top-level conditions
    open_index: int | None
    open_count: int

    @property
    def open_conditions(self) -> list[Outcome]:
        return [c for c in self.conditions if c.status != MET]

    @property
    def open_condition(self) -> Outcome | None:
        return self.conditions[self.open_index] if self.open_index is not None else None


def kleene_all(statuses) -> str:
    statuses = list(statuses)
    if NOT_MET in statuses:
        return NOT_MET
    return UNKNOWN if UNKNOWN in statuses else MET


def kleene_any(statuses) -> str:
    statuses = list(statuses)
    if MET in statuses:
        return MET
    return UNKNOWN if UNKNOWN in statuses else NOT_MET


def negate(status: str) -> str:
    return {MET: NOT_MET, NOT_MET: MET, UNKNOWN: UNKNOWN}[status]


class RecordSource:
    """Facts read from a registry record (``subjects.PersonRecord`` / ``EnterpriseRecord``).
    ``capped``: a related subject that can make a condition unknown but never met (a holding
    whose share is not recorded)."""

    def __init__(self, record, capped: bool = False):
        self.record = record
        self.capped = capped

    @property
    def label(self) -> str:
        return self.record.name

    def value(self, fact, cond, ctx):
        return fact.value_of(self.record, cond, ctx)

    def related(self, fact, cond, ctx):
        value = fact.value_of(self.record, cond, ctx)
        if value is None:
            return None
        if isinstance(value, (list, tuple)):
            return [RecordSource(v[1], v[0]) if isinstance(v, tuple) else RecordSource(v) for v in value]
        return RecordSource(value)


class GivenSource:
    """Facts stated directly: ``{"age": 30, "hukou_kind": "local", "legal_rep": {...}}``.

    A fact that is not stated is unknown. ``represents`` is a list of enterprise descriptions
    (``[]`` = represents none); ``granted`` maps policy codes to months since the grant.
    """

    def __init__(self, facts: dict, label: str = "", capped: bool = False):
        self.facts = facts or {}
        self._label = label
        self.capped = capped

    @property
    def label(self) -> str:
        return self._label or str(self.facts.get("name") or _("所述企业"))

    def value(self, fact, cond, ctx):
        return fact.from_given(self.facts.get(fact.name), cond, ctx)

    def related(self, fact, cond, ctx):
        raw = self.facts.get(fact.name)
        if raw is None:
            return None
        if isinstance(fact, LinkedFact):
            return [GivenSource(item, capped=capped) for capped, item in fact.related_given(raw, cond)]
        if isinstance(fact, RepresentsFact):
            return [GivenSource(item) for item in raw]
        return GivenSource(raw)


def evaluate_node(node: dict, source, ctx: Context) -> Outcome:
    kind = node_kind(node)
    if kind in ("all", "any"):
        children = [evaluate_node(c, source, ctx) for c in node[kind]]
        combine = kleene_all if kind == "all" else kleene_any
        return Outcome(kind, node, ctx, combine(c.status for c in children), children=children)
    if kind == "not":
        child = evaluate_node(node["not"], source, ctx)
        return Outcome("not", node, ctx, negate(child.status), children=[child])
    fact = FACTS[node["fact"]]
    if isinstance(fact, RelationFact):
        return _evaluate_relation(fact, node, source, ctx)
    actual = source.value(fact, node, ctx)
    if actual is None:
        status = UNKNOWN
    else:
        status = MET if fact.test(node["op"], node.get("value"), actual, ctx) else NOT_MET
    return Outcome("condition", node, ctx, status, fact=fact.name, raw=actual)


def _evaluate_relation(fact, node, source, ctx) -> Outcome:
    related = source.related(fact, node, ctx)
    if related is None:
        missing = _("未关联法定代表人") if fact.name == "legal_rep" else _("无数据")
        return Outcome("condition", node, ctx, UNKNOWN, fact=fact.name, actual=str(missing))
    if not isinstance(related, list):
        inner = evaluate_node(node["value"], related, ctx)
        return Outcome(
            "condition",
            node,
            ctx,
            inner.status,
            fact=fact.name,
            actual=related.label,
            children=_inner_children(node["value"], inner),
        )
    if not related:
        none = _("未担任任何企业的法定代表人") if fact.name == "represents" else _("名录中没有这样的企业")
        return Outcome("condition", node, ctx, NOT_MET, fact=fact.name, actual=str(none))
    outcomes = [(src, evaluate_node(node["value"], src, ctx)) for src in related]
    rank = {MET: 0, UNKNOWN: 1, NOT_MET: 2}

    def status_of(src, outcome):  # a capped subject (share unknown) is at best unknown
        return UNKNOWN if src.capped and outcome.status == MET else outcome.status

    status = kleene_any(status_of(src, o) for src, o in outcomes)
    best_source, best = min(outcomes, key=lambda pair: rank[status_of(*pair)])
    return Outcome(
        "condition",
        node,
        ctx,
        status,
        fact=fact.name,
        actual=best_source.label,
        children=_inner_children(node["value"], best),
    )


def _inner_children(rule: dict, outcome: Outcome) -> list[Outcome]:
    return outcome.children if node_kind(rule) == "all" else [outcome]


def explain(rule: dict, source, ctx: Context) -> Explanation:
    """Evaluate ``rule`` for one subject; the result classes match the set-based evaluation."""
    root = evaluate_node(rule, source, ctx)
    conditions = root.children if node_kind(rule) == "all" else [root]
    open_positions = [i for i, c in enumerate(conditions) if c.status != MET]
    open_index = open_positions[0] if open_positions else None
    if root.status == MET:
        result = "eligible"
    elif root.status == UNKNOWN:
        result = "unknown"
    elif len(conditions) >= 2 and len(open_positions) == 1:
        result = "almost"
    else:
        result = "ineligible"
    return Explanation(result, root, conditions, open_index, len(open_positions))
