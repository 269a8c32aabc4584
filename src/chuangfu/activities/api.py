"""Activities API: the public list (no login) and, for staff (session auth), their activities,
lifecycle transitions, registrations, check-in by QR token and figures. The same selectors and
services as the pages: another town's activity is 404; a refusal is 4xx with ``code`` and a
Chinese ``message``."""

import datetime

from ninja import Field, Query, Router, Schema

from chuangfu.core.api_schemas import ErrorOut
from chuangfu.core.bounds import Id, Limit, Offset
from chuangfu.core.errors import NotFound

from . import selectors
from .models import Activity, Registration
from .services import activities as activity_services
from .services import checkins, consultations, registrations
from .workflows import ACTIVITY

router = Router(tags=["activities"])
MAX_LIMIT = 100


class ActivityOut(Schema):
    id: int
    title: str
    type: str
    status: str
    status_label: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    host_carrier: str | None
    jurisdiction: str
    capacity: int
    registration_opens_at: datetime.datetime
    registration_closes_at: datetime.datetime
    audience: str

    @staticmethod
    def from_activity(activity: Activity) -> dict:
        return {
            "id": activity.pk,
            "title": activity.title,
            "type": activity.type.name,
            "status": activity.status,
            "status_label": activity.get_status_display(),
            "starts_at": activity.starts_at,
            "ends_at": activity.ends_at,
            "place": activity.place_display,
            "host_carrier": activity.host_carrier.name if activity.host_carrier_id else None,
            "jurisdiction": activity.jurisdiction.name,
            "capacity": activity.capacity,
            "registration_opens_at": activity.registration_opens_at,
            "registration_closes_at": activity.registration_closes_at,
            "audience": activity.audience,
        }


class FiguresOut(Schema):
    capacity: int
    confirmed: int
    offered: int
    waitlisted: int
    pending: int
    cancelled: int
    attended: int = Field(description="签到人数：只来自签到记录")
    walk_ins: int
    attendance_rate: float | None
    rated: int
    satisfaction_rate: float | None
    consultations: int | None = Field(description="现场咨询：活动中登记的咨询工单数（未启用咨询受理时为空）")


class ActivityDetailOut(ActivityOut):
    figures: FiguresOut
    transitions: list[str] = Field(description="当前用户可以执行的状态操作")


class Page(Schema):
    items: list[ActivityOut]
    next_offset: int | None


class PublicQuery(Schema):
    town: Id | None = Field(None, description="镇（街道）区划 id")
    type: Id | None = Field(None, description="活动类型 id")
    carrier: Id | None = Field(None, description="载体 id（承办或举办地点）")


class StaffQuery(Schema):
    status: str = ""
    type: Id | None = None
    limit: Limit(MAX_LIMIT) = 20
    offset: Offset = 0


class ActivityTransitionIn(Schema):
    note: str = ""


class RegistrationOut(Schema):
    id: int
    name: str
    mobile: str = Field(description="已遮蔽的手机号")
    enterprise_name: str
    source: str
    status: str
    status_label: str
    waitlist_rank: int | None
    offer_expires_at: datetime.datetime | None
    checked_in_at: datetime.datetime | None
    created_at: datetime.datetime


class CheckinIn(Schema):
    token: str


class CheckinOut(Schema):
    registration_id: int
    name: str
    already: bool = Field(description="此前已签到：checked_in_at 为第一次签到时间")
    checked_in_at: datetime.datetime


class FigureRowOut(Schema):
    label: str | None
    activities: int
    confirmed: int
    attended: int
    attendance_rate: float | None
    rated: int
    satisfaction_rate: float | None
    consultations: int = Field(description="现场咨询：活动中登记的咨询工单数")


class ConsultationIn(Schema):
    requester_name: str
    requester_mobile: str
    description: str = Field(description="咨询事项")
    category_id: Id | None = Field(None, description="咨询类别 id（受理窗口的类别）；不填归入“其他”")
    enterprise_name: str = ""
    uscc: str = ""
    idempotency_key: str = Field("", description="同一个键重复提交只登记一次")


class ConsultationTicketOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    category: str
    requester_name: str = Field(description="已遮蔽")


class ConsultationCreatedOut(ConsultationTicketOut):
    created: bool = Field(description="false：重复提交，返回第一次登记的工单")


class ConsultationsOut(Schema):
    total: int
    open: int
    answered: int
    closed: int
    hidden: int = Field(description="本人无权查看详情的工单数（如其他单位承办的）")
    tickets: list[ConsultationTicketOut]


def _ticket_out(ticket) -> dict:
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "status": ticket.status,
        "status_label": ticket.get_status_display(),
        "category": ticket.category.name,
        "requester_name": ticket.masked_name,
    }


