"""The audit log: every create, change, delete and state change leaves one ``AuditEntry``.

``log_action`` is the only writer. Snapshots store personal identifiers masked, never in
the clear: the log must be safe to show to anyone who may see the record.
"""

import contextvars
import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .crypto import EncryptedCharField, LookupHashField, mask_id_number, mask_mobile
from .models import AuditEntry

# Filled by AuditContextMiddleware so services need not receive the request.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("chuangfu_audit_ip", default=None)

REDACTED = "［已隐去］"


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields=None) -> dict:
    """A JSON-safe dict of the instance's concrete fields, secrets masked or redacted."""
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if isinstance(field, LookupHashField):
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, EncryptedCharField):
            value = _mask_secret(field.name, value)
        elif field.name in ("password",):
            value = REDACTED
        data[field.name] = _plain(value)
    return data


def _mask_secret(name: str, value: str) -> str:
    if not value:
        return value
    if "mobile" in name or "phone" in name:
        return mask_mobile(value)
    if "id_number" in name:
        return mask_id_number(value)
    return REDACTED


def diff(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Keep only the keys that changed (both sides), so the timeline reads as a change."""
    if not before or not after:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def log_action(
    *, actor, action: str, obj: models.Model | None = None, before=None, after=None, note: str = "", jurisdiction=None
) -> AuditEntry:
    """Record that ``actor`` did ``action`` (e.g. ``registry.person.changed``) to ``obj``."""
    if jurisdiction is None and obj is not None:
        jurisdiction_id = getattr(obj, "jurisdiction_id", None)
    else:
        jurisdiction_id = getattr(jurisdiction, "pk", jurisdiction)
    actor_obj = actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None
    return AuditEntry.objects.create(
        actor=actor_obj,
        actor_repr=str(actor_obj) if actor_obj else (str(actor) if actor else "系统"),
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        jurisdiction_id=jurisdiction_id,
        before=before,
        after=after,
        note=note,
        ip=current_ip.get(),
    )


def history_for(obj: models.Model):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
