"""Ecosystem API: carriers and the 15-minute circle, visits, resources and 对接, incubation
with quarterly figures, case files, the industry chain, innovation scores and nominations. The same selectors and services as the pages: another town's
record is 404; a refused change is 4xx with ``code`` and a Chinese ``message``."""

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Router, Schema
from ninja.errors import HttpError

from chuangfu.core.api_schemas import ErrorOut
from chuangfu.core.bounds import Id, Limit, Offset, api_number, decimal_maximum

from . import geo, selectors
from .models import QuarterlyReport
from .models.resources import reason_text
from .selectors import industry
from .services import incubation as incubation_services
from .services import resources as resource_services

router = Router(tags=["ecosystem"])
MAX_LIMIT = 200
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


def _office(request):
    if not selectors.is_office(request.user):
        raise HttpError(404, "记录不存在或您无权查看。")


def _use(request):
    if not selectors.can_use(request.user):
        raise HttpError(404, "记录不存在或您无权查看。")


class CarrierSiteOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    address: str
    latitude: float | None
    longitude: float | None
    opening_hours: str
    services: list[str]
    workstations_total: int
    workstations_free: int
    contact_name: str
    contact_phone: str

    @staticmethod
    def of(carrier) -> dict:
        site = getattr(carrier, "site", None)
        return {
            "id": carrier.pk,
            "name": carrier.name,
            "kind": carrier.kind,
            "kind_label": carrier.get_kind_display(),
            "address": carrier.address,
            "latitude": site.latitude if site else None,
            "longitude": site.longitude if site else None,
            "opening_hours": site.opening_hours if site else "",
            "services": carrier.service_list,
            "workstations_total": carrier.workstations_total,
            "workstations_free": carrier.workstations_free,
            "contact_name": carrier.contact_name,
            "contact_phone": carrier.contact_phone,
        }


class PublicCarrierOut(Schema):
    """What the public sees of a carrier: no contact person, no telephone."""

    id: int
    name: str
    kind: str
    kind_label: str
    address: str
    latitude: float | None
    longitude: float | None
    opening_hours: str
    services: list[str]
    workstations_total: int
    workstations_free: int

    @staticmethod
    def of(carrier) -> dict:
        data = CarrierSiteOut.of(carrier)
        return {k: v for k, v in data.items() if k not in ("contact_name", "contact_phone")}


class NearbyOut(Schema):
    carrier: PublicCarrierOut
    metres: float = Field(description="直线距离（米）")
    walking_minutes: int = Field(description=f"按每小时 {geo.WALKING_SPEED_KMH} 公里步行估算的分钟数")
    within_circle: bool = Field(description=f"是否在 {geo.CIRCLE_MINUTES} 分钟步行圈内")


@router.get("/carriers", response=list[CarrierSiteOut], summary="载体（运营方只见本单位的载体）")
def carrier_list(request, kind: str = "", q: str = "", limit: Limit(MAX_LIMIT) = 50, offset: Offset = 0):
    _use(request)
    rows = selectors.carrier_list(actor=request.user, kind=kind, q=q)[offset : offset + min(limit, MAX_LIMIT)]
    return [CarrierSiteOut.of(c) for c in rows]


@router.get("/nearby", response=list[NearbyOut], auth=None, summary="离一个坐标最近的载体（公开，直线距离）")
def nearby(request, lat: Latitude, lon: Longitude, kind: str = "", limit: Limit(20) = 5):
    found = selectors.nearest_carriers(
        latitude=lat, longitude=lon, kinds=[kind] if kind else [], limit=max(1, min(limit, 20))
    )
    return [
        {
            "carrier": PublicCarrierOut.of(r.carrier),
            "metres": round(r.metres, 1),
            "walking_minutes": r.minutes,
            "within_circle": r.within_circle,
        }
        for r in found
    ]


class AreaCoverageOut(Schema):
    area_id: int
    area: str
    village: str
    addresses: int
    uncovered: int
    is_uncovered: bool


