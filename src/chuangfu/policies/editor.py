"""The structured rule editor: the rule tree held in form fields, edited with htmx.

Each node of the tree has a path: ``r`` is the root group, ``r.0`` its first child, ``r.3.v`` the
rule nested in a relation condition at ``r.3``. A group posts ``<path>.kind`` (all / any / not);
a condition posts ``<path>.fact``, ``<path>.op`` and its value fields (``.value``, ``.low`` /
``.high`` for ranges, ``.values`` for lists, ``.policy`` / ``.within`` for "granted before").

Every button posts the whole form: ``action=add:<path>`` adds a condition to a group,
``group:<path>`` a sub-group, ``remove:<path>`` removes a node, ``refresh`` re-draws after a fact
or operator changed, ``save`` validates and stores. Nothing is saved until ``save`` succeeds;
the tree in the form is never code, only choices from the fact catalogue.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import rules
from .rules.facts import FACTS, EmployeesInsuredFact, GrantedFact, RelationFact
from .rules.nodes import node_kind
from .rules.operators import BOOL, COUNT, DATE, INDUSTRY, KEYWORDS, MANY, NUMBER, OPERATORS, PLACE, RANGE, RULE

_INDEX = re.compile(r"^\d+$")


# --- from the posted form to a tree -------------------------------------------------------------


def _int_or_text(raw: str):
    raw = (raw or "").strip()
    try:
        return int(raw)
    except ValueError:
        return raw


def _children_paths(data, path: str) -> list[str]:
    prefix = path + "."
    indices = set()
    for key in data:
        if key.startswith(prefix):
            head = key[len(prefix) :].split(".", 1)[0]
            if _INDEX.match(head):
                indices.add(int(head))
    return [f"{path}.{i}" for i in sorted(indices)]


def parse(data, path: str = "r") -> dict:
    """The tree posted under ``path`` (values typed as far as they can be; validation judges)."""
    if f"{path}.kind" in data:
        kind = data.get(f"{path}.kind") or "all"
        children = [parse(data, child) for child in _children_paths(data, path)]
        if kind == "not":
            return {"not": children[0] if len(children) == 1 else {"all": children}}
        return {kind if kind in ("all", "any") else "all": children}
    name = data.get(f"{path}.fact", "")
    fact = FACTS.get(name)
    op = data.get(f"{path}.op", "")
    cond = {"fact": name, "op": op}
    if fact is None or op not in OPERATORS:
        return cond
    arity = OPERATORS[op].arity
    if arity == RULE:
        cond["value"] = parse(data, f"{path}.v") if f"{path}.v.kind" in data or f"{path}.v.fact" in data else {}
        if getattr(fact, "by_share", False):
            cond["args"] = {"share": _int_or_text(data.get(f"{path}.share", ""))}
    elif arity == COUNT:
        cond["value"] = _int_or_text(data.get(f"{path}.value", ""))
    elif arity == RANGE:
        low, high = data.get(f"{path}.low", ""), data.get(f"{path}.high", "")
        cond["value"] = [_int_or_text(low), _int_or_text(high)] if fact.type == NUMBER else [low, high]
    elif fact.type == INDUSTRY:
        cond["value"] = [c for c in re.split(r"[\s,，、;；]+", str(data.get(f"{path}.codes", ""))) if c]
    elif fact.type == KEYWORDS:
        cond["value"] = [c for c in re.split(r"[\s,，、;；]+", str(data.get(f"{path}.keywords", ""))) if c]
    elif arity == MANY:
        cond["value"] = data.getlist(f"{path}.values") if hasattr(data, "getlist") else data.get(f"{path}.values", [])
    elif fact.type == BOOL:
        cond["value"] = data.get(f"{path}.value") == "true"
    elif fact.type == NUMBER:
        cond["value"] = _int_or_text(data.get(f"{path}.value", ""))
    else:
        cond["value"] = data.get(f"{path}.value", "")
    if isinstance(fact, GrantedFact):
        within = _int_or_text(data.get(f"{path}.within", ""))
        cond["args"] = {
            "policy": data.get(f"{path}.policy") or "self",
            "within_months": within if within != "" else None,
        }
    if isinstance(fact, EmployeesInsuredFact):
        cond["args"] = {"months": _int_or_text(data.get(f"{path}.months", ""))}
    return cond


# --- editing actions ----------------------------------------------------------------------------


def _steps(path: str) -> list[str]:
    return path.split(".")[1:]


def _group_children(node: dict) -> list:
    kind = node_kind(node)
    if kind == "not":
        inner = node["not"]
        if node_kind(inner) != "all":
            node["not"] = inner = {"all": [inner]}
        return inner["all"]
    return node[kind]


def _locate(tree: dict, path: str):
    node = tree
    for step in _steps(path):
        node = node["value"] if step == "v" else _group_children(node)[int(step)]
    return node


def new_condition(subject: str) -> dict:
    fact = rules.facts_for(subject)[0]
    return {"fact": fact.name, "op": fact.operators()[0], "value": None}


def apply(tree: dict, action: str, subject: str) -> dict:
    """Apply an add / group / remove action to the tree (in place) and return it."""
    verb, _sep, path = action.partition(":")
    try:
        if verb in ("add", "group"):
            target = _locate(tree, path)
            kind = _subject_at(tree, path, subject)
            item = new_condition(kind) if verb == "add" else {"all": [new_condition(kind)]}
            _group_children(target).append(item)
        elif verb == "remove" and path not in ("r", ""):
            parent_path, _dot, index = path.rpartition(".")
            children = _group_children(_locate(tree, parent_path))
            del children[int(index)]
    except (KeyError, IndexError, ValueError, TypeError):
        pass  # a stale button (the tree changed meanwhile): nothing to do
    return tree


def _subject_at(tree: dict, path: str, subject: str) -> str:
    """Which subject's facts apply at ``path`` (the other one inside a relation)."""
    node, kind = tree, subject
    for step in _steps(path):
        if step == "v":
            kind = FACTS[node["fact"]].other
            node = node["value"]
        else:
            node = _group_children(node)[int(step)]
    return kind


