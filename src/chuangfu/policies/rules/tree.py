"""The rule tree: its shape, its validation with Chinese errors, and its plain-Chinese wording.

A rule is JSON::

    {"all": [node, ...]} | {"any": [node, ...]} | {"not": node}
    | {"fact": "age", "op": "lte", "value": 35}
    | {"fact": "granted", "op": "is", "value": false, "args": {"policy": "self", "within_months": 36}}
    | {"fact": "legal_rep", "op": "satisfies", "value": <rule over the other subject>}

``check_rule`` (called by ``validation.validate_rule``) returns the rule in canonical form (dates as ISO text, codes as text) or raises
``RuleError`` listing every problem at once: unknown facts, facts of the other subject, operators
a fact does not take, values of the wrong type, ranges that end before they start; then a rule
that no subject can meet (``satisfiable``: contradictions anywhere in the tree) with the reason.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Jurisdiction

from ..models import Policy
from .context import Context
from .facts import (
    FACTS,
    MAX_INSURED_MONTHS,
    MAX_SHARE,
    SUBJECT_LABELS,
    EmployeesInsuredFact,
    Fact,
    GrantedFact,
    RelationFact,
)
from .facts.text import MAX_KEYWORDS, keyword_problem
from .nodes import node_kind
from .operators import (
    BOOL,
    CHOICE,
    COUNT,
    DATE,
    INDUSTRY,
    KEYWORDS,
    MANY,
    NUMBER,
    OPERATORS,
    ORDERED_CHOICE_OPS,
    PLACE,
    RANGE,
    SET,
    WINDOW_OPS,
)

MAX_DEPTH = 8
MAX_CONDITIONS = 200


class RuleError(DomainError):
    def __init__(self, errors: list[str]):
        super().__init__("invalid_rule", "；".join(errors), details={"errors": errors})
        self.errors = errors


def punct(mark: str) -> str:
    """Chinese punctuation in the reader's language ("、" is ", " in English)."""
    return pgettext("punctuation", mark)


# --- validation ---------------------------------------------------------------------------------


