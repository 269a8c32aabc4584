"""Checking a described subject (the self-check API, stated facts) before it is evaluated: every
value of the wrong type or outside its fact's choices is named, in the reader's language, so a
caller reads "“年龄”应为 0 至 150 之间的整数，而不是“abc”" instead of a Python error."""

import datetime

from django.utils.translation import gettext as _

from .facts import (
    NOT_YET_GIVEN,
    OUTSIDE,
    ElapsedFact,
    EmployeesInsuredFact,
    GrantedFact,
    HukouPlaceFact,
    RelationFact,
    RepresentsFact,
    facts_for,
)
from .facts.groups import NONE
from .facts.text import MAX_SCOPE_LENGTH
from .operators import BOOL, CHOICE, DATE, INDUSTRY, KEYWORDS, NUMBER, PLACE, SET

MAX_RELATED = 20  # enterprises one described person may represent


def check_given(facts, kind: str, place_codes: set, policy_codes: set, where: str = "") -> list[str]:
    """Every problem with ``facts`` (a described subject of ``kind``), or []."""
    if not isinstance(facts, dict):
        return [_("%(where)s应为以条件项名称为键的对象。") % {"where": where or _("对象情况")}]
    known = {f.name: f for f in facts_for(kind)}
    problems = []
    for name, raw in facts.items():
        if name == "name":
            continue
        fact = known.get(name)
        if fact is None:
            problems.append(_("%(where)s未知的条件项：%(name)s。") % {"where": where, "name": name})
            continue
        label = f"{where}“{fact.label}”"
        if raw is None:
            continue
        if isinstance(fact, RelationFact):
            problems += _check_related(fact, raw, label, place_codes, policy_codes)
        else:
            problem = _check_value(fact, raw, label, place_codes, policy_codes)
            if problem:
                problems.append(problem)
    return problems


def _check_related(fact, raw, label, place_codes, policy_codes) -> list[str]:
    if isinstance(fact, RepresentsFact):
        if not isinstance(raw, list) or len(raw) > MAX_RELATED:
            return [_("%(label)s应为企业情况的列表（最多 %(n)s 家）。") % {"label": label, "n": MAX_RELATED}]
        problems = []
        for i, item in enumerate(raw):
            where = _("%(label)s第 %(n)s 家企业的") % {"label": label, "n": i + 1}
            if getattr(fact, "by_share", False) and isinstance(item, dict):
                item = dict(item)
                share = item.pop("share", None)
                if share is not None and (
                    isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 100
                ):
                    problems.append(_("%(where)s持股比例应为 0 至 100 之间的数。") % {"where": where})
            problems += check_given(item, fact.other, place_codes, policy_codes, where)
        return problems
    return check_given(raw, fact.other, place_codes, policy_codes, _("%(label)s的") % {"label": label})


def _check_value(fact, raw, label, place_codes, policy_codes) -> str | None:
    if isinstance(fact, GrantedFact):
        if not isinstance(raw, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in raw.values()
        ):
            return _("%(label)s应为 {政策代码: 享受至今月数} 的对象，月数为不小于 0 的整数。") % {"label": label}
        unknown = sorted(set(raw) - policy_codes)
        if unknown:
            return _("%(label)s中的政策代码不存在：%(codes)s。") % {"label": label, "codes": "、".join(unknown)}
        return None
    if isinstance(fact, EmployeesInsuredFact):
        if not isinstance(raw, dict) or not all(
            str(k).isdigit() and isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= fact.maximum
            for k, v in raw.items()
        ):
            return _("%(label)s应为 {连续参保月数: 人数} 的对象，人数为不小于 0 的整数。") % {"label": label}
        return None
    if raw == NONE and fact.type in (NUMBER, DATE) and getattr(fact, "none_label", ""):
        return None  # "not in the group" (a priority group's detail)
    if fact.type == NUMBER:
        if isinstance(fact, ElapsedFact) and raw == NOT_YET_GIVEN:
            return None
        largest = fact.maximum if fact.maximum is not None else 10**9
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= largest:
            return _("%(label)s应为 0 至 %(max)s 之间的整数，而不是“%(value)s”。") % {
                "label": label,
                "max": largest,
                "value": raw,
            }
        return None
    if fact.type == DATE:
        try:
            datetime.date.fromisoformat(str(raw))
        except ValueError:
            return _("%(label)s应为 2024-05-31 形式的日期，而不是“%(value)s”。") % {"label": label, "value": raw}
        return None
    if fact.type == BOOL:
        if not isinstance(raw, bool):
            return _("%(label)s应为 true 或 false，而不是“%(value)s”。") % {"label": label, "value": raw}
        return None
    if fact.type in (CHOICE, SET):
        codes = {c for c, _l in fact.choices()}
        values = raw if fact.type == SET else [raw]
        if fact.type == SET and not isinstance(raw, list):
            return _("%(label)s应为代码的列表。") % {"label": label}
        unknown = [str(v) for v in values if not isinstance(v, str) or v not in codes]
        if unknown:
            return _("%(label)s的取值“%(values)s”不在可选范围内，可选：%(codes)s。") % {
                "label": label,
                "values": "、".join(unknown),
                "codes": "、".join(c for c, _l in fact.choices()),
            }
        return None
    if fact.type == INDUSTRY:
        if not isinstance(raw, str) or not fact.valid_code(raw):
            return _("%(label)s应为门类字母或 2 至 4 位行业代码，如 F、52 或 5292，而不是“%(value)s”。") % {
                "label": label,
                "value": raw,
            }
        return None
    if fact.type == KEYWORDS:
        if not isinstance(raw, str) or len(raw) > MAX_SCOPE_LENGTH:
            return _("%(label)s应为不超过 %(n)s 字的文字。") % {"label": label, "n": MAX_SCOPE_LENGTH}
        return None
    if fact.type == PLACE:
        allowed = place_codes | ({OUTSIDE} if isinstance(fact, HukouPlaceFact) else set())
        if str(raw) not in allowed:
            return _("%(label)s的区划代码“%(value)s”不存在。") % {"label": label, "value": raw}
    return None
