"""Life after payment in the API: the obligations of paid grants (with their checks and what each
read) and the recoveries (with repayments and timeline), read by staff of their jurisdiction with
the pages' selectors (``selectors_aftercare``) and the pages' roles; the transitions the caller may
fire are listed, as the pages offer them. Another town's record is 404, like a missing one."""

import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema

from chuangfu.core.api_schemas import ErrorOut
from chuangfu.core.bounds import Id, Limit, Offset
from chuangfu.core.errors import NotFound

from . import selectors_aftercare as selectors
from .workflows_aftercare import OBLIGATION, RECOVERY

router = Router(tags=["subsidies"])
MAX_LIMIT = 100
CENT = Decimal("0.01")


class GrantSourceOut(Schema):
    application_id: int | None = Field(description="补贴申请 id；名单导入的享受记录为空")
    grant_id: int | None = Field(description="名单导入的享受记录 id；补贴申请为空")
    reference: str = Field(description="申请编号，或名单导入的凭证号")
    policy: str
    subject: str = Field(description="受益人姓名或企业名称")


class TransitionOut(Schema):
    name: str
    label: str
    note_required: bool


class ObligationOut(GrantSourceOut):
    id: int
    kind: str
    kind_label: str
    title: str
    status: str
    status_label: str
    starts_on: datetime.date
    due_on: datetime.date
    jurisdiction: str


class ObligationPageOut(Schema):
    items: list[ObligationOut]
    next_offset: int | None


class ObligationCheckOut(Schema):
    at: datetime.datetime
    by: str = Field(description="核查人；每日核查为空")
    manual: bool
    result: str
    summary: str
    evidence: dict = Field(description="核查所读取的依据（登记状态、各月参保人数、报告日期等）")


class ObligationDetailOut(ObligationOut):
    description: str
    months: int
    employees: int | None
    enterprise: str | None = Field(description="核查的企业")
    remind_on: datetime.date
    outcome: str
    checks: list[ObligationCheckOut]
    recovery_id: int | None
    transitions: list[TransitionOut] = Field(description="当前用户可执行的操作（与页面一致）")


class ObligationFilters(Schema):
    status: str = Field("", description="pending 待履行；met 已履行；breached 未履行")
    kind: str = Field("", description="operating、insured、report")
    q: str = Field("", max_length=64, description="申请编号、义务名称、政策或企业名称")
    limit: Limit(MAX_LIMIT) = 20
    offset: Offset = 0


class RecoveryOut(GrantSourceOut):
    id: int
    number: str
    status: str
    status_label: str
    granted: Decimal = Field(description="已拨付金额（元）")
    amount: Decimal = Field(description="应追回金额（元）")
    repaid: Decimal = Field(description="已还款（元）")
    owed: Decimal = Field(description="尚欠（元）")
    opened_at: datetime.datetime
    jurisdiction: str


class RecoveryPageOut(Schema):
    items: list[RecoveryOut]
    next_offset: int | None


class RepaymentOut(Schema):
    amount: Decimal
    paid_on: datetime.date
    reference: str


class RecoveryEventOut(Schema):
    at: datetime.datetime
    label: str
    note: str


class RecoveryDetailOut(RecoveryOut):
    reason: str
    amount_reason: str
    obligation_id: int
    decision_note: str
    decided_at: datetime.datetime | None
    repayments: list[RepaymentOut]
    events: list[RecoveryEventOut]
    transitions: list[TransitionOut] = Field(description="当前用户可执行的操作（与页面一致）")


class RecoveryFilters(Schema):
    status: str = Field("", description="unfinished 未办结；open、recovering、settled、waived、annulled")
    limit: Limit(MAX_LIMIT) = 20
    offset: Offset = 0


def _source(x) -> dict:
    return {
        "application_id": x.application_id,
        "grant_id": x.grant_id,
        "reference": x.reference,
        "policy": x.policy.title,
        "subject": str(x.subject),
    }


# What the pages offer a person (误判撤销, 再次立案 and 追回完毕 follow from a correction, a breach
# and the last repayment; they are not offered as actions of their own).
OFFERED = {"meet", "breach", "reopen", "set_amount", "recover", "waive", "repay"}


def _transitions(machine, record, actor) -> list[dict]:
    return [
        {"name": t.name, "label": str(t.label), "note_required": t.note_required}
        for t in machine.available(record, actor)
        if t.name in OFFERED and not (machine is RECOVERY and t.name == "reopen")
    ]