@dataclass
class _Checker:
    subject: str
    policy_codes: set
    place_codes: set
    errors: list = field(default_factory=list)
    count: int = 0

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}：{message}" if where else message)

    def node(self, node, where: str, depth: int, subject: str, nested: bool):
        kind = node_kind(node)
        if depth > MAX_DEPTH:
            self.fail(where, _("条件嵌套过深（最多 %(n)d 层）。") % {"n": MAX_DEPTH})
            return None
        if kind == "invalid":
            self.fail(where, _("无法识别的条件：应为条件组（全部满足/任一满足/不满足）或“条件项 + 运算 + 取值”。"))
            return None
        if kind in ("all", "any"):
            children = node[kind]
            if not isinstance(children, list) or not children:
                self.fail(where, _("条件组至少需要一个条件。"))
                return None
            out = [
                self.node(
                    c, f"{where}.{i + 1}" if where else _("条件 %(n)d") % {"n": i + 1}, depth + 1, subject, nested
                )
                for i, c in enumerate(children)
            ]
            return {kind: out}
        if kind == "not":
            inner = self.node(node["not"], where or _("条件 1"), depth + 1, subject, nested)
            return None if inner is None else {"not": inner}
        return self.condition(node, where or _("条件 1"), subject, nested)

    def condition(self, node: dict, where: str, subject: str, nested: bool):
        self.count += 1
        fact = FACTS.get(node.get("fact"))
        if fact is None:
            self.fail(where, _("未知的条件项“%(name)s”。") % {"name": node.get("fact")})
            return None
        where = f"{where}（{fact.label}）"
        if fact.subject != subject:
            self.fail(
                where,
                _("这是%(kind)s的条件，不能用于面向%(other)s的规则。")
                % {"kind": SUBJECT_LABELS[fact.subject], "other": SUBJECT_LABELS[subject]},
            )
            return None
        op = node.get("op")
        if op not in fact.operators():
            self.fail(
                where,
                _("不支持运算“%(op)s”，可选：%(ops)s。")
                % {"op": op, "ops": punct("、").join(str(OPERATORS[o].label) for o in fact.operators())},
            )
            return None
        out = {"fact": fact.name, "op": op}
        if isinstance(fact, RelationFact):
            if nested:
                self.fail(where, _("关联条件里不能再嵌套关联条件。"))
                return None
            inner = self.node(node.get("value"), where, 1, fact.other, True)
            if inner is None:
                return None
            out["value"] = inner
            if getattr(fact, "by_share", False):
                share = (node.get("args") or {}).get("share")
                if isinstance(share, bool) or not isinstance(share, int) or not 1 <= share <= MAX_SHARE:
                    self.fail(where, _("持股比例必须是 1 至 %(max)s 之间的整数（%%）。") % {"max": MAX_SHARE})
                    return None
                out["args"] = {"share": share}
            return out
        value = self.value(fact, op, node.get("value"), where)
        if value is _BAD:
            return None
        out["value"] = value
        if isinstance(fact, GrantedFact):
            args = self.granted_args(node.get("args") or {}, where)
            if args is None:
                return None
            out["args"] = args
        if isinstance(fact, EmployeesInsuredFact):
            months = (node.get("args") or {}).get("months")
            if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_INSURED_MONTHS:
                self.fail(where, _("连续参保月数必须是 1 至 %(max)s 之间的整数。") % {"max": MAX_INSURED_MONTHS})
                return None
            out["args"] = {"months": months}
        return out

    def value(self, fact: Fact, op: str, value, where: str):
        arity = OPERATORS[op].arity
        if arity == COUNT:
            largest = WINDOW_OPS.get(op, 1800)
            smallest = 0 if op == "in_calendar_years" else 1
            if isinstance(value, bool) or not isinstance(value, int) or not smallest <= value <= largest:
                self.fail(
                    where,
                    _("取值必须是 %(low)s 至 %(high)s 之间的整数，而不是“%(value)s”。")
                    % {"low": smallest, "high": largest, "value": value},
                )
                return _BAD
            return value
        if arity == RANGE:
            if not isinstance(value, (list, tuple)) or len(value) != 2:
                self.fail(where, _("范围需要填写下限和上限两个值。"))
                return _BAD
            low, high = (self.scalar(fact, v, where) for v in value)
            if _BAD in (low, high):
                return _BAD
            if low > high:
                if fact.type == DATE:
                    self.fail(
                        where, _("日期范围的结束日期（%(high)s）早于开始日期（%(low)s）。") % {"low": low, "high": high}
                    )
                else:
                    self.fail(where, _("范围的下限（%(low)s）大于上限（%(high)s）。") % {"low": low, "high": high})
                return _BAD
            return [low, high]
        if arity == MANY:
            if not isinstance(value, (list, tuple)) or not value:
                self.fail(where, _("请至少选择一项。"))
                return _BAD
            if fact.type == INDUSTRY:
                codes = [str(v).strip().upper() for v in value]
                wrong = [c for c in codes if not fact.valid_code(c)]
                if wrong:
                    self.fail(
                        where,
                        _("行业代码“%(values)s”不是 GB/T 4754-2017 的门类字母或 2 至 4 位代码。")
                        % {"values": "、".join(wrong)},
                    )
                    return _BAD
                return sorted(set(codes))
            if fact.type == KEYWORDS:
                return self.keywords(value, where)
            codes = {c for c, _l in fact.choices()}
            unknown = [str(v) for v in value if str(v) not in codes]
            if unknown:
                self.fail(where, _("取值“%(values)s”不在可选范围内。") % {"values": "、".join(unknown)})
                return _BAD
            return sorted({str(v) for v in value}, key=[c for c, _l in fact.choices()].index)
        if op in ORDERED_CHOICE_OPS:
            ranked = fact.ranked() if hasattr(fact, "ranked") else [c for c, _l in fact.choices()]
            if str(value) not in ranked:
                self.fail(where, _("取值“%(value)s”不在可选范围内。") % {"value": value})
                return _BAD
            return str(value)
        return self.scalar(fact, value, where)

    def keywords(self, value, where: str):
        words = list(dict.fromkeys(str(v).strip() for v in value))
        if len(words) > MAX_KEYWORDS:
            self.fail(where, _("关键词最多 %(n)s 个。") % {"n": MAX_KEYWORDS})
            return _BAD
        for word in words:
            problem = keyword_problem(word)
            if problem:
                self.fail(where, _("关键词“%(word)s”无效：%(problem)s。") % {"word": word, "problem": problem})
                return _BAD
        return words

    def scalar(self, fact: Fact, value, where: str):
        if fact.type == NUMBER:
            if isinstance(value, bool) or not isinstance(value, int):
                self.fail(where, _("取值必须是整数，而不是“%(value)s”。") % {"value": value})
                return _BAD
            if value < 0 or (fact.maximum is not None and value > fact.maximum):
                self.fail(where, _("取值必须在 0 至 %(max)s 之间。") % {"max": fact.maximum})
                return _BAD
            return value
        if fact.type == DATE:
            try:
                return (
                    value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
                ).isoformat()
            except ValueError:
                self.fail(where, _("“%(value)s”不是有效日期，请写作 2024-05-31 的形式。") % {"value": value})
                return _BAD
        if fact.type == BOOL:
            if not isinstance(value, bool):
                self.fail(where, _("取值必须是“是”或“否”。"))
                return _BAD
            return value
        if fact.type == PLACE:
            if str(value) not in self.place_codes:
                self.fail(where, _("区划代码“%(value)s”不存在。") % {"value": value})
                return _BAD
            return str(value)
        return value

    def granted_args(self, args: dict, where: str):
        policy = str(args.get("policy") or "self")
        if policy != "self" and policy not in self.policy_codes:
            self.fail(where, _("政策代码“%(code)s”不存在。") % {"code": policy})
            return None
        within = args.get("within_months")
        if within in (None, ""):
            return {"policy": policy, "within_months": None}
        if isinstance(within, bool) or not isinstance(within, int) or not 1 <= within <= 1200:
            self.fail(where, _("“多少个月内”必须是 1 至 1200 的整数，或留空表示不限时间。"))
            return None
        return {"policy": policy, "within_months": within}