def _activity_for(request, activity_id: Id) -> Activity:
    return activity_services.activity_advance_if_due(selectors.get_activity_for(request.auth, activity_id))


@router.get("/public", response=list[ActivityOut], auth=None, summary="公开：近期活动（无需登录）")
def public_list(request, query: Query[PublicQuery]):
    filters = selectors.PublicFilters(town=query.town, type=query.type, carrier=query.carrier)
    return [ActivityOut.from_activity(a) for a in selectors.public_activities(filters)[:200]]


@router.get("/", response=Page, summary="本人可管理的活动")
def activity_list(request, query: Query[StaffQuery]):
    filters = selectors.ActivityFilters(status=query.status, type=query.type)
    rows = list(
        selectors.activity_list(actor=request.auth, filters=filters)[query.offset : query.offset + query.limit + 1]
    )
    has_more = len(rows) > query.limit
    return {
        "items": [ActivityOut.from_activity(a) for a in rows[: query.limit]],
        "next_offset": query.offset + query.limit if has_more else None,
    }


@router.get("/figures", response=list[FigureRowOut], summary="按承办载体、类型或月份的活动统计")
def figures(request, by: str = "month"):
    if by not in selectors.FIGURE_DIMENSIONS:
        raise NotFound()
    return selectors.figures_by(actor=request.auth, dimension=by)


@router.get("/{activity_id}", response={200: ActivityDetailOut, 404: ErrorOut}, summary="活动详情与数据")
def activity_detail(request, activity_id: Id):
    activity = _activity_for(request, activity_id)
    return {
        **ActivityOut.from_activity(activity),
        "figures": selectors.activity_figures(activity),
        "transitions": [t.name for t in ACTIVITY.available(activity, request.auth)],
    }


@router.post(
    "/{activity_id}/transitions/{name}",
    response={200: ActivityOut, 404: ErrorOut, 400: ErrorOut, 409: ErrorOut},
    summary="执行状态操作（发布、截止报名、开始、结束、取消……）",
)
def activity_transition(request, activity_id: Id, name: str, payload: ActivityTransitionIn):
    activity = _activity_for(request, activity_id)
    activity = activity_services.activity_transition(
        activity=activity, actor=request.auth, name=name, note=payload.note
    )
    return ActivityOut.from_activity(
        Activity.objects.select_related("type", "jurisdiction", "host_carrier", "place_carrier").get(pk=activity.pk)
    )


def _registration_out(registration: Registration) -> dict:
    return {
        "id": registration.pk,
        "name": registration.name,
        "mobile": registration.masked_mobile,
        "enterprise_name": registration.enterprise_name,
        "source": registration.source,
        "status": registration.status,
        "status_label": registration.get_status_display(),
        "waitlist_rank": selectors.waitlist_rank(registration),
        "offer_expires_at": registration.offer_expires_at,
        "checked_in_at": registration.checked_in_at,
        "created_at": registration.created_at,
    }


@router.get("/{activity_id}/registrations", response={200: list[RegistrationOut], 404: ErrorOut}, summary="报名名单")
def registration_list(request, activity_id: Id, status: str = ""):
    activity = _activity_for(request, activity_id)
    registrations.registration_expire_offers(activity=activity)
    return [_registration_out(r) for r in selectors.registrations_of(activity, status=status)[:2000]]


@router.post(
    "/{activity_id}/checkin", response={200: CheckinOut, 404: ErrorOut, 409: ErrorOut}, summary="凭电子票签到码签到"
)
def checkin(request, activity_id: Id, payload: CheckinIn):
    activity = _activity_for(request, activity_id)
    result = checkins.registration_check_in_by_token(activity=activity, token=payload.token, actor=request.auth)
    return {
        "registration_id": result.registration.pk,
        "name": result.registration.name,
        "already": result.already,
        "checked_in_at": result.registration.checked_in_at,
    }


@router.get(
    "/{activity_id}/consultations",
    response={200: ConsultationsOut, 404: ErrorOut},
    summary="现场咨询：登记的咨询工单及其办理状态",
)
def consultation_list(request, activity_id: Id):
    activity = _activity_for(request, activity_id)
    data = selectors.activity_consultations(activity, actor=request.auth)
    if data is None:
        raise NotFound()
    return {**data, "tickets": [_ticket_out(t) for t in data["tickets"]]}


@router.post(
    "/{activity_id}/consultations",
    response={200: ConsultationCreatedOut, 201: ConsultationCreatedOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="登记现场咨询：生成来源为本活动的咨询工单",
)
def consultation_create(request, activity_id: Id, payload: ConsultationIn):
    activity = _activity_for(request, activity_id)
    ticket, created = consultations.consultation_record(activity=activity, actor=request.auth, **payload.dict())
    return (201 if created else 200), {**_ticket_out(ticket), "created": created}
