"""Carriers and the mentors whose workstations they are."""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Jurisdiction, Unit
from chuangfu.core.scopes import every_town

from ..industry import SECTIONS
from ..models import Carrier, CarrierKind, Mentor, Person
from ..selectors import can_edit_carrier, can_edit_registry, is_visible
from ._base import (
    DUPLICATES,
    _apply,
    _check_in_scope,
    _check_jurisdiction,
    _check_text,
    _delete,
    _Errors,
    _log_change,
    _merge,
    _record_of,
    _refuse_duplicate,
    _require_editor,
    _require_visible,
    _save,
)

CARRIER_FIELDS = (
    "kind",
    "name",
    "operator",
    "operator_unit",
    "address",
    "jurisdiction",
    "floor_area",
    "workstations_total",
    "workstations_free",
    "services",
    "level",
    "contact_name",
    "contact_phone",
)
# What a carrier's own operator may change: its running data, not its kind, place or grade.
CARRIER_OPERATOR_FIELDS = frozenset(
    {
        "operator",
        "address",
        "floor_area",
        "workstations_total",
        "workstations_free",
        "services",
        "contact_name",
        "contact_phone",
    }
)
MENTOR_FIELDS = (
    "person",
    "name",
    "organisation",
    "title",
    "expertise",
    "industries",
    "service_modes",
    "workstation",
    "jurisdiction",
    "available",
    "availability_note",
)


def _clean_carrier(actor, values: dict, *, exclude_pk=None) -> dict:
    errors = _Errors()
    text = {
        k: v
        for k, v in values.items()
        if k in ("kind", "name", "operator", "address", "services", "level", "contact_name", "contact_phone")
    }
    _check_text(errors, Carrier, text, required=("kind", "name"))
    values.update(text)
    _check_jurisdiction(errors, actor, values.get("jurisdiction"))
    unit = values.get("operator_unit")
    if unit is not None and (not isinstance(unit, Unit) or not is_visible(actor, unit)):
        errors.add("operator_unit", _("所选运营单位不在您的管辖范围内。"))
    total, free = values.get("workstations_total") or 0, values.get("workstations_free") or 0
    if total < 0 or free < 0:
        errors.add("workstations_free", _("工位数不能为负数。"))
    elif free > total:
        errors.add(
            "workstations_free",
            _("空余工位（%(free)d）不能多于工位总数（%(total)d）。") % {"free": free, "total": total},
        )
    values["workstations_total"], values["workstations_free"] = total, free
    if values.get("floor_area") is not None and Decimal(values["floor_area"]) < 0:
        errors.add("floor_area", _("面积不能为负数。"))
    phone = values.get("contact_phone") or ""
    if phone and not all(ch.isdigit() or ch in "-+() 转" for ch in phone):
        errors.add("contact_phone", _("联系电话只能包含数字、“-”和“转”。"))
    errors.raise_if_any()
    _refuse_carrier_duplicate(actor, values, exclude_pk)
    return values


@every_town(DUPLICATES)
def _refuse_carrier_duplicate(actor, values: dict, exclude_pk) -> None:
    existing = (
        Carrier.objects.exclude(pk=exclude_pk)
        .select_related("jurisdiction")
        .filter(name=values["name"], jurisdiction=values["jurisdiction"])
        .first()
    )
    _refuse_duplicate(actor, existing, field="name", what=_("同名载体"), kind="carrier")


@transaction.atomic
def carrier_create(
    *,
    actor,
    kind: str,
    name: str,
    jurisdiction: Jurisdiction,
    operator: str = "",
    operator_unit: Unit | None = None,
    address: str = "",
    floor_area: Decimal | None = None,
    workstations_total: int = 0,
    workstations_free: int = 0,
    services: str = "",
    level: str = "",
    contact_name: str = "",
    contact_phone: str = "",
) -> Carrier:
    """Register a carrier (孵化器、园区、基地、家门口服务站、创业导师指导工作站)."""
    _require_editor(actor)
    values = _clean_carrier(actor, {k: v for k, v in locals().items() if k in CARRIER_FIELDS})
    carrier = Carrier()
    _apply(carrier, values)
    _save(carrier, lambda: _refuse_carrier_duplicate(actor, values, None))
    log_action(actor=actor, action="registry.carrier.created", obj=carrier, after=_record_of(carrier))
    return carrier