@router.get(
    "/coverage/{town_id}", response={200: list[AreaCoverageOut], 404: ErrorOut}, summary="镇内 15 分钟服务圈外的居住区"
)
def coverage(request, town_id: Id, kind: list[str] | None = None):
    _office(request)
    town = selectors.town_choices(request.user).filter(pk=town_id).first()
    if town is None:
        raise HttpError(404, "记录不存在或您无权查看。")
    rows = selectors.town_coverage(actor=request.user, town=town, kinds=kind or selectors.STATION_KINDS)
    return [
        {
            "area_id": r.area.pk,
            "area": r.area.name,
            "village": r.area.jurisdiction.name,
            "addresses": r.addresses,
            "uncovered": r.uncovered,
            "is_uncovered": r.is_uncovered,
        }
        for r in rows
    ]


class VisitOut(Schema):
    id: int
    carrier_id: int
    carrier: str
    planned_on: datetime.date
    purpose: str
    status: str
    overdue: bool
    visited_at: datetime.datetime | None
    findings: str
    problems: list[str]


@router.get("/visits", response=list[VisitOut], summary="走访")
def visit_list(
    request,
    status: str = "",
    overdue: bool = False,
    carrier_id: Id | None = None,
    limit: Limit(MAX_LIMIT) = 50,
    offset: Offset = 0,
):
    _use(request)
    rows = selectors.visit_list(
        actor=request.user, status=status, overdue=overdue, carrier_id=carrier_id
    ).prefetch_related("problems")[offset : offset + min(limit, MAX_LIMIT)]
    return [
        {
            "id": v.pk,
            "carrier_id": v.carrier_id,
            "carrier": v.carrier.name,
            "planned_on": v.planned_on,
            "purpose": v.purpose,
            "status": v.status,
            "overdue": v.is_overdue,
            "visited_at": v.visited_at,
            "findings": v.findings,
            "problems": [p.description for p in v.problems.all()],
        }
        for v in rows
    ]


def _resource(r) -> dict:
    return {
        "id": r.pk,
        "kind": r.kind,
        "name": r.name,
        "offer": r.offer,
        "keywords": r.keywords,
        "holder": str(r.holder),
        "active": r.active,
    }


class ResourceOut(Schema):
    id: int
    kind: str
    name: str
    offer: str
    keywords: str
    holder: str
    active: bool


@router.get("/resources", response=list[ResourceOut], summary="资源库")
def resource_list(request, kind: str = "", q: str = "", limit: Limit(MAX_LIMIT) = 50, offset: Offset = 0):
    _office(request)
    rows = selectors.resource_list(actor=request.user, kind=kind, q=q)[offset : offset + min(limit, MAX_LIMIT)]
    return [_resource(r) for r in rows]


class ResourceMatchOut(Schema):
    resource: ResourceOut
    score: int
    reasons: list[str]


@router.get(
    "/needs/{need_id}/matches", response={200: list[ResourceMatchOut], 404: ErrorOut}, summary="为需求匹配的资源及理由"
)
def need_matches(request, need_id: Id):
    _office(request)
    need = selectors.get_need_for(request.user, need_id)
    return [
        {"resource": _resource(m.resource), "score": m.score, "reasons": [reason_text(r) for r in m.reasons]}
        for m in selectors.match_resources(actor=request.user, need=need)
    ]


class LinkageIn(Schema):
    resource_id: Id


class LinkageOut(Schema):
    id: int
    need_id: int
    resource_id: int
    status: str
    reasons: list[str]
    outcome_note: str


def _linkage(linkage) -> dict:
    return {
        "id": linkage.pk,
        "need_id": linkage.need_id,
        "resource_id": linkage.resource_id,
        "status": linkage.status,
        "reasons": [reason_text(r) for r in linkage.reasons],
        "outcome_note": linkage.outcome_note,
    }


@router.post(
    "/needs/{need_id}/linkages",
    response={200: LinkageOut, 400: ErrorOut, 404: ErrorOut},
    summary="对接（同一对只生成一条）",
)
def linkage_create(request, need_id: Id, payload: LinkageIn):
    _office(request)
    need = selectors.get_need_for(request.user, need_id)
    resource = selectors.get_resource_for(request.user, payload.resource_id)
    return _linkage(resource_services.linkage_create(actor=request.user, need=need, resource=resource))


class OutcomeIn(Schema):
    met: bool
    note: str = ""


