"""Policy API: published policies and their conditions (public, no login), a self-check over
stated facts (public), and for staff (session auth): a subject's policies with every condition
explained, a policy's stored matches and its outreach list. The same selectors and services as
the pages; another town's people are 404, refusals are 4xx with ``code`` and a Chinese ``message``."""

import datetime
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from chuangfu.core.api_schemas import ErrorOut
from chuangfu.core.bounds import ApiDate, Id, Limit, Offset
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import Jurisdiction
from chuangfu.core.search import MAX_QUERY_LENGTH

from . import rules, selectors
from .models import Policy, PolicyVersion, Result, Target
from .permissions import can_view_matches
from .rules.given import check_given
from .summaries import summary_of

router = Router(tags=["policies"])
MAX_LIMIT = 200


class ConditionOut(Schema):
    text: str = Field(description="条件的通俗中文表述")
    children: list["ConditionOut"] = []


class VersionOut(Schema):
    number: int
    effective_from: datetime.date
    effective_to: datetime.date | None
    summary: str
    benefit_kind: str
    benefit_amount: float | None
    benefit_cap: float | None
    max_times: int | None
    materials: list[str]
    rule: dict = Field(description="享受条件（规则 JSON）")
    conditions: ConditionOut | None = Field(None, description="享受条件的通俗中文表述")


class PolicyOut(Schema):
    id: int
    code: str
    title: str
    level: str
    document_number: str
    issuing_body: str
    category: str
    target: str
    obtain_mode: str
    apply_url: str
    is_example: bool = Field(description="示例：条件或金额须由本镇确认")
    current_version: VersionOut | None


class PolicyDetailOut(PolicyOut):
    versions: list[VersionOut] = Field(description="已发布的全部版本（新到旧）")


def _described(node: rules.tree.Described) -> dict:
    return {"text": node.text, "children": [_described(c) for c in node.children]}


def _version(v: PolicyVersion | None) -> dict | None:
    if v is None:
        return None
    return {
        "number": v.number,
        "effective_from": v.effective_from,
        "effective_to": v.effective_to,
        "summary": v.summary,
        "benefit_kind": v.benefit_kind,
        "benefit_amount": float(v.benefit_amount) if v.benefit_amount is not None else None,
        "benefit_cap": float(v.benefit_cap) if v.benefit_cap is not None else None,
        "max_times": v.max_times,
        "materials": v.material_list,
        "rule": v.rule,
        "conditions": _described(rules.describe(v.rule)) if v.rule else None,
    }


def _policy(p: Policy, current: PolicyVersion | None) -> dict:
    return {
        "id": p.pk,
        "code": p.code,
        "title": p.title,
        "level": p.level,
        "document_number": p.document_number,
        "issuing_body": p.issuing_body,
        "category": p.category,
        "target": p.target,
        "obtain_mode": p.obtain_mode,
        "apply_url": p.apply_url,
        "is_example": p.is_example,
        "current_version": _version(current),
    }


class PolicyQuery(Schema):
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="关键词（按中文分词匹配：创业补贴 → 创业 + 补贴）")
    level: str = ""
    category: str = ""
    target: str = ""


@router.get("/", response=list[PolicyOut], auth=None, summary="已发布的政策（公开）")
def list_policies(request, filters: Query[PolicyQuery]):
    policies = selectors.policy_list(filters=filters.dict(), public=True)
    return [_policy(p, p.current_versions[0] if p.current_versions else None) for p in policies]


@router.get("/{int:policy_id}", response={200: PolicyDetailOut, 404: ErrorOut}, auth=None, summary="一项政策（公开）")
def get_policy(request, policy_id: Id):
    policy = selectors.get_policy(policy_id, public=True)
    versions = policy.versions.filter(status="published").order_by("-effective_from")
    return {**_policy(policy, selectors.current_version(policy)), "versions": [_version(v) for v in versions]}


class OutcomeOut(Schema):
    text: str
    status: str = Field(description="met 满足 / not_met 不满足 / unknown 待核实（数据缺失）")
    actual: str = Field(description="对象的实际情况")
    children: list["OutcomeOut"] = []


class ExplanationOut(Schema):
    policy_id: int
    policy: str
    version: int
    result: str = Field(description="eligible 符合 / almost 差一项 / unknown 待核实 / ineligible 不符合")
    open_conditions: list[str] = Field(description="未满足或待核实的顶层条件")
    conditions: list[OutcomeOut]


def _outcome(o: rules.Outcome) -> dict:
    return {"text": o.text, "status": o.status, "actual": o.actual, "children": [_outcome(c) for c in o.children]}