@transaction.atomic
def carrier_update(*, actor, carrier: Carrier, data: Mapping) -> Carrier:
    """Editors change anything; the carrier's own operator only CARRIER_OPERATOR_FIELDS."""
    _require_visible(actor, carrier)
    if not can_edit_carrier(actor, carrier):
        raise DomainError("forbidden", _("您没有修改该载体的权限。"), status=403)
    carrier = Carrier.objects.select_for_update().get(pk=carrier.pk)
    if not can_edit_registry(actor):
        changed = {k for k, v in data.items() if getattr(carrier, k, None) != v}
        if changed - CARRIER_OPERATOR_FIELDS:
            raise DomainError(
                "forbidden", _("载体运营方只能修改本载体的运营信息（地址、面积、工位、服务、联系人）。"), status=403
            )
    before = _record_of(carrier)
    values = _clean_carrier(actor, _merge(carrier, CARRIER_FIELDS, data), exclude_pk=carrier.pk)
    _apply(carrier, values)
    _save(carrier, lambda: _refuse_carrier_duplicate(actor, values, carrier.pk))
    _log_change(actor, "registry.carrier.changed", carrier, before)
    return carrier


@transaction.atomic
def carrier_delete(*, actor, carrier: Carrier) -> None:
    """Delete a carrier that hosts no enterprise and no mentor."""
    _require_editor(actor)
    _require_visible(actor, carrier)
    _delete(actor=actor, obj=carrier, action="registry.carrier.deleted")


# --- mentors -----------------------------------------------------------------------------------


def _clean_mentor(actor, values: dict, *, exclude_pk=None) -> dict:
    errors = _Errors()
    person = values.get("person")
    if person is not None and not values.get("name"):
        values["name"] = person.name
    text = {k: v for k, v in values.items() if k in ("name", "organisation", "title", "expertise", "availability_note")}
    _check_text(errors, Mentor, text, required=("name",))
    values.update(text)
    _check_jurisdiction(errors, actor, values.get("jurisdiction"))
    _check_in_scope(errors, actor, "person", person, _("所选人员不在您的管辖范围内。"))
    industries = list(values.get("industries") or [])
    if set(industries) - set(SECTIONS):
        errors.add(
            "industries", _("擅长行业门类无效：%(v)s。") % {"v": "、".join(sorted(set(industries) - set(SECTIONS)))}
        )
    modes = list(values.get("service_modes") or [])
    if set(modes) - set(Mentor.Mode.values):
        errors.add(
            "service_modes", _("服务方式无效：%(v)s。") % {"v": "、".join(sorted(set(modes) - set(Mentor.Mode.values)))}
        )
    values["industries"], values["service_modes"] = (
        sorted(set(industries)),
        [m for m in Mentor.Mode.values if m in modes],
    )
    station = values.get("workstation")
    if station is not None and (station.kind != CarrierKind.MENTOR_WORKSTATION or not is_visible(actor, station)):
        errors.add("workstation", _("请选择您管辖范围内的创业导师指导工作站。"))
    errors.raise_if_any()
    _refuse_mentor_duplicate(actor, values, exclude_pk)
    return values


@every_town(DUPLICATES)
def _refuse_mentor_duplicate(actor, values: dict, exclude_pk) -> None:
    others = Mentor.objects.exclude(pk=exclude_pk).select_related("jurisdiction")
    if values.get("person") is not None:
        existing = others.filter(person=values["person"]).first()
        _refuse_duplicate(actor, existing, field="person", what=_("该人员的导师档案"), kind="mentor")
    existing = others.filter(
        name=values["name"], organisation=values.get("organisation", ""), jurisdiction=values["jurisdiction"]
    ).first()
    _refuse_duplicate(actor, existing, field="name", what=_("同一机构的同名导师"), kind="mentor")


@transaction.atomic
def mentor_create(
    *,
    actor,
    name: str = "",
    jurisdiction: Jurisdiction,
    person: Person | None = None,
    organisation: str = "",
    title: str = "",
    expertise: str = "",
    industries: Iterable[str] = (),
    service_modes: Iterable[str] = (),
    workstation: Carrier | None = None,
    available: bool = True,
    availability_note: str = "",
) -> Mentor:
    """Register a mentor: a registered person or an external expert (then ``person`` is None)."""
    _require_editor(actor)
    values = _clean_mentor(actor, {k: v for k, v in locals().items() if k in MENTOR_FIELDS})
    mentor = Mentor()
    _apply(mentor, values)
    _save(mentor, lambda: _refuse_mentor_duplicate(actor, values, None))
    log_action(actor=actor, action="registry.mentor.created", obj=mentor, after=_record_of(mentor))
    return mentor


@transaction.atomic
def mentor_update(*, actor, mentor: Mentor, data: Mapping) -> Mentor:
    _require_editor(actor)
    _require_visible(actor, mentor)
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    before = _record_of(mentor)
    values = _clean_mentor(actor, _merge(mentor, MENTOR_FIELDS, data), exclude_pk=mentor.pk)
    _apply(mentor, values)
    _save(mentor, lambda: _refuse_mentor_duplicate(actor, values, mentor.pk))
    _log_change(actor, "registry.mentor.changed", mentor, before)
    return mentor


@transaction.atomic
def mentor_delete(*, actor, mentor: Mentor) -> None:
    _require_editor(actor)
    _require_visible(actor, mentor)
    _delete(actor=actor, obj=mentor, action="registry.mentor.deleted")
