"""Desk API: public intake and status lookup (no account; rate-limited), and for staff the same
list, detail and transitions as the pages, through the same selectors and services.

Errors: bad values 400 (``details.fields``), a refused transition 409, rate limits 429, and any
ticket outside the caller's scope 404 — exactly like a missing one.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from chuangfu.core.api_schemas import ErrorOut
from chuangfu.core.bounds import ApiDate, Id, Limit, Offset, api_number
from chuangfu.core.clientip import client_ip
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import Jurisdiction, Unit
from chuangfu.core.search import MAX_QUERY_LENGTH

from . import deadlines, selectors, services
from .models import Category, Ticket
from .timeline_text import shown
from .workflows import TICKET, TRANSITION_INPUTS

router = Router(tags=["desk"])
MAX_LIMIT = 100


# --- public ---------------------------------------------------------------------------------------


class CategoryOut(Schema):
    id: int
    name: str
    description: str
    accept_days: int
    answer_days: int


class PublicTicketIn(Schema):
    town: str = Field(..., description="镇（街道）区划代码，如 310115114")
    category: Id = Field(..., description="咨询类别 id（见 /public/categories）")
    description: str = Field(..., description="诉求内容，最多 2000 字")
    requester_name: str
    requester_mobile: str
    uscc: str = ""
    enterprise_name: str = ""
    idempotency_key: str = Field("", description="客户端生成的唯一键；重复提交同一键只会生成一张工单")


class PublicTicketOut(Schema):
    number: str
    status: str
    status_label: str
    answer_due: datetime.date
    created: bool = Field(..., description="false 表示这是一次重复提交，返回的是原工单")


class LookupIn(Schema):
    number: str
    mobile: str


class PublicEventOut(Schema):
    at: datetime.datetime
    label: str
    note: str


class PublicStatusOut(Schema):
    number: str
    status: str
    status_label: str
    category: str
    received_at: datetime.datetime
    answer_due: datetime.date
    answer: str
    merged_into: str | None
    rated: bool
    events: list[PublicEventOut]


def _town(code: str) -> Jurisdiction:
    town = Jurisdiction.objects.filter(code=code, level=Jurisdiction.Level.TOWN).first()
    if town is None:
        raise ValidationError({"town": _("镇（街道）代码 %(c)s 不存在。") % {"c": code}})
    return town


@router.get("/public/categories", auth=None, response=list[CategoryOut], summary="公众：某镇的咨询类别")
def public_categories(request, town: str):
    return list(Category.objects.filter(jurisdiction=_town(town), active=True))


def _submit(request, payload: PublicTicketIn, files=()):
    town = _town(payload.town)
    category = Category.objects.filter(pk=payload.category, jurisdiction=town).first()
    key = payload.idempotency_key or request.headers.get("Idempotency-Key", "")
    ticket, created = services.ticket_submit_public(
        jurisdiction=town,
        category=category,
        description=payload.description,
        requester_name=payload.requester_name,
        requester_mobile=payload.requester_mobile,
        uscc=payload.uscc,
        enterprise_name=payload.enterprise_name,
        idempotency_key=key,
        ip=client_ip(request),
        files=files,
    )
    body = {
        "number": ticket.number,
        "status": ticket.status,
        "status_label": TICKET.label(ticket.status),
        "answer_due": ticket.answer_due,
        "created": created,
    }
    return Status(201 if created else 200, body)


@router.post(
    "/public/tickets",
    auth=None,
    response={200: PublicTicketOut, 201: PublicTicketOut, 400: ErrorOut, 429: ErrorOut},
    summary="公众：提交诉求（限流、幂等）",
)
def public_create(request, payload: PublicTicketIn):
    return _submit(request, payload)


@router.post(
    "/public/tickets/with-files",
    auth=None,
    response={200: PublicTicketOut, 201: PublicTicketOut, 400: ErrorOut, 429: ErrorOut},
    summary="公众：提交诉求并上传附件（multipart/form-data；最多 5 个，每个 10 MB，图片、PDF、Office）",
)
def public_create_with_files(request, payload: Form[PublicTicketIn], files: File[list[UploadedFile]] = None):
    return _submit(request, payload, files or ())


@router.post(
    "/public/status",
    auth=None,
    response={200: PublicStatusOut, 404: ErrorOut, 429: ErrorOut},
    summary="公众：凭工单编号和手机号查询进度",
)
def public_status(request, payload: LookupIn):
    ip, number = client_ip(request) or "unknown", payload.number.strip()
    if services.throttle_exceeded(("lookup_fail_ip", ip), ("lookup_fail_number", number)):
        raise DomainError("rate_limited", _("查询失败次数太多，请稍后再试。"), status=429)
    found = selectors.ticket_public_status(number=number, mobile=payload.mobile)
    if found is None:
        services.throttle_take("lookup_fail_ip", ip)
        services.throttle_take("lookup_fail_number", number)
        raise NotFound(_("没有找到与该编号和手机号相符的工单，请核对后重试。"))
    merged = found["merged_into__number"]
    return {
        "number": found["number"],
        "status": found["status"],
        "status_label": TICKET.label(found["status"]),
        "category": found["category__name"],
        "received_at": found["received_at"],
        "answer_due": found["answer_due"],
        "answer": found["merged_into__answer"] if merged else found["answer"],
        "merged_into": merged,
        "rated": found["rating__id"] is not None,
        "events": [{"at": at, "label": label, "note": note} for at, label, note in found["events"]],
    }


# --- staff ------------------------------------------------------------------------------------------


class TicketFilters(Schema):
    queue: str = Field(
        "open",
        description="open 全部在办 · new 待我处理 · due_soon · overdue · revisit · rectify · supervised · mine · all",
    )
    q: str = Field(
        "", max_length=MAX_QUERY_LENGTH, description="工单编号、手机号、统一社会信用代码或关键词（分词检索）"
    )
    status: str = ""
    unit: Id | None = None
    category: Id | None = None
    channel: str = ""
    date_from: ApiDate | None = None
    date_to: ApiDate | None = None
    overdue: bool = False
    limit: Limit(MAX_LIMIT) = 20
    offset: Offset = 0


class TicketRowOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    flag: str = Field(..., description="overdue 已超时 · due_soon 即将到期 · revisit_overdue 回访超时 · 空")
    category: str
    channel: str
    lead_unit: str | None
    summary: str
    received_at: datetime.datetime
    accept_due: datetime.date
    answer_due: datetime.date
    supervised: bool


class TicketPageOut(Schema):
    items: list[TicketRowOut]
    next_offset: int | None


class TicketEventOut(Schema):
    at: datetime.datetime
    actor: str
    action: str
    label: str
    note: str
    public: bool
    public_note: str


class AssignmentOut(Schema):
    unit: str
    role: str
    state: str
    accept_due: datetime.date
    answer: str


class TicketTransitionOut(Schema):
    name: str
    label: str
    note_required: bool
    inputs: list[str]


class TicketDetailOut(TicketRowOut):
    description: str
    requester_name: str
    requester_mobile: str = Field(..., description="脱敏")
    requester_uscc: str
    requester_enterprise_name: str
    hotline_order_no: str
    answer: str
    suggested_unit: str | None
    suggestion_reason: str
    first_handler: str | None
    merged_into: str | None
    origin: str | None = Field(None, description="来源，如“活动：唐镇创业服务日”")
    origin_url: str | None
    rating: str | None
    events: list[TicketEventOut]
    assignments: list[AssignmentOut]
    transitions: list[TicketTransitionOut]


class TicketTransitionIn(Schema):
    note: str = ""
    unit_id: Id | None = Field(None, description="派单、转派：主办单位 id")
    co_unit_ids: list[int] = Field([], description="派单、增加协办：协办单位 id")
    target_number: str = Field("", description="并单：并入的工单编号")
    days: api_number(Ticket, "extension_pending_days", minimum=1) | None = Field(None, description="申请延期：工作日数")
    outcome: str = Field("", description="回访：satisfied · basic · dissatisfied · unreachable")


def _row(ticket: Ticket, flag: str) -> dict:
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "status": ticket.status,
        "status_label": TICKET.label(ticket.status),
        "flag": flag,
        "category": ticket.category.name,
        "channel": ticket.channel,
        "lead_unit": ticket.lead_unit.name if ticket.lead_unit else None,
        "summary": ticket.summary,
        "received_at": ticket.received_at,
        "accept_due": ticket.accept_due,
        "answer_due": ticket.answer_due,
        "supervised": ticket.supervised,
    }


def _transitions(ticket: Ticket, actor) -> list[dict]:
    return [
        {
            "name": t.name,
            "label": str(t.label),
            "note_required": t.note_required,
            "inputs": list(TRANSITION_INPUTS.get(t.name, ())),
        }
        for t in TICKET.available(ticket, actor)
    ]


def _origin(ticket: Ticket) -> dict:
    origin = selectors.ticket_origin(ticket)
    if origin is None:
        return {"origin": None, "origin_url": None}
    return {"origin": f"{origin.kind}：{origin.label}", "origin_url": origin.url or None}


def _detail(ticket: Ticket, actor) -> dict:
    rating = getattr(ticket, "rating", None)
    return {
        **_row(ticket, deadlines.flag(ticket)),
        "description": ticket.description,
        "requester_name": ticket.requester_name,
        "requester_mobile": ticket.masked_mobile,
        "requester_uscc": ticket.requester_uscc,
        "requester_enterprise_name": ticket.requester_enterprise_name,
        "hotline_order_no": ticket.hotline_order_no,
        "answer": ticket.answer,
        "suggested_unit": ticket.suggested_unit.name if ticket.suggested_unit else None,
        "suggestion_reason": ticket.suggestion_reason,
        "first_handler": str(ticket.first_handler) if ticket.first_handler else None,
        "merged_into": ticket.merged_into.number if ticket.merged_into else None,
        **_origin(ticket),
        "rating": rating.get_grade_display() if rating else None,
        "events": [
            {
                "at": e.at,
                "actor": e.actor_repr,
                "action": e.action,
                "label": shown(e.label),
                "note": shown(e.note),
                "public": e.public,
                "public_note": shown(e.public_note),
            }
            for e in selectors.timeline(ticket=ticket, include_internal=True)
        ],
        "assignments": [
            {"unit": a.unit.name, "role": a.role, "state": a.state, "accept_due": a.accept_due, "answer": a.answer}
            for a in selectors.assignments(ticket=ticket)
        ],
        "transitions": _transitions(ticket, actor),
    }


@router.get("/tickets", response=TicketPageOut, summary="工单列表（按角色和辖区限定）")
def ticket_list(request, filters: Query[TicketFilters]):
    data = filters.dict(exclude={"limit", "offset"})
    data = {k: v for k, v in data.items() if v not in (None, "", False)}
    rows = list(
        selectors.ticket_list(actor=request.user, filters=data)[filters.offset : filters.offset + filters.limit + 1]
    )
    today, limit = deadlines.today(), deadlines.soon_limit(deadlines.today())
    has_more = len(rows) > filters.limit
    return {
        "items": [_row(t, deadlines.flag(t, today, limit)) for t in rows[: filters.limit]],
        "next_offset": filters.offset + filters.limit if has_more else None,
    }


@router.get("/tickets/{ticket_id}", response={200: TicketDetailOut, 404: ErrorOut}, summary="工单详情")
def ticket_detail(request, ticket_id: Id):
    return _detail(selectors.get_ticket_for(request.user, ticket_id), request.user)


@router.get(
    "/tickets/{ticket_id}/transitions",
    response={200: list[TicketTransitionOut], 404: ErrorOut},
    summary="当前用户可执行的操作",
)
def ticket_transitions(request, ticket_id: Id):
    return _transitions(selectors.get_ticket_for(request.user, ticket_id), request.user)


@router.post(
    "/tickets/{ticket_id}/transitions/{name}",
    response={200: TicketDetailOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="执行操作（派单、签收、答复、退单、延期、挂起、督办、并单……）",
)
def ticket_fire(request, ticket_id: Id, name: str, payload: TicketTransitionIn):
    actor = request.user
    ticket = selectors.get_ticket_for(actor, ticket_id)
    TICKET.transition(name)
    units = Unit.objects.filter(jurisdiction_id=ticket.jurisdiction_id)
    inputs = {
        "unit": units.filter(pk=payload.unit_id).first() if payload.unit_id else None,
        "co_units": list(units.filter(pk__in=payload.co_unit_ids)),
        "days": payload.days,
        "outcome": payload.outcome,
        "target": selectors.get_ticket_by_number_for(actor, payload.target_number) if payload.target_number else None,
    }
    if payload.unit_id and inputs["unit"] is None:
        raise ValidationError({"unit_id": _("请选择本镇启用中的单位。")})
    if len(inputs["co_units"]) != len(set(payload.co_unit_ids)):
        raise ValidationError({"co_unit_ids": _("请选择本镇启用中的单位。")})
    services.ticket_transition(ticket=ticket, actor=actor, name=name, note=payload.note, inputs=inputs)
    return _detail(selectors.get_ticket_for(actor, ticket_id), actor)
