"""Registry API for staff (session auth). The same selectors and services as the pages.

Identifiers are returned masked. Records outside the caller's jurisdiction are 404; bad
values are 400 with a Chinese message per field (``details.fields``); refusals such as a
duplicate are 400 with ``code`` and, when the caller may see it, the existing record's id.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from chuangfu.core.api_schemas import ErrorOut
from chuangfu.core.bounds import ApiDate, Id, Limit, Offset, api_number
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import Jurisdiction
from chuangfu.core.search import MAX_QUERY_LENGTH

from . import selectors, services
from .models import Carrier, Enterprise, Mentor, Person, Tag

router = Router(tags=["registry"])

MAX_LIMIT = 100


class JurisdictionOut(Schema):
    id: int
    code: str
    name: str


class PageQuery(Schema):
    q: str = Field(
        "", max_length=MAX_QUERY_LENGTH, description="姓名/名称、拼音首字母、身份证号码、手机号或统一社会信用代码"
    )
    jurisdiction: Id | None = Field(None, description="区划 id（含下级）")
    limit: Limit(MAX_LIMIT) = 20
    offset: Offset = 0

    def filters(self) -> dict:
        return {k: v for k, v in self.dict(exclude={"limit", "offset"}).items() if v not in (None, "")}


def _page(qs, query: PageQuery) -> dict:
    rows = list(qs[query.offset : query.offset + query.limit + 1])
    has_more = len(rows) > query.limit
    return {"items": rows[: query.limit], "next_offset": query.offset + query.limit if has_more else None}


def _require(allowed: bool) -> None:
    if not allowed:
        raise DomainError("forbidden", _("您没有查看名录的权限。"), status=403)


def _in_scope(field: str, getter, actor, pk):
    """Resolve an id the caller sent; one outside their scope reads as a bad value of that field."""
    if pk is None:
        return None
    try:
        return getter(actor, pk)
    except NotFound:
        raise ValidationError({field: _("编号 %(id)s 不存在或不在您的管辖范围内。") % {"id": pk}}) from None


def _jurisdiction(pk):
    if pk is None:
        return None
    found = Jurisdiction.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({"jurisdiction": _("区划编号 %(id)s 不存在。") % {"id": pk}})
    return found


def _sent(payload: Schema, *, nullable: set[str]) -> dict:
    """The fields the caller sent; an explicit null clears only a field that may be empty."""
    data = payload.dict(exclude_unset=True)
    return {k: v for k, v in data.items() if v is not None or k in nullable}


def _tags(codes: list[str]) -> list[Tag]:
    tags = list(Tag.objects.filter(code__in=codes))
    unknown = set(codes) - {t.code for t in tags}
    if unknown:
        raise ValidationError({"tags": _("未知的企业标签：%(v)s。") % {"v": "、".join(sorted(unknown))}})
    return tags


# --- people ------------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: datetime.date
    id_number_masked: str = Field(..., alias="masked_id_number")
    mobile_masked: str = Field(..., alias="masked_mobile")
    hukou_kind: str
    jurisdiction: JurisdictionOut
    education: str
    graduation_date: datetime.date | None
    employment_status: str
    entrepreneurial_intent: bool


class PersonLinkOut(Schema):
    enterprise_id: int
    enterprise_name: str = Field(..., alias="enterprise.name")
    relation: str
    since: datetime.date | None


class PersonDetailOut(PersonOut):
    address: str
    hukou_place_id: int | None
    residence_permit_since: datetime.date | None
    retirement_group: str
    unemployment_registered_on: datetime.date | None
    groups: list[str]
    enterprises: list[PersonLinkOut] = Field(..., alias="visible_links")

    @staticmethod
    def resolve_groups(obj) -> list[str]:
        return [g.group for g in obj.groups.all()]


class PersonPage(Schema):
    items: list[PersonOut]
    next_offset: int | None


class PersonQuery(PageQuery):
    hukou_kind: str = ""
    group: str = ""
    employment_status: str = ""


class PersonPatch(Schema):
    name: str | None = None
    id_number: str | None = None
    mobile: str | None = None
    jurisdiction_id: Id | None = None
    hukou_kind: str | None = None
    hukou_place_id: Id | None = None
    residence_permit_since: ApiDate | None = None
    retirement_group: str | None = None
    address: str | None = None
    education: str | None = None
    graduation_date: ApiDate | None = None
    employment_status: str | None = None
    unemployment_registered_on: ApiDate | None = None
    entrepreneurial_intent: bool | None = None
    groups: list[str] | None = None

    def service_data(self) -> dict:
        data = _sent(
            self, nullable={"graduation_date", "unemployment_registered_on", "residence_permit_since", "hukou_place_id"}
        )
        if "jurisdiction_id" in data:
            data["jurisdiction"] = _jurisdiction(data.pop("jurisdiction_id"))
        if "hukou_place_id" in data:
            place_id = data.pop("hukou_place_id")
            data["hukou_place"] = None if place_id is None else _jurisdiction(place_id)
        return data


class PersonIn(PersonPatch):
    name: str
    id_number: str
    jurisdiction_id: Id


def _person_detail(actor, person: Person) -> Person:
    person.visible_links = list(selectors.person_enterprises(actor=actor, person=person))
    return person


@router.get("/persons", response=PersonPage, summary="人员名录（脱敏）")
def person_list(request, query: Query[PersonQuery]):
    _require(selectors.can_view_people(request.user))
    return _page(selectors.person_list(actor=request.user, filters=query.filters()), query)


@router.get("/persons/{person_id}", response={200: PersonDetailOut, 404: ErrorOut}, summary="人员详情（脱敏）")
def person_detail(request, person_id: Id):
    person = selectors.get_person_for(request.user, person_id)
    return _person_detail(request.user, person)


@router.post("/persons", response={201: PersonDetailOut, 400: ErrorOut, 403: ErrorOut}, summary="登记人员")
def person_create(request, payload: PersonIn):
    person = services.person_create(actor=request.user, **payload.service_data())
    return 201, _person_detail(request.user, person)


@router.patch(
    "/persons/{person_id}",
    response={200: PersonDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="修改人员（只改提交的字段）",
)
def person_update(request, person_id: Id, payload: PersonPatch):
    person = selectors.get_person_for(request.user, person_id)
    person = services.person_update(actor=request.user, person=person, data=payload.service_data())
    return _person_detail(request.user, person)


# --- enterprises -------------------------------------------------------------------------------


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    entity_type: str
    legal_representative_name: str
    founded_on: datetime.date | None
    registration_status: str
    jurisdiction: JurisdictionOut
    industry_section: str
    industry_division: str
    industry_class: str
    carrier_id: int | None


class EnterpriseLinkOut(Schema):
    person_id: int
    person_name: str = Field(..., alias="person.name")
    relation: str
    since: datetime.date | None


class EnterpriseDetailOut(EnterpriseOut):
    is_small_micro: bool
    legal_representative_id: int | None
    address: str
    registered_capital: Decimal | None
    insured_employees: int | None
    business_scope: str
    tags: list[str]
    people: list[EnterpriseLinkOut] = Field(..., alias="visible_links")

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [t.code for t in obj.tags.all()]


class EnterprisePage(Schema):
    items: list[EnterpriseOut]
    next_offset: int | None


class EnterpriseQuery(PageQuery):
    entity_type: str = ""
    industry_section: str = ""
    tag: str = ""
    carrier: Id | None = None
    registration_status: str = ""
    founded_from: ApiDate | None = None
    founded_to: ApiDate | None = None


class EnterprisePatch(Schema):
    uscc: str | None = None
    name: str | None = None
    jurisdiction_id: Id | None = None
    entity_type: str | None = None
    is_small_micro: bool | None = None
    legal_representative_id: Id | None = None
    legal_representative_name: str | None = None
    founded_on: ApiDate | None = None
    registration_status: str | None = None
    address: str | None = None
    industry_section: str | None = None
    industry_division: str | None = None
    industry_class: str | None = Field(None, max_length=4, description="GB/T 4754-2017 小类（四位代码）")
    registered_capital: api_number(Enterprise, "registered_capital", minimum=0) | None = None
    insured_employees: api_number(Enterprise, "insured_employees") | None = None
    business_scope: str | None = None
    carrier_id: Id | None = None
    tags: list[str] | None = Field(None, description="标签代码")

    def service_data(self, actor) -> dict:
        data = _sent(
            self,
            nullable={"founded_on", "registered_capital", "insured_employees", "carrier_id", "legal_representative_id"},
        )
        if "jurisdiction_id" in data:
            data["jurisdiction"] = _jurisdiction(data.pop("jurisdiction_id"))
        if "carrier_id" in data:
            data["carrier"] = _in_scope("carrier", selectors.get_carrier_for, actor, data.pop("carrier_id"))
        if "legal_representative_id" in data:
            data["legal_representative"] = _in_scope(
                "legal_representative", selectors.get_person_for, actor, data.pop("legal_representative_id")
            )
        if "tags" in data:
            data["tags"] = _tags(data["tags"] or [])
        return data


class EnterpriseIn(EnterprisePatch):
    uscc: str
    name: str
    jurisdiction_id: Id


def _enterprise_detail(actor, enterprise: Enterprise) -> Enterprise:
    enterprise.visible_links = list(selectors.enterprise_people(actor=actor, enterprise=enterprise))
    return enterprise


@router.get("/enterprises", response=EnterprisePage, summary="企业名录")
def enterprise_list(request, query: Query[EnterpriseQuery]):
    _require(selectors.can_view_people(request.user))
    return _page(selectors.enterprise_list(actor=request.user, filters=query.filters()), query)


@router.get("/enterprises/{enterprise_id}", response={200: EnterpriseDetailOut, 404: ErrorOut}, summary="企业详情")
def enterprise_detail(request, enterprise_id: Id):
    return _enterprise_detail(request.user, selectors.get_enterprise_for(request.user, enterprise_id))


@router.post("/enterprises", response={201: EnterpriseDetailOut, 400: ErrorOut, 403: ErrorOut}, summary="登记企业")
def enterprise_create(request, payload: EnterpriseIn):
    enterprise = services.enterprise_create(actor=request.user, **payload.service_data(request.user))
    return 201, _enterprise_detail(request.user, enterprise)


@router.patch(
    "/enterprises/{enterprise_id}",
    response={200: EnterpriseDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="修改企业（只改提交的字段）",
)
def enterprise_update(request, enterprise_id: Id, payload: EnterprisePatch):
    enterprise = selectors.get_enterprise_for(request.user, enterprise_id)
    data = payload.service_data(request.user)
    enterprise = services.enterprise_update(actor=request.user, enterprise=enterprise, data=data)
    return _enterprise_detail(request.user, enterprise)


# --- carriers and mentors (read) ---------------------------------------------------------------


class CarrierOut(Schema):
    id: int
    kind: str
    name: str
    operator: str
    jurisdiction: JurisdictionOut
    address: str
    floor_area: Decimal | None
    workstations_total: int
    workstations_free: int
    services: list[str] = Field(..., alias="service_list")
    level: str
    contact_name: str
    contact_phone: str


class CarrierPage(Schema):
    items: list[CarrierOut]
    next_offset: int | None


class CarrierQuery(PageQuery):
    kind: str = ""


class MentorOut(Schema):
    id: int
    name: str
    person_id: int | None
    organisation: str
    title: str
    expertise: list[str] = Field(..., alias="expertise_list")
    industries: list[str]
    service_modes: list[str]
    workstation_id: int | None
    jurisdiction: JurisdictionOut
    available: bool
    availability_note: str


class MentorPage(Schema):
    items: list[MentorOut]
    next_offset: int | None


class MentorQuery(PageQuery):
    industry: str = ""
    available: bool = False


@router.get("/carriers", response=CarrierPage, summary="载体")
def carrier_list(request, query: Query[CarrierQuery]):
    _require(selectors.can_view_carriers(request.user))
    return _page(selectors.carrier_list(actor=request.user, filters=query.filters()), query)


@router.get("/carriers/{carrier_id}", response={200: CarrierOut, 404: ErrorOut}, summary="载体详情")
def carrier_detail(request, carrier_id: Id) -> Carrier:
    return selectors.get_carrier_for(request.user, carrier_id)


@router.get("/mentors", response=MentorPage, summary="创业导师")
def mentor_list(request, query: Query[MentorQuery]):
    _require(selectors.can_view_carriers(request.user))
    return _page(selectors.mentor_list(actor=request.user, filters=query.filters()), query)


@router.get("/mentors/{mentor_id}", response={200: MentorOut, 404: ErrorOut}, summary="创业导师详情")
def mentor_detail(request, mentor_id: Id) -> Mentor:
    return selectors.get_mentor_for(request.user, mentor_id)
