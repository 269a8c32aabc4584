"""People: register, change, priority groups, delete, and the audited full view of identifiers."""

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateField
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.crypto import lookup_hash
from chuangfu.core.errors import NotFound
from chuangfu.core.identifiers import birth_date_from_id, gender_from_id, validate_id_number, validate_mobile
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import every_town

from ..groups import check_details
from ..models import GROUP_DETAILS, Person, PersonGroup, PriorityGroup
from ..search import name_pinyin
from ..selectors import can_reveal_personal_data
from ._base import (
    DUPLICATES,
    _apply,
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

PERSON_FIELDS = (
    "name",
    "id_number",
    "mobile",
    "hukou_kind",
    "hukou_place",
    "residence_permit_since",
    "retirement_group",
    "jurisdiction",
    "address",
    "education",
    "graduation_date",
    "employment_status",
    "unemployment_registered_on",
    "entrepreneurial_intent",
)


def _clean_person(actor, values: dict, *, exclude_pk=None) -> dict:
    errors = _Errors()
    text = {k: v for k, v in values.items() if k not in ("id_number", "mobile", "jurisdiction", "hukou_place")}
    _check_text(errors, Person, text, required=("name",))
    values.update(text)
    values["id_number"] = errors.validate("id_number", validate_id_number, values.get("id_number"))
    if values.get("mobile"):
        values["mobile"] = errors.validate("mobile", validate_mobile, values["mobile"])
    else:
        values["mobile"] = ""
    _check_jurisdiction(errors, actor, values.get("jurisdiction"))
    _check_not_future(errors, "graduation_date", values.get("graduation_date"), _("毕业时间"))
    _check_not_future(errors, "residence_permit_since", values.get("residence_permit_since"), _("居住证起始日期"))
    place = values.get("hukou_place")
    if place is not None and not isinstance(place, Jurisdiction):
        errors.add("hukou_place", _("户籍地区划无效。"))
    _check_not_future(errors, "unemployment_registered_on", values.get("unemployment_registered_on"), _("失业登记日期"))
    errors.raise_if_any()
    _refuse_person_duplicates(actor, values, exclude_pk)
    return values


@every_town(DUPLICATES)
def _refuse_person_duplicates(actor, values: dict, exclude_pk) -> None:
    others = Person.objects.exclude(pk=exclude_pk).select_related("jurisdiction")
    existing = others.filter(id_number_hash=lookup_hash(values["id_number"])).first()
    _refuse_duplicate(actor, existing, field="id_number", what=_("该身份证号码"), kind="person")
    if values.get("mobile"):
        existing = others.filter(mobile_hash=lookup_hash(values["mobile"])).first()
        _refuse_duplicate(actor, existing, field="mobile", what=_("该手机号码"), kind="person")


def _set_groups(person: Person, groups: Iterable[str], details: Mapping | None = None) -> None:
    """Make ``groups`` the person's priority groups; ``details`` ({field: value} of
    ``GROUP_DETAILS``, blank to clear) sets each group's own facts (``None``: leave them)."""
    wanted = set(groups)
    unknown = wanted - set(PriorityGroup.values)
    if unknown:
        raise ValidationError({"groups": _("重点人群“%(v)s”无效。") % {"v": "、".join(sorted(unknown))}})
    if details is not None:
        problems = check_details(dict(details), wanted, timezone.localdate())
        if problems:
            raise ValidationError(problems)
    person.groups.exclude(group__in=wanted).delete()
    have = set(person.groups.values_list("group", flat=True))
    PersonGroup.objects.bulk_create([PersonGroup(person=person, group=g) for g in sorted(wanted - have)])
    if details is None:
        return
    for row in person.groups.filter(group__in=set(GROUP_DETAILS.values())):
        changed = []
        for name, group in GROUP_DETAILS.items():
            if group != row.group or name not in details:
                continue
            value = details[name] or (None if isinstance(PersonGroup._meta.get_field(name), DateField) else "")
            if getattr(row, name) != value:
                setattr(row, name, value)
                changed.append(name)
        if changed:
            row.save(update_fields=changed)


def _apply_person(person: Person, values: dict) -> None:
    _apply(person, values)
    person.birth_date = birth_date_from_id(person.id_number)
    person.gender = gender_from_id(person.id_number)
    person.name_pinyin = name_pinyin(person.name, surname=True)


@transaction.atomic
def person_create(
    *,
    actor,
    name: str,
    id_number: str,
    jurisdiction: Jurisdiction,
    mobile: str = "",
    hukou_kind: str = "",
    hukou_place: Jurisdiction | None = None,
    residence_permit_since: datetime.date | None = None,
    retirement_group: str = "",
    address: str = "",
    education: str = "",
    graduation_date: datetime.date | None = None,
    employment_status: str = "",
    unemployment_registered_on: datetime.date | None = None,
    entrepreneurial_intent: bool = False,
    groups: Iterable[str] = (),
    group_details: Mapping | None = None,
) -> Person:
    """Register a person. Refuses a second person with the same ID number or mobile."""
    _require_editor(actor)
    values = {k: v for k, v in locals().items() if k in PERSON_FIELDS}
    values = _clean_person(actor, values)
    person = Person()
    _apply_person(person, values)
    _save(person, lambda: _refuse_person_duplicates(actor, values, None))
    _set_groups(person, groups, group_details)
    log_action(actor=actor, action="registry.person.created", obj=person, after=_record_of(person))
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: Mapping) -> Person:
    """Change the fields in ``data`` (any of PERSON_FIELDS, plus ``groups`` and ``group_details``);
    audit the difference."""
    _require_editor(actor)
    _require_visible(actor, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = _record_of(person)
    fields = {k: v for k, v in data.items() if k not in ("groups", "group_details")}
    values = _clean_person(actor, _merge(person, PERSON_FIELDS, fields), exclude_pk=person.pk)
    _apply_person(person, values)
    _save(person, lambda: _refuse_person_duplicates(actor, values, person.pk))
    if "groups" in data or "group_details" in data:
        groups = data["groups"] if "groups" in data else person.groups.values_list("group", flat=True)
        _set_groups(person, list(groups), data.get("group_details"))
    _log_change(actor, "registry.person.changed", person, before)
    return person


@transaction.atomic
def person_groups_set(*, actor, person: Person, groups: Iterable[str]) -> Person:
    """Make ``groups`` (PriorityGroup codes) exactly the person's priority groups."""
    _require_editor(actor)
    _require_visible(actor, person)
    before = _record_of(person)
    _set_groups(person, groups)
    _log_change(actor, "registry.person.changed", person, before)
    return person


@transaction.atomic
def person_delete(*, actor, person: Person) -> None:
    """Delete a person nobody refers to (no enterprise link, mentor profile or case)."""
    _require_editor(actor)
    _require_visible(actor, person)
    _delete(actor=actor, obj=person, action="registry.person.deleted", owned=("groups",))


def person_reveal(*, actor, person: Person, field: str) -> str:
    """The full ID number or mobile, for roles that need it; every call leaves an audit entry."""
    if not can_reveal_personal_data(actor) or field not in ("id_number", "mobile"):
        raise NotFound()
    _require_visible(actor, person)
    label = Person._meta.get_field(field).verbose_name
    log_action(actor=actor, action="registry.person.revealed", obj=person, note=str(label))
    return getattr(person, field)