@router.post(
    "/linkages/{linkage_id}/outcome",
    response={200: LinkageOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="记录对接结果",
)
def linkage_outcome(request, linkage_id: Id, payload: OutcomeIn):
    _office(request)
    linkage = selectors.linkages_for(request.user).filter(pk=linkage_id).first()
    if linkage is None:
        raise HttpError(404, "记录不存在或您无权查看。")
    return _linkage(
        resource_services.linkage_outcome(actor=request.user, linkage=linkage, met=payload.met, note=payload.note)
    )


class LinkageCountsOut(Schema):
    total: int
    pending: int
    met: int
    failed: int


@router.get("/linkages/counts", response=LinkageCountsOut, summary="对接数量（按结果）")
def linkage_counts(request):
    _office(request)
    counts = selectors.linkage_counts(actor=request.user)
    return {"total": counts["total"], **counts["totals"]}


class IncubationOut(Schema):
    id: int
    carrier_id: int
    enterprise_id: int
    enterprise: str
    status: str
    admitted_on: datetime.date
    started_on: datetime.date | None
    ended_on: datetime.date | None


@router.get("/incubations", response=list[IncubationOut], summary="在孵企业（运营方只见本载体）")
def incubation_list(request, carrier_id: Id | None = None, limit: Limit(MAX_LIMIT) = 50, offset: Offset = 0):
    _use(request)
    rows = selectors.incubations_for(request.user)
    if carrier_id:
        rows = rows.filter(carrier_id=carrier_id)
    return [
        {
            "id": i.pk,
            "carrier_id": i.carrier_id,
            "enterprise_id": i.enterprise_id,
            "enterprise": i.enterprise.name,
            "status": i.status,
            "admitted_on": i.admitted_on,
            "started_on": i.started_on,
            "ended_on": i.ended_on,
        }
        for i in rows[offset : offset + min(limit, MAX_LIMIT)]
    ]


class QuarterlyIn(Schema):
    year: api_number(QuarterlyReport, "year")
    quarter: api_number(QuarterlyReport, "quarter")
    insured_headcount: api_number(QuarterlyReport, "insured_headcount")
    revenue_band: str
    financing_wan: float = Field(0, ge=0, le=float(decimal_maximum(12, 2)))
    ip_count: api_number(QuarterlyReport, "ip_count") = 0
    awards: str = ""


class QuarterlyOut(Schema):
    id: int
    year: int
    quarter: int
    insured_headcount: int
    revenue_band: str


@router.put(
    "/incubations/{incubation_id}/reports",
    response={200: QuarterlyOut, 400: ErrorOut, 404: ErrorOut},
    summary="填报一个季度的数据（同一季度再次填报即更新）",
)
def quarterly_report(request, incubation_id: Id, payload: QuarterlyIn):
    _use(request)
    incubation = selectors.get_incubation_for(request.user, incubation_id)
    data = payload.dict()
    data["financing_wan"] = Decimal(str(data["financing_wan"]))
    report = incubation_services.quarterly_report_save(actor=request.user, incubation=incubation, **data)
    return {
        "id": report.pk,
        "year": report.year,
        "quarter": report.quarter,
        "insured_headcount": report.insured_headcount,
        "revenue_band": report.revenue_band,
    }


class CaseFiguresOut(Schema):
    cases: int
    helped: int = Field(description="帮扶成功创业人数")
    jobs: int = Field(description="带动就业岗位")
    months: int = Field(description="创业成功所需的经营月数")
    helped_case_ids: list[int]


@router.get("/cases/figures", response=CaseFiguresOut, summary="帮扶档案：成功创业人数和带动就业")
def case_figures(request):
    _office(request)
    figures = selectors.case_figures(actor=request.user)
    return {
        "cases": figures["cases"],
        "helped": figures["helped"],
        "jobs": figures["jobs"],
        "months": figures["months"],
        "helped_case_ids": [c.pk for c, o in figures["rows"] if o.success],
    }


# --- industry focus ----------------------------------------------------------------------------


class ChainNodeOut(Schema):
    id: int
    name: str
    stage: str
    depth: int
    industry_codes: list[str]
    direct: int = Field(description="标注在本环节的存续企业数")
    total: int = Field(description="本环节及下级环节的存续企业数（同一企业只计一次）")
    thin_below: int
    thin: bool = Field(description="企业数低于薄弱线")
    children: list["ChainNodeOut"]

    @staticmethod
    def of(node) -> dict:
        return {
            "id": node.segment.pk,
            "name": node.segment.name,
            "stage": node.segment.stage,
            "depth": node.depth,
            "industry_codes": node.segment.codes,
            "direct": node.direct,
            "total": node.total,
            "thin_below": node.segment.thin_below,
            "thin": node.thin,
            "children": [ChainNodeOut.of(c) for c in node.children],
        }


ChainNodeOut.model_rebuild()


@router.get("/chain", response={200: list[ChainNodeOut], 404: ErrorOut}, summary="产业链：各环节企业数与薄弱环节")
def chain_tree(request, town_id: Id):
    _office(request)
    town = industry.get_town_for(request.user, town_id)
    return [ChainNodeOut.of(root) for root in industry.chain_tree(actor=request.user, town=town)]


class SegmentFirmOut(Schema):
    enterprise_id: int
    name: str
    uscc: str
    registration_status: str


@router.get(
    "/chain/{segment_id}/enterprises",
    response={200: list[SegmentFirmOut], 404: ErrorOut},
    summary="标注在一个产业链环节上的企业",
)
def segment_enterprises(request, segment_id: Id, limit: Limit(MAX_LIMIT) = 50, offset: Offset = 0):
    _office(request)
    segment = industry.get_segment_for(request.user, segment_id)
    return [
        {
            "enterprise_id": m.enterprise_id,
            "name": m.enterprise.name,
            "uscc": m.enterprise.uscc,
            "registration_status": m.enterprise.registration_status,
        }
        for m in industry.segment_firms(segment)[offset : offset + min(limit, MAX_LIMIT)]
    ]


class ScoreOut(Schema):
    criterion: str
    points: int
    out_of: int
    reason: str


class AssessmentOut(Schema):
    year: int
    percent: int | None = Field(description="总分按百分制折算")
    summary: str
    scores: list[ScoreOut]


class NominationOut(Schema):
    id: int
    competition_id: int
    competition: str
    enterprise_id: int
    enterprise: str
    track: str
    status: str
    status_label: str
    award: str
    score: int | None = Field(description="推荐依据的创新评分（百分制）")
    nominated_at: datetime.datetime

    @staticmethod
    def of(n) -> dict:
        return {
            "id": n.pk,
            "competition_id": n.competition_id,
            "competition": str(n.competition),
            "enterprise_id": n.enterprise_id,
            "enterprise": n.enterprise.name,
            "track": n.track,
            "status": n.status,
            "status_label": n.get_status_display(),
            "award": n.award,
            "score": industry.percent(n.score or 0, n.score_out_of),
            "nominated_at": n.nominated_at,
        }


class EnterpriseInnovationOut(Schema):
    enterprise_id: int
    segments: list[str]
    assessments: list[AssessmentOut]
    nominations: list[NominationOut]


@router.get(
    "/enterprises/{enterprise_id}/innovation",
    response={200: EnterpriseInnovationOut, 404: ErrorOut},
    summary="企业的产业链环节、创新评分和大赛推荐结果",
)
def enterprise_innovation(request, enterprise_id: Id):
    _office(request)
    enterprise = industry.get_enterprise_for(request.user, enterprise_id)
    assessments = industry.assessments_for(request.user).filter(enterprise=enterprise).order_by("-year")
    return {
        "enterprise_id": enterprise.pk,
        "segments": [m.segment.name for m in industry.enterprise_segments(enterprise)],
        "assessments": [
            {
                "year": a.year,
                "percent": industry.percent(a.total or 0, a.out_of),
                "summary": a.summary,
                "scores": [
                    {"criterion": s.criterion.name, "points": s.points, "out_of": s.out_of, "reason": s.reason}
                    for s in a.scores.all()
                ],
            }
            for a in assessments
        ],
        "nominations": [
            NominationOut.of(n) for n in industry.nominations_for(request.user).filter(enterprise=enterprise)
        ],
    }


@router.get("/nominations", response=list[NominationOut], summary="大赛推荐及其晋级、获奖情况")
def nomination_list(
    request, competition_id: Id | None = None, status: str = "", limit: Limit(MAX_LIMIT) = 50, offset: Offset = 0
):
    _office(request)
    rows = industry.nominations_for(request.user)
    if competition_id:
        rows = rows.filter(competition_id=competition_id)
    if status:
        rows = rows.filter(status=status[:16])
    return [NominationOut.of(n) for n in rows[offset : offset + min(limit, MAX_LIMIT)]]
