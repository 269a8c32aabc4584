"""Subsidy API. Applicants (entrepreneur accounts) see their own applications only, with the public
timeline; staff list, read and act on the applications of their jurisdiction with exactly the rules
of the pages (the same selectors, the same services, ``APPLICATION.available``); the public reads
the notices in their period and may object (rate-limited). Anything outside the caller's reach is
404, exactly like a missing record; refusals are 4xx with ``code`` and a Chinese ``message``
(409 when someone else acted first, naming who)."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from chuangfu.core.api_schemas import ErrorOut
from chuangfu.core.bounds import ApiDate, Id, Limit, Offset, api_number
from chuangfu.core.clientip import client_ip
from chuangfu.core.errors import NotFound
from chuangfu.core.search import MAX_QUERY_LENGTH

from . import selectors
from .api_aftercare import router as aftercare_router
from .models import Application, NoticeBatch
from .services import application_transition, notices
from .views.reports import application_list_for
from .workflows import APPLICATION, ENTITLEMENT

router = Router(tags=["subsidies"])
router.add_router("", aftercare_router)  # life after payment: obligations and recoveries
MAX_LIMIT = 100
# Transitions done on a batch (publish, uphold an objection, a 免申即享 list's), not offered per application.
BATCH_ONLY = {"publish", "uphold_objection", "entitle"}


class ApplicationEventOut(Schema):
    at: datetime.datetime
    label: str
    note: str = Field(description="公开说明（申请人可见）或内部说明（工作人员）")


class ApplicationRowOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    policy: str
    subject: str = Field(description="申请人姓名或企业名称")
    jurisdiction: str
    submitted_on: datetime.date | None
    amount: Decimal | None = Field(description="核定金额（元）；未核定时为计算金额")


class ApplicationPageOut(Schema):
    items: list[ApplicationRowOut]
    next_offset: int | None


class ApplicationTransitionOut(Schema):
    name: str
    label: str
    note_required: bool


class PaymentOut(Schema):
    amount: Decimal
    paid_on: datetime.date
    reference: str


class ApplicationDetailOut(ApplicationRowOut):
    decision_due: datetime.date | None
    events: list[ApplicationEventOut]
    transitions: list[ApplicationTransitionOut] = Field(description="当前用户可执行的操作（与页面一致）")
    payment: PaymentOut | None


class ApplicationTransitionIn(Schema):
    note: str = Field("", description="说明或理由（驳回、不予受理、调整金额等必填）")
    seen_status: str = Field("", description="页面显示的状态；若已被他人处理，返回 409 并说明由谁处理")
    amount: api_number(Application, "approved_amount", minimum=0) | None = Field(
        None, description="调整金额、拨付：金额（元）"
    )
    items: list[dict] = Field([], description="退回补正：补正事项（一次告知）")
    paid_on: ApiDate | None = Field(None, description="拨付：拨付日期")
    reference: str = Field("", description="拨付：支付凭证号")


def _row(a: Application) -> dict:
    return {
        "id": a.pk,
        "number": a.number,
        "status": a.status,
        "status_label": APPLICATION.label(a.status),
        "policy": a.policy.title,
        "subject": a.subject.name,
        "jurisdiction": a.jurisdiction.name,
        "submitted_on": a.submitted_on,
        "amount": a.amount,
    }


def _detail(a: Application, actor, *, staff: bool) -> dict:
    payment = getattr(a, "disbursement", None) if a.status == "disbursed" else None
    return {
        **_row(a),
        "decision_due": a.decision_due,
        "events": [
            {"at": e.at, "label": e.label, "note": (e.note if staff else e.public_note)}
            for e in selectors.timeline(a, staff=staff)
        ],
        "transitions": [
            {"name": t.name, "label": str(t.label), "note_required": t.note_required}
            for t in APPLICATION.available(a, actor)
            if t.name not in BATCH_ONLY
        ]
        if staff
        else [],
        "payment": {"amount": payment.amount, "paid_on": payment.paid_on, "reference": payment.reference}
        if payment
        else None,
    }


def _staff_or_404(actor) -> None:
    if not selectors.can_see_queue(actor):
        raise NotFound()


# --- applicants ---------------------------------------------------------------------------------------


@router.get("/mine", response=list[ApplicationRowOut], summary="申请人：我的补贴申请")
def mine(request):
    return [_row(a) for a in selectors.applications_mine(request.user)[:200]]


@router.get(
    "/mine/{application_id}",
    response={200: ApplicationDetailOut, 404: ErrorOut},
    summary="申请人：我的一份申请（进度和公开说明）",
)
def mine_detail(request, application_id: Id):
    application = selectors.applications_mine(request.user).filter(pk=application_id).first()
    if application is None:
        raise NotFound()
    return _detail(application, request.user, staff=False)


# --- staff ----------------------------------------------------------------------------------------------


class ApplicationFilters(Schema):
    status: str = Field("", description="状态代码；granted 已核准或已拨付；decided 已作出决定")
    policy: Id | None = None
    town: Id | None = Field(None, description="镇（街道）区划 id")
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="申请编号前缀")
    limit: Limit(MAX_LIMIT) = 20
    offset: Offset = 0


@router.get("/applications", response=ApplicationPageOut, summary="工作人员：申请列表（按辖区限定）")
def application_list(request, filters: Query[ApplicationFilters]):
    _staff_or_404(request.user)
    params = {k: str(v) for k, v in filters.dict(exclude={"limit", "offset"}).items() if v not in (None, "")}
    qs, _applied = application_list_for(request.user, params)
    rows = list(qs[filters.offset : filters.offset + filters.limit + 1])
    more = len(rows) > filters.limit
    return {
        "items": [_row(a) for a in rows[: filters.limit]],
        "next_offset": filters.offset + filters.limit if more else None,
    }


def _staff_application(actor, application_id) -> Application:
    _staff_or_404(actor)
    return selectors.get_application_for(actor, application_id)


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationDetailOut, 404: ErrorOut},
    summary="工作人员：申请详情（含内部记录和可执行操作）",
)
def application_detail(request, application_id: Id):
    return _detail(_staff_application(request.user, application_id), request.user, staff=True)


@router.post(
    "/applications/{application_id}/transitions/{name}",
    response={200: ApplicationDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="工作人员：执行操作（受理、补正、初审、复审、驳回、公示期满核准、拨付……）",
)
def application_fire(request, application_id: Id, name: str, payload: ApplicationTransitionIn):
    actor = request.user
    application = _staff_application(actor, application_id)
    application_transition(
        application=application,
        actor=actor,
        name=name,
        note=payload.note,
        inputs={
            "items": payload.items,
            "amount": payload.amount,
            "paid_on": payload.paid_on,
            "reference": payload.reference,
        },
        seen_status=payload.seen_status or None,
    )
    return _detail(selectors.get_application_for(actor, application_id), actor, staff=True)


# --- 公示 ----------------------------------------------------------------------------------------------


class NoticeEntryOut(Schema):
    number: str = Field(description="申请编号")
    name: str = Field(description="申请人（个人姓名部分隐去）")
    policy: str
    amount: Decimal
    outcome: str


class NoticeOut(Schema):
    number: str
    title: str
    jurisdiction: str
    status: str
    days: int = Field(description="公示期（工作日）")
    starts_on: datetime.date | None
    ends_on: datetime.date | None


class NoticeDetailOut(NoticeOut):
    entries: list[NoticeEntryOut]


class FinaliseOut(Schema):
    approved: list[str]
    waiting: list[str] = Field(description="有待处理异议、暂不核准的申请编号")
    closed: bool


class ObjectionIn(Schema):
    application_number: str = Field(description="对公示中哪一项提出异议（申请编号）")
    name: str
    mobile: str
    content: str = Field(description="异议事实和理由，5 至 1000 字")


def _notice(b: NoticeBatch) -> dict:
    return {
        "number": b.number,
        "title": b.title,
        "jurisdiction": b.jurisdiction.name,
        "status": b.status,
        "days": b.days,
        "starts_on": b.starts_on,
        "ends_on": b.ends_on,
    }


def _notice_detail(b: NoticeBatch, *, public: bool) -> dict:
    entries = b.entries.select_related("application").order_by("id")
    return {
        **_notice(b),
        "entries": [
            {
                "number": "" if public else e.application.number,
                "name": e.public_name,
                "policy": e.policy_title,
                "amount": e.amount,
                "outcome": e.outcome,
            }
            for e in entries
        ],
    }


@router.get("/public/notices", auth=None, response=list[NoticeDetailOut], summary="公众：正在公示的名单")
def public_notices(request):
    return [_notice_detail(b, public=True) for b in selectors.public_notices()]


@router.post(
    "/public/notices/{number}/objections",
    auth=None,
    response={201: dict, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    summary="公众：对公示提出异议（限流）",
)
def public_objection(request, number: str, payload: ObjectionIn):
    batch = selectors.get_public_notice(number)
    entry = batch and batch.entries.filter(application__number=payload.application_number.strip().upper()).first()
    if entry is None:
        raise NotFound()
    notices.objection_submit_public(
        entry=entry, name=payload.name, mobile=payload.mobile, content=payload.content, ip=client_ip(request)
    )
    return 201, {"message": _("您的异议已收到，我们将在公示办结前核查处理，并以短信告知结果。")}


@router.get("/notices", response=list[NoticeOut], summary="工作人员：公示批次")
def notice_list(request):
    _staff_or_404(request.user)
    return [_notice(b) for b in selectors.notice_batches(actor=request.user)[:200]]


@router.get("/notices/{batch_id}", response={200: NoticeDetailOut, 404: ErrorOut}, summary="工作人员：公示批次详情")
def notice_detail(request, batch_id: Id):
    return _notice_detail(selectors.get_notice_batch_for(request.user, batch_id), public=False)


@router.post(
    "/notices/{batch_id}/finalise",
    response={200: FinaliseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="工作人员：公示期满，核准无异议的申请",
)
def notice_finalise(request, batch_id: Id):
    batch = selectors.get_notice_batch_for(request.user, batch_id)
    report = notices.notice_batch_finalise(actor=request.user, batch=batch)
    return {"approved": report.approved, "waiting": report.waiting, "closed": report.closed}


# --- 拨付 ----------------------------------------------------------------------------------------------


class DisbursementOut(Schema):
    application_number: str
    amount: Decimal
    paid_on: datetime.date
    reference: str
    source: str


class PeriodIn(Schema):
    date_from: ApiDate | None = None
    date_to: ApiDate | None = None


@router.get("/disbursements", response=list[DisbursementOut], summary="工作人员：拨付记录")
def disbursement_list(request, period: Query[PeriodIn]):
    _staff_or_404(request.user)
    return [
        {
            "application_number": d.application.number,
            "amount": d.amount,
            "paid_on": d.paid_on,
            "reference": d.reference,
            "source": d.source,
        }
        for d in selectors.disbursement_list(actor=request.user, date_from=period.date_from, date_to=period.date_to)[
            :1000
        ]
    ]


# --- 免申即享 ------------------------------------------------------------------------------------------


class EntitlementOut(Schema):
    id: int
    number: str
    policy: str
    period: str = Field(description="发放周期，如 2026-03、2026Q1、2026")
    cycle_on: datetime.date = Field(description="资格认定日（周期首日）")
    jurisdiction: str
    status: str
    status_label: str
    line_count: int
    included_count: int
    included_amount: Decimal | None = Field(description="列入发放对象的金额合计（元）")
    notice: str | None = Field(description="公示编号（发布后）")


class EntitlementConditionOut(Schema):
    text: str
    status: str
    actual: str = Field(description="资格认定日名录中的值")


class EntitlementLineOut(Schema):
    id: int
    subject: str
    amount: Decimal
    basis: str = Field(description="金额计算依据")
    included: bool
    exclusion_reason: str
    conditions: list[EntitlementConditionOut]
    application_number: str | None = Field(description="发布公示后生成的发放记录编号")
    application_status: str | None


class EntitlementDetailOut(EntitlementOut):
    transitions: list[ApplicationTransitionOut] = Field(description="当前用户可执行的操作（与页面一致）")
    lines: list[EntitlementLineOut]


def _entitlement(b) -> dict:
    return {
        "id": b.pk,
        "number": b.number,
        "policy": b.policy.title,
        "period": b.period,
        "cycle_on": b.cycle_on,
        "jurisdiction": b.jurisdiction.name,
        "status": b.status,
        "status_label": b.get_status_display(),
        "line_count": b.line_count,
        "included_count": b.included_count,
        "included_amount": b.included_amount,
        "notice": b.notice.number if b.notice_id else None,
    }


@router.get("/entitlements", response=list[EntitlementOut], summary="工作人员：免申即享名单")
def entitlement_list(request):
    return [_entitlement(b) for b in selectors.entitlement_batches(actor=request.user)[:200]]


@router.get(
    "/entitlements/{batch_id}",
    response={200: EntitlementDetailOut, 404: ErrorOut},
    summary="工作人员：免申即享名单详情",
)
def entitlement_detail(request, batch_id: Id):
    batch = selectors.get_entitlement_batch_for(request.user, batch_id)
    return {
        **_entitlement(batch),
        "transitions": [
            {"name": t.name, "label": str(t.label), "note_required": t.note_required}
            for t in ENTITLEMENT.available(batch, request.user)
        ],
        "lines": [
            {
                "id": line.pk,
                "subject": str(line.subject),
                "amount": line.amount,
                "basis": line.basis_text,
                "included": line.included,
                "exclusion_reason": line.exclusion_text,
                "conditions": line.conditions,
                "application_number": line.application.number if line.application_id else None,
                "application_status": line.application.status if line.application_id else None,
            }
            for line in selectors.entitlement_lines(batch)
        ],
    }