_BAD = object()


def check_rule(rule, subject: str) -> tuple[dict | None, list[str], list[str]]:
    """(the rule in canonical form — with ``None`` for each node that is wrong —, the jurisdiction
    paths read for it, every problem of shape and value in Chinese); ``validation`` goes on to
    satisfiability, so a contradiction is reported beside a wrong value."""

    if not isinstance(rule, dict) or not rule:
        return None, [], [_("请至少设置一个享受条件。")]
    places = list(Jurisdiction.objects.values_list("path", flat=True))
    checker = _Checker(
        subject=subject,
        policy_codes=set(Policy.objects.values_list("code", flat=True)),
        place_codes={path.rsplit("/", 1)[-1] for path in places},
    )
    out = checker.node(rule, "", 1, subject, False)
    if checker.count > MAX_CONDITIONS:
        checker.fail("", _("条件过多（最多 %(n)d 条）。") % {"n": MAX_CONDITIONS})
    if out is None and not checker.errors:
        checker.fail("", _("规则无效。"))
    return out, places, checker.errors


# --- plain Chinese ------------------------------------------------------------------------------

GROUP_TEXT = {
    "all": lambda: _("同时满足以下全部条件"),
    "any": lambda: _("满足以下任一条件"),
    "not": lambda: _("不满足以下条件"),
}


def _unit(fact: Fact) -> str:
    return f" {fact.unit}" if fact.unit else ""