def starting_tree(rule: dict, subject: str) -> dict:
    if not rule:
        return {"all": [new_condition(subject)]}
    if node_kind(rule) != "condition":
        return rule
    return {"all": [rule]}


# --- from a tree to what the template draws -----------------------------------------------------


@dataclass
class EditorNode:
    path: str
    is_group: bool
    subject: str
    kind: str = ""  # group: all / any / not
    children: list = field(default_factory=list)
    fact: object = None
    op: str = ""
    widget: str = ""  # number, count, date, choice, many, bool, place, range-number, range-date, rule
    value: object = None
    low: object = ""
    high: object = ""
    selected: list = field(default_factory=list)
    policy: str = "self"
    within: object = ""
    months: object = ""  # employees insured for at least this many months
    share: object = ""  # shareholding: at least this percentage
    nested: "EditorNode | None" = None
    depth: int = 0
    in_relation: bool = False

    @property
    def fact_groups(self):
        return fact_options(self.subject, nested=self.in_relation)

    @property
    def removable(self) -> bool:
        """Only members of a group can be removed (not the root, not a relation's own rule)."""
        return self.path.rsplit(".", 1)[-1].isdigit()

    @property
    def bool_options(self):
        if isinstance(self.fact, GrantedFact):
            return [("true", _("已享受过")), ("false", _("未享受过"))]
        return [("true", self.fact.true_text), ("false", self.fact.false_text)]

    @property
    def count_unit(self) -> str:
        """The unit of a window counted back from the evaluation date."""
        return {"within_years": _("年"), "within_months": _("个月")}.get(self.op, _("个年度"))

    @property
    def many_as_select(self) -> bool:
        return len(self.choices) > 12

    @property
    def operators(self):
        return [(code, OPERATORS[code].label) for code in self.fact.operators()] if self.fact else []

    @property
    def choices(self):
        if self.fact and self.op in ("at_least", "at_most") and hasattr(self.fact, "ranked"):
            return [(c, label) for c, label in self.fact.choices() if c in self.fact.ranked()]
        return self.fact.choices() if self.fact else []


def fact_options(subject: str, nested: bool = False) -> list[tuple[str, str]]:
    return [(f.name, f.label) for f in rules.facts_for(subject) if not (nested and isinstance(f, RelationFact))]


def build(node: dict, subject: str, path: str = "r", depth: int = 0, in_relation: bool = False) -> EditorNode:
    kind = node_kind(node)
    if kind in ("all", "any", "not"):
        children = _group_children(node) if kind == "not" else node[kind]
        return EditorNode(
            path=path,
            is_group=True,
            subject=subject,
            kind=kind,
            depth=depth,
            in_relation=in_relation,
            children=[build(c, subject, f"{path}.{i}", depth + 1, in_relation) for i, c in enumerate(children)],
        )
    fact = FACTS.get(node.get("fact"))
    if fact is None or fact.subject != subject or (in_relation and isinstance(fact, RelationFact)):
        fact = rules.facts_for(subject)[0]
    op = node.get("op") if node.get("op") in fact.operators() else fact.operators()[0]
    value = node.get("value")
    item = EditorNode(
        path=path, is_group=False, subject=subject, fact=fact, op=op, depth=depth, in_relation=in_relation
    )
    arity = OPERATORS[op].arity
    if arity == RULE:
        item.widget = "rule"
        inner = value if isinstance(value, dict) and value else {"all": [new_condition(fact.other)]}
        if node_kind(inner) == "condition":
            inner = {"all": [inner]}
        item.nested = build(inner, fact.other, f"{path}.v", depth + 1, True)
        if getattr(fact, "by_share", False):
            item.share = (node.get("args") or {}).get("share") or 30
    elif arity == COUNT:
        item.widget = "count"
        item.value = "" if value is None else value
    elif arity == RANGE:
        item.widget = "range-date" if fact.type == DATE else "range-number"
        if isinstance(value, (list, tuple)) and len(value) == 2:
            item.low, item.high = value
    elif fact.type == INDUSTRY:
        item.widget = "codes"
        item.value = " ".join(str(v) for v in value) if isinstance(value, (list, tuple)) else ""
    elif fact.type == KEYWORDS:
        item.widget = "keywords"
        item.value = " ".join(str(v) for v in value) if isinstance(value, (list, tuple)) else ""
    elif arity == MANY:
        item.widget = "many"
        item.selected = [str(v) for v in value] if isinstance(value, (list, tuple)) else []
    elif fact.type == BOOL:
        item.widget = "bool"
        item.value = value if isinstance(value, bool) else True
    elif fact.type == PLACE:
        item.widget = "place"
        item.value = value or ""
    elif op in ("at_least", "at_most"):
        item.widget = "choice"
        item.value = value or ""
    else:
        item.widget = "date" if fact.type == DATE else "number"
        item.value = "" if value is None else value
    if isinstance(fact, GrantedFact):
        args = node.get("args") or {}
        item.policy = args.get("policy") or "self"
        item.within = args.get("within_months") or ""
    if isinstance(fact, EmployeesInsuredFact):
        item.months = (node.get("args") or {}).get("months") or 6
    return item


def group_kinds():
    return [("all", _("全部满足")), ("any", _("任一满足")), ("not", _("不满足"))]