def _explained(items) -> list[dict]:
    return [
        {
            "policy_id": i.policy.pk,
            "policy": i.policy.title,
            "version": i.version.number,
            "result": i.result,
            "open_conditions": [c.text for c in i.explanation.open_conditions],
            "conditions": [_outcome(c) for c in i.explanation.conditions],
        }
        for i in items
    ]


class CheckIn(Schema):
    kind: str = Field("person", description="person 个人 / enterprise 企业")
    facts: dict = Field(
        description='对象情况，键为条件项名称，如 {"age": 30, "hukou_kind": "local"}；未给出的视为不详。'
        '"represents" 为担任法定代表人的各企业情况的列表（可多家），"legal_rep" 为法定代表人情况；'
        '"founded_enterprise" 为创办的各企业情况的列表，"shareholding" 同样为列表，每项可含 "share"（持股比例 %）；'
        '"employees_insured" 为 {连续参保月数: 人数}，如 {"6": 2}；"industry" 为最具体的行业代码，如 "5292"；'
        '时长类条件可写 "not_yet"（日期晚于评估日）；取值有误时返回 400，逐项说明'
    )
    on: ApiDate | None = None


@router.post(
    "/check",
    response={200: list[ExplanationOut], 400: ErrorOut},
    auth=None,
    summary="按所述情况检查可享受的政策（公开，不保存）",
)
def check(request, payload: CheckIn):
    if payload.kind not in Target.values:
        raise DomainError("bad_kind", _("kind 只能是 person 或 enterprise。"))
    problems = check_given(
        payload.facts,
        payload.kind,
        set(Jurisdiction.objects.values_list("code", flat=True)),
        set(Policy.objects.values_list("code", flat=True)),
    )
    if problems:
        raise DomainError("bad_facts", "；".join(problems), details={"errors": problems})
    items = selectors.subject_explanations(
        rules.GivenSource(payload.facts), payload.kind, payload.on or timezone.localdate()
    )
    return _explained(items)


@router.get(
    "/subjects/{kind}/{int:subject_id}",
    response={200: list[ExplanationOut], 404: ErrorOut},
    summary="一个人员或企业可享受的政策，逐条说明（工作人员）",
)
def subject_policies(request, kind: str, subject_id: Id, on: ApiDate | None = None):
    subject = selectors.get_subject_for(request.user, kind, subject_id)
    return _explained(selectors.explain_subject(kind, subject.pk, on))


class MatchOut(Schema):
    subject_kind: str
    subject_id: int
    name: str
    jurisdiction: str
    result: str
    summary: str
    evaluated_on: datetime.date
    version: int


class MatchPage(Schema):
    items: list[MatchOut]
    next_offset: int | None


def _page(qs, offset: int, limit: int) -> dict:
    limit = max(1, min(limit, MAX_LIMIT))
    rows = list(qs[offset : offset + limit + 1])
    items = [
        {
            "subject_kind": "person" if m.person_id else "enterprise",
            "subject_id": m.person_id or m.enterprise_id,
            "name": m.subject.name,
            "jurisdiction": m.subject.jurisdiction.name,
            "result": m.result,
            "summary": summary_of(m),
            "evaluated_on": m.evaluated,
            "version": m.version.number,
        }
        for m in rows[:limit]
    ]
    return {"items": items, "next_offset": offset + limit if len(rows) > limit else None}


def _staff_policy(request, policy_id):
    if not can_view_matches(request.user):
        raise NotFound()
    return selectors.get_policy(policy_id, actor=request.user)


@router.get(
    "/{int:policy_id}/matches",
    response={200: MatchPage, 404: ErrorOut},
    summary="一项政策的匹配结果（本辖区，工作人员）",
)
def policy_matches(
    request,
    policy_id: Id,
    result: Literal["eligible", "almost", "unknown"] = Result.ELIGIBLE.value,
    offset: Offset = 0,
    limit: Limit(MAX_LIMIT) = 50,
):
    policy = _staff_policy(request, policy_id)
    return _page(selectors.match_list(actor=request.user, policy=policy, result=result), offset, limit)


@router.get(
    "/{int:policy_id}/outreach",
    response={200: MatchPage, 404: ErrorOut},
    summary="政策找人名单：符合条件、尚未申请或享受的对象（本辖区，工作人员）",
)
def policy_outreach(request, policy_id: Id, offset: Offset = 0, limit: Limit(MAX_LIMIT) = 50):
    policy = _staff_policy(request, policy_id)
    return _page(selectors.outreach_pages(actor=request.user, policy=policy), offset, limit)