def _page(qs, offset: int, limit: int, row) -> dict:
    rows = list(qs[offset : offset + limit + 1])
    return {"items": [row(r) for r in rows[:limit]], "next_offset": offset + limit if len(rows) > limit else None}


def _obligation(o) -> dict:
    return {
        **_source(o),
        "id": o.pk,
        "kind": o.kind,
        "kind_label": o.get_kind_display(),
        "title": o.title,
        "status": o.status,
        "status_label": o.get_status_display(),
        "starts_on": o.starts_on,
        "due_on": o.due_on,
        "jurisdiction": o.jurisdiction.name,
    }


@router.get("/obligations", response=ObligationPageOut, summary="工作人员：履约义务（按辖区限定）")
def obligation_list(request, filters: Query[ObligationFilters]):
    if not selectors.can_see_obligations(request.user):
        raise NotFound()
    qs = selectors.obligations_for_staff(
        request.user, status=filters.status, kind=filters.kind, q=filters.q
    ).select_related("jurisdiction")
    return _page(qs, filters.offset, filters.limit, _obligation)


@router.get(
    "/obligations/{obligation_id}",
    response={200: ObligationDetailOut, 404: ErrorOut},
    summary="工作人员：履约义务详情（核查记录及依据、可执行操作）",
)
def obligation_detail(request, obligation_id: Id):
    actor = request.user
    if not selectors.can_see_obligations(actor):
        raise NotFound()
    o = selectors.get_obligation_for(actor, obligation_id)
    recovery = getattr(o.paid, "recovery", None)
    return {
        **_obligation(o),
        "description": o.description,
        "months": o.months,
        "employees": o.employees,
        "enterprise": str(o.enterprise) if o.enterprise_id else None,
        "remind_on": o.remind_on,
        "outcome": o.outcome,
        "checks": [
            {
                "at": c.at,
                "by": str(c.by) if c.by_id else "",
                "manual": c.manual,
                "result": c.result,
                "summary": c.summary,
                "evidence": c.evidence,
            }
            for c in selectors.obligation_checks(o)
        ],
        "recovery_id": recovery.pk if recovery is not None and selectors.can_see_recoveries(actor) else None,
        "transitions": _transitions(OBLIGATION, o, actor),
    }


def _recovery(r) -> dict:
    repaid = Decimal(r.repaid_sum or 0).quantize(CENT)  # a sum: SQLite drops the trailing zeros
    return {
        **_source(r),
        "id": r.pk,
        "number": r.number,
        "status": r.status,
        "status_label": r.get_status_display(),
        "granted": r.granted,
        "amount": r.amount,
        "repaid": repaid,
        "owed": r.amount - repaid,
        "opened_at": r.opened_at,
        "jurisdiction": r.jurisdiction.name,
    }


@router.get("/recoveries", response=RecoveryPageOut, summary="工作人员：补贴追回（按辖区限定）")
def recovery_list(request, filters: Query[RecoveryFilters]):
    if not selectors.can_see_recoveries(request.user):
        raise NotFound()
    qs = selectors.recoveries_for_staff(request.user, status=filters.status).select_related("jurisdiction")
    return _page(qs, filters.offset, filters.limit, _recovery)


@router.get(
    "/recoveries/{recovery_id}",
    response={200: RecoveryDetailOut, 404: ErrorOut},
    summary="工作人员：补贴追回详情（还款记录、过程、可执行操作）",
)
def recovery_detail(request, recovery_id: Id):
    actor = request.user
    if not selectors.can_see_recoveries(actor):
        raise NotFound()
    r = selectors.get_recovery_for(actor, recovery_id)
    return {
        **_recovery(r),
        "reason": r.reason,
        "amount_reason": r.amount_reason,
        "obligation_id": r.obligation_id,
        "decision_note": r.decision_note,
        "decided_at": r.decided_at,
        "repayments": [
            {"amount": p.amount, "paid_on": p.paid_on, "reference": p.reference} for p in r.repayments.all()
        ],
        "events": [
            {"at": e.at, "label": e.label, "note": e.note or e.public_note}
            for e in selectors.recovery_events(r, staff=True)
        ],
        "transitions": _transitions(RECOVERY, r, actor),
    }
