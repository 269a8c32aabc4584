"""Machinery every registry service shares: field-error collection, scope and right checks,
duplicate refusal, audit snapshots and guarded deletion."""

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import diff, log_action, snapshot
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import Jurisdiction

from ..groups import group_text
from ..models import Enterprise, Person
from ..selectors import can_edit_registry, is_visible, jurisdiction_is_visible

_NOT_AUDITED = {"id", "name_pinyin", "created_at", "updated_at"}


class _Errors:
    """Collects every field error so the user is told everything at once (一次告知)."""

    def __init__(self):
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(str(message))

    def validate(self, field: str, validator, value):
        try:
            return validator(value)
        except ValidationError as exc:
            for message in exc.messages:
                self.add(field, message)
            return value

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _require_editor(actor) -> None:
    if not can_edit_registry(actor):
        raise DomainError("forbidden", _("您没有修改名录的权限。"), status=403)


def _require_visible(actor, obj) -> None:
    if not is_visible(actor, obj):
        raise NotFound()


def _check_text(errors: _Errors, model, values: dict, required: Iterable[str] = ()) -> None:
    """Trim text, require ``required``, and hold choices and lengths to the model's fields."""
    for name, value in list(values.items()):
        field = model._meta.get_field(name)
        if isinstance(value, str):
            value = values[name] = value.strip()
        if name in required and not value:
            errors.add(name, _("请填写“%(field)s”。") % {"field": field.verbose_name})
            continue
        if field.choices and value not in ("", None) and value not in {c[0] for c in field.flatchoices}:
            errors.add(name, _("“%(field)s”的取值“%(value)s”无效。") % {"field": field.verbose_name, "value": value})
        max_length = getattr(field, "max_length", None)
        if (
            isinstance(value, str)
            and max_length
            and len(value) > max_length
            and field.get_internal_type() == "CharField"
        ):
            errors.add(name, _("“%(field)s”最多 %(n)d 个字。") % {"field": field.verbose_name, "n": max_length})


def _check_jurisdiction(errors: _Errors, actor, jurisdiction, field: str = "jurisdiction") -> None:
    if jurisdiction is None:
        errors.add(field, _("请选择所属区划。"))
    elif not isinstance(jurisdiction, Jurisdiction) or not jurisdiction_is_visible(actor, jurisdiction.pk):
        errors.add(field, _("只能选择您管辖范围内的区划。"))
    elif jurisdiction.level == Jurisdiction.Level.DISTRICT:
        errors.add(field, _("请选择镇（街道）或村（居委），不能只选区。"))


def _check_in_scope(errors: _Errors, actor, field: str, obj, message) -> None:
    if obj is not None and not is_visible(actor, obj):
        errors.add(field, message)


def _check_not_future(errors: _Errors, field: str, value, label) -> None:
    if isinstance(value, datetime.date) and value > timezone.localdate():
        errors.add(field, _("%(label)s不能晚于今天。") % {"label": label})


# The registry holds one record per identifier across every town: a duplicate is looked for in
# every town (core.scopes) and named only when the actor may see it (_refuse_duplicate).
DUPLICATES = "one record per identifier across every town, named only to an actor who may see it"


def _refuse_duplicate(actor, existing, *, field: str, what, kind: str) -> None:
    """Refuse a second record for the same identifier, pointing at the first one.

    The actor learns the record's name only if it lies in their jurisdiction; otherwise only
    that it is registered in another town.
    """
    if existing is None:
        return
    if is_visible(actor, existing):
        message = _("%(what)s已登记：%(name)s（%(place)s），请勿重复登记。") % {
            "what": what,
            "name": existing,
            "place": existing.jurisdiction,
        }
        details = {"field": field, "existing_type": kind, "existing_id": existing.pk}
    else:
        message = _("%(what)s已在其他镇（街道）登记，不能重复登记。") % {"what": what}
        details = {"field": field}
    raise DomainError("duplicate", message, details=details)


def _save(obj: models.Model, recheck) -> None:
    """Save; a unique index that fires under a concurrent double submit reads as a duplicate."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        recheck()
        raise


def _record(obj: models.Model, **extra) -> dict:
    """An audit snapshot: masked identifiers, related records by name, plus ``extra``."""
    fields = [f.name for f in obj._meta.concrete_fields if f.name not in _NOT_AUDITED and f.name != "account"]
    data = snapshot(obj, fields=fields)
    for field in obj._meta.concrete_fields:
        if field.is_relation and field.name in data and data[field.name] is not None:
            data[field.name] = str(getattr(obj, field.name))
    data.update(extra)
    return data


def _log_change(actor, action: str, obj, before: dict) -> bool:
    old, new = diff(before, _record_of(obj))
    if not new:
        return False
    log_action(actor=actor, action=action, obj=obj, before=old, after=new)
    return True


def _record_of(obj) -> dict:
    if isinstance(obj, Person):
        return _record(obj, groups=sorted(group_text(g) for g in obj.groups.all()))
    if isinstance(obj, Enterprise):
        return _record(obj, tags=sorted(obj.tags.values_list("name", flat=True)))
    return _record(obj)


def _apply(obj, values: dict) -> None:
    for name, value in values.items():
        setattr(obj, name, value)


def _merge(obj, names: Iterable[str], data: Mapping) -> dict:
    unknown = set(data) - set(names)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    return {name: data[name] if name in data else getattr(obj, name) for name in names}


def _references(obj: models.Model, owned: Iterable[str] = ()) -> list[str]:
    """ "2 条人员与企业关系" for every kind of record still pointing at ``obj``."""
    found = []
    for rel in obj._meta.related_objects:
        if rel.get_accessor_name() in owned or rel.many_to_many:
            continue
        n = rel.related_model._base_manager.filter(**{rel.field.name: obj.pk}).count()
        if n:
            found.append(_("%(n)d 条%(what)s") % {"n": n, "what": rel.related_model._meta.verbose_name})
    return found


def _delete(*, actor, obj: models.Model, action: str, owned: Iterable[str] = ()) -> None:
    refs = _references(obj, owned)
    message = _("“%(name)s”仍被其他记录引用（%(refs)s），不能删除。请先解除这些关联。")
    if refs:
        raise DomainError("referenced", message % {"name": obj, "refs": "、".join(refs)}, status=409)
    log_action(actor=actor, action=action, obj=obj, before=_record_of(obj))
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        blocking = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
        what = sorted({str(o._meta.verbose_name) for o in blocking})
        raise DomainError("referenced", message % {"name": obj, "refs": "、".join(what)}, status=409) from exc