def condition_text(cond: dict, ctx: Context | None) -> str:
    """One condition in plain Chinese: "年龄不超过 35 周岁"、"户籍性质为本市户籍"."""
    fact = FACTS[cond["fact"]]
    op, v, label = cond["op"], cond.get("value"), fact.label_for(cond)
    if fact.type == NUMBER:
        unit = _unit(fact)
        phrases = {
            "gte": _("%(label)s不小于 %(v)s%(unit)s"),
            "gt": _("%(label)s大于 %(v)s%(unit)s"),
            "lte": _("%(label)s不超过 %(v)s%(unit)s"),
            "lt": _("%(label)s小于 %(v)s%(unit)s"),
            "eq": _("%(label)s为 %(v)s%(unit)s"),
            "ne": _("%(label)s不为 %(v)s%(unit)s"),
        }
        if op in ("between", "outside"):
            text = (
                _("%(label)s在 %(a)s 至 %(b)s%(unit)s之间")
                if op == "between"
                else _("%(label)s不在 %(a)s 至 %(b)s%(unit)s之间")
            )
            return text % {"label": label, "a": v[0], "b": v[1], "unit": unit}
        return phrases[op] % {"label": label, "v": v, "unit": unit}
    if fact.type == DATE:
        if op == "between":
            return _("%(label)s在 %(a)s 至 %(b)s 之间") % {"label": label, "a": v[0], "b": v[1]}
        if op in WINDOW_OPS or op.removeprefix("not_") in WINDOW_OPS:
            return window_text(label, op, v)
        phrases = {
            "on_or_after": _("%(label)s在 %(v)s 当日或之后"),
            "after": _("%(label)s晚于 %(v)s"),
            "on_or_before": _("%(label)s在 %(v)s 当日或之前"),
            "before": _("%(label)s早于 %(v)s"),
        }
        return phrases[op] % {"label": label, "v": v}
    if fact.type == CHOICE:
        if op in ORDERED_CHOICE_OPS:
            text = _("%(label)s不低于%(v)s") if op == "at_least" else _("%(label)s不高于%(v)s")
            return text % {"label": label, "v": fact.choice_label(v)}
        names = punct("、").join(fact.choice_label(c) for c in v)
        if op == "in":
            text = _("%(label)s为%(names)s") if len(v) == 1 else _("%(label)s为%(names)s之一")
        else:
            text = _("%(label)s不是%(names)s")
        return text % {"label": label, "names": names}
    if fact.type == INDUSTRY:
        names = punct("、").join(fact.choice_label(c) for c in v)
        text = _("%(label)s属于%(names)s") if op == "in" else _("%(label)s不属于%(names)s")
        return text % {"label": label, "names": names}
    if fact.type == KEYWORDS:
        names = punct("、").join(fact.choice_label(c) for c in v)
        phrases = {
            "mentions_any": _("%(label)s含有%(names)s") if len(v) == 1 else _("%(label)s含有%(names)s中的任一个"),
            "mentions_all": _("%(label)s同时含有%(names)s"),
            "mentions_none": _("%(label)s不含%(names)s"),
            "lacks_mention": _("%(label)s不同时含有%(names)s"),
        }
        return phrases[op] % {"label": label, "names": names}
    if fact.type == SET:
        names = punct("、").join(fact.choice_label(c) for c in v)
        phrases = {
            "has_any": _("%(label)s包括%(names)s") if len(v) == 1 else _("%(label)s包括%(names)s中的任一项"),
            "has_all": _("%(label)s同时包括%(names)s"),
            "has_none": _("%(label)s不包括%(names)s"),
            "lacks_any": _("%(label)s不同时包括%(names)s"),
        }
        return phrases[op] % {"label": label, "names": names}
    if fact.type == PLACE:
        name = (ctx or Context(on=datetime.date.today())).place_name(v)
        text = _("%(label)s在%(name)s") if op == "within" else _("%(label)s不在%(name)s")
        return text % {"label": label, "name": name}
    if isinstance(fact, GrantedFact):
        args = cond.get("args") or {}
        reference = args.get("policy", "self")
        title = (
            _("本政策")
            if reference == "self"
            else f"“{(ctx or Context(on=datetime.date.today())).policy_title(reference)}”"
        )
        within = args.get("within_months")
        if v:
            text = _("近 %(n)s 个月内享受过%(title)s") if within else _("享受过%(title)s")
        else:
            text = _("近 %(n)s 个月内未享受过%(title)s") if within else _("从未享受过%(title)s")
        return text % {"n": within, "title": title}
    if fact.type == BOOL:
        return str(fact.true_text if v else fact.false_text)
    if fact.name == "represents":
        return _("担任法定代表人的企业中，至少有一家满足以下条件")
    if fact.name == "founded_enterprise":
        return _("创办（任法定代表人或创办人）的企业中，至少有一家满足以下条件")
    if fact.name == "shareholding":
        return _("持股不少于 %(n)s%% 的企业中，至少有一家满足以下条件") % {"n": (cond.get("args") or {}).get("share")}
    if fact.name == "legal_rep":
        return _("企业法定代表人满足以下条件")
    return label


def window_text(label: str, op: str, n: int) -> str:
    """A window counted back from the evaluation date, in words ("成立日期在评估日前 3 年内")."""
    negated, base = op.startswith("not_"), op.removeprefix("not_")
    if base == "within_years":
        text = (
            _("%(label)s不在评估日前 %(n)s 年内")
            if negated
            else _("%(label)s在评估日前 %(n)s 年内（含满 %(n)s 年当日，不晚于评估日）")
        )
    elif base == "within_months":
        text = (
            _("%(label)s不在评估日前 %(n)s 个月内")
            if negated
            else _("%(label)s在评估日前 %(n)s 个月内（含满 %(n)s 个月当日，不晚于评估日）")
        )
    elif n == 0:
        text = _("%(label)s不在评估日所在年度内") if negated else _("%(label)s在评估日所在年度内（不晚于评估日）")
    else:
        text = (
            _("%(label)s不在评估日所在年度及之前 %(n)s 个年度内")
            if negated
            else _("%(label)s在评估日所在年度或之前 %(n)s 个年度内（不晚于评估日）")
        )
    return text % {"label": label, "n": n}


@dataclass
class Described:
    text: str
    children: list["Described"] = field(default_factory=list)


def describe(node: dict, ctx: Context | None = None) -> Described:
    """The rule as nested plain-Chinese sentences, for the policy page and the editor preview."""
    kind = node_kind(node)
    if kind in ("all", "any"):
        return Described(str(GROUP_TEXT[kind]()), [describe(c, ctx) for c in node[kind]])
    if kind == "not":
        return Described(str(GROUP_TEXT["not"]()), [describe(node["not"], ctx)])
    fact = FACTS[node["fact"]]
    if isinstance(fact, RelationFact):
        inner = describe(node["value"], ctx)
        children = inner.children if node_kind(node["value"]) == "all" else [inner]
        return Described(condition_text(node, ctx), children)
    return Described(condition_text(node, ctx))
