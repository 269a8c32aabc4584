"""Enterprises: register, change, host in a carrier, link people, delete."""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError
from chuangfu.core.identifiers import validate_uscc
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import every_town

from ..industry import is_industry_class, section_of_division
from ..models import Carrier, Enterprise, EnterprisePerson, EntityType, Person, RegistrationStatus, Tag
from ..search import name_pinyin
from ._base import (
    DUPLICATES,
    _apply,
    _check_in_scope,
    _check_jurisdiction,
    _check_not_future,
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

ENTERPRISE_FIELDS = (
    "uscc",
    "name",
    "entity_type",
    "is_small_micro",
    "legal_representative",
    "legal_representative_name",
    "founded_on",
    "registration_status",
    "address",
    "jurisdiction",
    "industry_section",
    "industry_division",
    "industry_class",
    "registered_capital",
    "insured_employees",
    "business_scope",
    "carrier",
)


def _clean_enterprise(actor, values: dict, *, exclude_pk=None) -> dict:
    errors = _Errors()
    text = {
        k: v
        for k, v in values.items()
        if k
        in (
            "name",
            "entity_type",
            "legal_representative_name",
            "registration_status",
            "address",
            "industry_section",
            "industry_division",
            "industry_class",
            "business_scope",
        )
    }
    _check_text(errors, Enterprise, text, required=("name", "entity_type", "registration_status"))
    values.update(text)
    values["uscc"] = errors.validate("uscc", validate_uscc, values.get("uscc"))
    _check_jurisdiction(errors, actor, values.get("jurisdiction"))
    klass = values.get("industry_class")
    if klass:
        if not is_industry_class(klass):
            errors.add("industry_class", _("行业小类“%(v)s”不是 GB/T 4754-2017 的四位代码。") % {"v": klass})
        elif values.get("industry_division") and values["industry_division"] != klass[:2]:
            errors.add(
                "industry_class",
                _("行业小类 %(c)s 属于大类 %(d)s，与所选大类不一致。") % {"c": klass, "d": klass[:2]},
            )
        else:
            values["industry_division"] = klass[:2]
    division = values.get("industry_division")
    if division:
        section = section_of_division(division)
        if section is None:
            errors.add("industry_division", _("行业大类“%(v)s”不在 GB/T 4754-2017 中。") % {"v": division})
        elif values.get("industry_section") and values["industry_section"] != section:
            errors.add(
                "industry_division",
                _("行业大类 %(d)s 属于门类 %(s)s，与所选门类不一致。") % {"d": division, "s": section},
            )
        else:
            values["industry_section"] = section
    _check_not_future(errors, "founded_on", values.get("founded_on"), _("成立日期"))
    capital = values.get("registered_capital")
    if capital is not None and Decimal(capital) < 0:
        errors.add("registered_capital", _("注册资本不能为负数。"))
    employees = values.get("insured_employees")
    if employees is not None and employees < 0:
        errors.add("insured_employees", _("参保人数不能为负数。"))
    _check_in_scope(errors, actor, "carrier", values.get("carrier"), _("所选载体不在您的管辖范围内。"))
    representative = values.get("legal_representative")
    _check_in_scope(errors, actor, "legal_representative", representative, _("所选人员不在您的管辖范围内。"))
    if representative is not None and not values.get("legal_representative_name"):
        values["legal_representative_name"] = representative.name
    errors.raise_if_any()
    _refuse_enterprise_duplicate(actor, values, exclude_pk)
    return values


@every_town(DUPLICATES)
def _refuse_enterprise_duplicate(actor, values: dict, exclude_pk) -> None:
    existing = (
        Enterprise.objects.exclude(pk=exclude_pk).select_related("jurisdiction").filter(uscc=values["uscc"]).first()
    )
    _refuse_duplicate(actor, existing, field="uscc", what=_("该统一社会信用代码"), kind="enterprise")


def _sync_legal_representative_link(enterprise: Enterprise) -> None:
    """Keep the 法定代表人 relation in step with ``Enterprise.legal_representative``."""
    links = EnterprisePerson.objects.filter(
        enterprise=enterprise, relation=EnterprisePerson.Relation.LEGAL_REPRESENTATIVE
    )
    links.exclude(person_id=enterprise.legal_representative_id).delete()
    if enterprise.legal_representative_id:
        EnterprisePerson.objects.get_or_create(
            enterprise=enterprise,
            person_id=enterprise.legal_representative_id,
            relation=EnterprisePerson.Relation.LEGAL_REPRESENTATIVE,
        )


def _apply_enterprise(enterprise: Enterprise, values: dict) -> None:
    _apply(enterprise, values)
    enterprise.name_pinyin = name_pinyin(enterprise.name)


def _check_tags(tags) -> list[Tag]:
    tags = list(tags)
    if any(not isinstance(t, Tag) or t.pk is None for t in tags):
        raise ValidationError({"tags": _("企业标签无效。")})
    return tags


@transaction.atomic
def enterprise_create(
    *,
    actor,
    uscc: str,
    name: str,
    jurisdiction: Jurisdiction,
    entity_type: str = EntityType.COMPANY,
    is_small_micro: bool = True,
    legal_representative: Person | None = None,
    legal_representative_name: str = "",
    founded_on: datetime.date | None = None,
    registration_status: str = RegistrationStatus.ACTIVE,
    address: str = "",
    industry_section: str = "",
    industry_division: str = "",
    industry_class: str = "",
    registered_capital: Decimal | None = None,
    insured_employees: int | None = None,
    business_scope: str = "",
    carrier: Carrier | None = None,
    tags: Iterable[Tag] = (),
) -> Enterprise:
    """Register an enterprise. Refuses a second one with the same USCC, pointing at the first."""
    _require_editor(actor)
    values = {k: v for k, v in locals().items() if k in ENTERPRISE_FIELDS}
    tags = _check_tags(tags)
    values = _clean_enterprise(actor, values)
    enterprise = Enterprise()
    _apply_enterprise(enterprise, values)
    _save(enterprise, lambda: _refuse_enterprise_duplicate(actor, values, None))
    enterprise.tags.set(tags)
    _sync_legal_representative_link(enterprise)
    log_action(actor=actor, action="registry.enterprise.created", obj=enterprise, after=_record_of(enterprise))
    return enterprise


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, data: Mapping) -> Enterprise:
    """Change the fields in ``data`` (any of ENTERPRISE_FIELDS, plus ``tags``); audit the difference."""
    _require_editor(actor)
    _require_visible(actor, enterprise)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    before = _record_of(enterprise)
    fields = {k: v for k, v in data.items() if k != "tags"}
    tags = _check_tags(data["tags"]) if "tags" in data else None
    values = _clean_enterprise(actor, _merge(enterprise, ENTERPRISE_FIELDS, fields), exclude_pk=enterprise.pk)
    _apply_enterprise(enterprise, values)
    _save(enterprise, lambda: _refuse_enterprise_duplicate(actor, values, enterprise.pk))
    if tags is not None:
        enterprise.tags.set(tags)
    _sync_legal_representative_link(enterprise)
    _log_change(actor, "registry.enterprise.changed", enterprise, before)
    return enterprise


