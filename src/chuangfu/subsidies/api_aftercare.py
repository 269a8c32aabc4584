"""Life after payment in the API: the obligations of paid grants (with their checks and what each
read) and the recoveries (with repayments and timeline), read by staff of their jurisdiction with
the pages' selectors (``selectors_aftercare``) and the pages' roles; the transitions the caller may
fire are listed, as the pages offer them. Another town's record is 404, like a missing one.

The writes are the pages' too, through the same services: check an obligation now, decide it by
hand, correct a breach found wrong, hand in a report at the window, set a recovery's amount,
recover or waive it, record a repayment. Each answers with the record as the detail reads it."""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema

from chuangfu.core.api_schemas import ErrorOut
from chuangfu.core.bounds import ApiDate, Id, Limit, Offset, api_number
from chuangfu.core.errors import NotFound

from . import selectors_aftercare as selectors
from .models import Recovery, Repayment
from .services import obligations, recoveries
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


def _listing(can_see, records, actor, filters, row, **where) -> dict:
    """One page of the records the actor's jurisdiction holds (the pages' selector and filters)."""
    if not can_see(actor):
        raise NotFound()
    offset, limit = filters.offset, filters.limit
    rows = list(records(actor, **where).select_related("jurisdiction")[offset : offset + limit + 1])
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
    return _listing(
        selectors.can_see_obligations,
        selectors.obligations_for_staff,
        request.user,
        filters,
        _obligation,
        status=filters.status,
        kind=filters.kind,
        q=filters.q,
    )


@router.get(
    "/obligations/{obligation_id}",
    response={200: ObligationDetailOut, 404: ErrorOut},
    summary="工作人员：履约义务详情（核查记录及依据、可执行操作）",
)
def obligation_detail(request, obligation_id: Id):
    return _obligation_detail(_staff_obligation(request.user, obligation_id), request.user)


def _staff_obligation(actor, obligation_id: int):
    if not selectors.can_see_obligations(actor):
        raise NotFound()
    return selectors.get_obligation_for(actor, obligation_id)


def _obligation_detail(o, actor) -> dict:
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
    return _listing(
        selectors.can_see_recoveries,
        selectors.recoveries_for_staff,
        request.user,
        filters,
        _recovery,
        status=filters.status,
    )


@router.get(
    "/recoveries/{recovery_id}",
    response={200: RecoveryDetailOut, 404: ErrorOut},
    summary="工作人员：补贴追回详情（还款记录、过程、可执行操作）",
)
def recovery_detail(request, recovery_id: Id):
    return _recovery_detail(_staff_recovery(request.user, recovery_id), request.user)


def _staff_recovery(actor, recovery_id: int):
    if not selectors.can_see_recoveries(actor):
        raise NotFound()
    return selectors.get_recovery_for(actor, recovery_id)


def _recovery_detail(r, actor) -> dict:
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


# --- writes: what the pages do, with the same services (their checks, locks and notices) -----------

WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ReasonIn(Schema):
    reason: str = Field("", max_length=500, description="理由（人工认定必填；更正误判可填）")


class ObligationReportIn(Schema):
    content: str = Field(max_length=20000, description="报告内容")


class RecoveryActionIn(Schema):
    note: str = Field("", max_length=500, description="意见或理由（免予追回必填）")
    amount: api_number(Recovery, "amount", minimum=CENT) | None = Field(
        None, description="追回金额（元），仅 set_amount 使用"
    )
    seen_status: str = Field("", max_length=20, description="调用方看到的状态；已被他人改变时返回 409")


class RepaymentIn(Schema):
    amount: api_number(Repayment, "amount", minimum=CENT) = Field(description="还款金额（元）")
    paid_on: ApiDate = Field(description="还款日期，不晚于今天")
    reference: str = Field(min_length=1, max_length=64, description="缴款凭证号（同一追回不可重复）")


@router.post(
    "/obligations/{obligation_id}/check",
    response={200: ObligationDetailOut, **WRITE_ERRORS},
    summary="工作人员（审核）：立即核查履约情况（读取登记、参保和报告；能确定时作出认定）",
)
def obligation_check(request, obligation_id: Id):
    obligation = _staff_obligation(request.user, obligation_id)
    obligations.obligation_check(obligation=obligation, actor=request.user)
    return _obligation_detail(selectors.get_obligation_for(request.user, obligation_id), request.user)


@router.post(
    "/obligations/{obligation_id}/transitions/{name}",
    response={200: ObligationDetailOut, **WRITE_ERRORS},
    summary="工作人员（审核）：人工认定已履行（meet）或未履行（breach，随即立案追回），须填理由",
)
def obligation_mark(request, obligation_id: Id, name: Literal["meet", "breach"], payload: ReasonIn):
    obligation = _staff_obligation(request.user, obligation_id)
    obligations.obligation_mark(obligation=obligation, actor=request.user, name=name, reason=payload.reason)
    return _obligation_detail(selectors.get_obligation_for(request.user, obligation_id), request.user)


@router.post(
    "/obligations/{obligation_id}/correct",
    response={200: ObligationDetailOut, **WRITE_ERRORS},
    summary="工作人员：更正误判（未履行恢复为待履行；追回未决定时一并撤销）",
)
def obligation_correct(request, obligation_id: Id, payload: ReasonIn):
    obligation = _staff_obligation(request.user, obligation_id)
    obligations.obligation_breach_correct(obligation=obligation, actor=request.user, reason=payload.reason)
    return _obligation_detail(selectors.get_obligation_for(request.user, obligation_id), request.user)


@router.post(
    "/obligations/{obligation_id}/report",
    response={200: ObligationDetailOut, **WRITE_ERRORS},
    summary="窗口人员：代受益人提交报告",
)
def obligation_report(request, obligation_id: Id, payload: ObligationReportIn):
    obligation = _staff_obligation(request.user, obligation_id)
    obligations.obligation_report_submit(actor=request.user, obligation=obligation, content=payload.content)
    return _obligation_detail(selectors.get_obligation_for(request.user, obligation_id), request.user)


@router.post(
    "/recoveries/{recovery_id}/transitions/{name}",
    response={200: RecoveryDetailOut, **WRITE_ERRORS},
    summary="工作人员：调整追回金额（set_amount），领导决定追回（recover）或免予追回（waive）",
)
def recovery_act(request, recovery_id: Id, name: Literal["set_amount", "recover", "waive"], payload: RecoveryActionIn):
    recovery = _staff_recovery(request.user, recovery_id)
    if name == "set_amount":
        recoveries.recovery_set_amount(
            actor=request.user, recovery=recovery, amount=payload.amount, reason=payload.note
        )
    else:
        recoveries.recovery_decide(
            actor=request.user, recovery=recovery, name=name, note=payload.note, expect=payload.seen_status or None
        )
    return _recovery_detail(selectors.get_recovery_for(request.user, recovery_id), request.user)


@router.post(
    "/recoveries/{recovery_id}/repayments",
    response={200: RecoveryDetailOut, **WRITE_ERRORS},
    summary="工作人员（审核）：登记一笔还款（凭证号不可重复；还清即办结）",
)
def repayment_record(request, recovery_id: Id, payload: RepaymentIn):
    recovery = _staff_recovery(request.user, recovery_id)
    recoveries.repayment_record(
        actor=request.user,
        recovery=recovery,
        amount=payload.amount,
        paid_on=payload.paid_on,
        reference=payload.reference,
    )
    return _recovery_detail(selectors.get_recovery_for(request.user, recovery_id), request.user)