def enterprise_set_carrier(*, actor, enterprise: Enterprise, carrier: Carrier | None) -> Enterprise:
    """Record that the enterprise is hosted in ``carrier`` (None: no longer hosted)."""
    return enterprise_update(actor=actor, enterprise=enterprise, data={"carrier": carrier})


@transaction.atomic
def enterprise_delete(*, actor, enterprise: Enterprise) -> None:
    _require_editor(actor)
    _require_visible(actor, enterprise)
    _delete(actor=actor, obj=enterprise, action="registry.enterprise.deleted")


@transaction.atomic
def enterprise_person_link(
    *,
    actor,
    enterprise: Enterprise,
    person: Person,
    relation: str,
    since: datetime.date | None = None,
    share: Decimal | None = None,
) -> EnterprisePerson:
    """Record that ``person`` is legal representative / founder or shareholder (with the share
    held, if known) / employee of ``enterprise``.

    A new legal representative replaces the previous one. Logged on the enterprise.
    """
    if share is not None and relation != EnterprisePerson.Relation.FOUNDER:
        raise ValidationError({"share": _("只有创办人/股东需要填写持股比例。")})
    if share is not None and not 0 <= share <= 100:
        raise ValidationError({"share": _("持股比例应在 0 至 100 之间。")})
    _require_editor(actor)
    _require_visible(actor, enterprise)
    _require_visible(actor, person)
    if relation not in EnterprisePerson.Relation.values:
        raise ValidationError({"relation": _("请选择人员与企业的关系。")})
    if EnterprisePerson.objects.filter(enterprise=enterprise, person=person, relation=relation).exists():
        label = EnterprisePerson.Relation(relation).label
        raise DomainError(
            "duplicate",
            _("%(person)s已是本企业的%(relation)s。") % {"person": person, "relation": label},
            details={"field": "relation"},
        )
    if relation == EnterprisePerson.Relation.LEGAL_REPRESENTATIVE:
        enterprise_update(
            actor=actor,
            enterprise=enterprise,
            data={"legal_representative": person, "legal_representative_name": person.name},
        )
        link = EnterprisePerson.objects.get(enterprise=enterprise, person=person, relation=relation)
        if since:
            link.since = since
            link.save(update_fields=["since"])
        return link
    link = EnterprisePerson.objects.create(
        enterprise=enterprise, person=person, relation=relation, since=since, share=share
    )
    log_action(
        actor=actor,
        action="registry.enterprise.person_linked",
        obj=enterprise,
        after={
            "person": person.name,
            "relation": relation,
            "since": since.isoformat() if since else None,
            "share": str(share) if share is not None else None,
        },
    )
    return link


@transaction.atomic
def enterprise_person_unlink(*, actor, link: EnterprisePerson) -> None:
    """Remove a person's relation to an enterprise (removing the legal representative clears it)."""
    enterprise = link.enterprise
    _require_editor(actor)
    _require_visible(actor, enterprise)
    _require_visible(actor, link.person)
    if link.relation == EnterprisePerson.Relation.LEGAL_REPRESENTATIVE:
        enterprise_update(actor=actor, enterprise=enterprise, data={"legal_representative": None})
        return
    before = {"person": link.person.name, "relation": link.relation}
    link.delete()
    log_action(actor=actor, action="registry.enterprise.person_unlinked", obj=enterprise, before=before)
