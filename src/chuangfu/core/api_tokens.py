"""API tokens for service accounts: issue, revoke, authenticate, and the operations a token may use.

A token reads ``cf_<prefix>_<secret>``; only ``lookup_hash`` of the whole token is stored
(keyed with the data key), with the prefix to recognise it in lists. A token authenticates
as its service account (a ``User`` with a role and jurisdiction, no password) and may call
only the operations named in ``ApiToken.operations`` — keys such as ``registry.list_enterprises``
(``operation_key``), which are also the operation ids in the OpenAPI schema. Issue and revoke
are audited; each use stamps ``last_used_at``/``last_used_ip`` and counts ``uses``.
"""

import datetime
import re
import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import current_ip, log_action
from .crypto import lookup_hash
from .errors import DomainError
from .models import STAFF_ROLES, ApiToken, Jurisdiction, Role, User
from .scoping import visible_jurisdiction_ids

MAX_DAYS = 366
LAST_USED_EVERY = datetime.timedelta(seconds=60)
_TOKEN = re.compile(r"^cf_([A-Za-z0-9]{8})_[A-Za-z0-9_-]{32,}$")
# Service accounts act in one of these roles: never an administrator's.
SERVICE_ROLES = tuple(r for r in Role if r in STAFF_ROLES and r != Role.ADMIN)


_SCHEMA = []  # the API's schema function, registered by chuangfu.api.urls


def register_schema(schema_for) -> None:
    _SCHEMA[:] = [schema_for]


def api_schema(path_prefix: str) -> dict:
    return _SCHEMA[0](path_prefix=path_prefix) if _SCHEMA else {"paths": {}}


def operation_key(view_func) -> str:
    """``registry.list_enterprises`` for ``chuangfu.registry.api.list_enterprises``."""
    module = view_func.__module__.split(".")
    app = module[1] if len(module) > 1 and module[0] == "chuangfu" else module[0]
    return f"{app}.{view_func.__name__}"


def can_manage_tokens(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False)) and (actor.is_superuser or actor.role == Role.ADMIN)


def tokens_for(actor):
    """The tokens an administrator may see: those of their jurisdiction (a platform admin: all)."""
    if not can_manage_tokens(actor):
        return ApiToken.objects.none()
    qs = ApiToken.objects.select_related("account", "jurisdiction", "created_by", "revoked_by")
    ids = visible_jurisdiction_ids(actor)
    return qs if ids is None else qs.filter(jurisdiction_id__in=ids)


def token_issue(
    *, actor, name: str, jurisdiction: Jurisdiction, role: str, operations: list[str], days: int, known: set[str]
) -> tuple[ApiToken, str]:
    """Create a service account and its token; returns the token row and the token (shown once).

    ``known`` is the set of operation keys the API has; each of ``operations`` must be in it.
    """
    name = (name or "").strip()
    if actor is not None and not can_manage_tokens(actor):  # None: an operator's command
        raise DomainError("forbidden", _("只有平台管理员可以签发接口令牌。"), status=403)
    if not name:
        raise DomainError("name_required", _("请填写调用方名称。"))
    ids = visible_jurisdiction_ids(actor) if actor is not None else None
    if ids is not None and jurisdiction.pk not in ids:
        raise DomainError("jurisdiction", _("只能为您管辖范围内的区划签发令牌。"))
    if role not in SERVICE_ROLES:
        raise DomainError("role", _("服务账号不能使用这个角色。"))
    unknown = sorted(set(operations) - known)
    if not operations or unknown:
        raise DomainError(
            "operations", _("请至少选择一个接口；未知的接口：%(ops)s") % {"ops": "、".join(unknown) or "—"}
        )
    if not 1 <= days <= MAX_DAYS:
        raise DomainError("days", _("有效期应为 1 至 %(n)d 天。") % {"n": MAX_DAYS})
    prefix = secrets.token_hex(4)
    token = f"cf_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        account = User(
            username=f"svc-{prefix}", display_name=name, role=role, jurisdiction=jurisdiction, is_active=True
        )
        account.set_unusable_password()
        account.save()
        row = ApiToken.objects.create(
            name=name,
            account=account,
            jurisdiction=jurisdiction,
            operations=sorted(set(operations)),
            prefix=prefix,
            key_hash=lookup_hash(token),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )
        log_action(
            actor=actor,
            action="core.api_token.issued",
            obj=row,
            after={"name": name, "role": role, "operations": row.operations, "expires_at": row.expires_at.isoformat()},
        )
    return row, token


def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke at once: the next request with it gets 401. Revoking twice changes nothing."""
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().get(pk=token.pk)
        if row.revoked_at is None:
            row.revoked_at = timezone.now()
            row.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
            row.save(update_fields=["revoked_at", "revoked_by"])
            User.objects.filter(pk=row.account_id).update(is_active=False)
            log_action(actor=actor, action="core.api_token.revoked", obj=row)
    return row


def authenticate(raw: str) -> ApiToken | None:
    """The live token ``raw`` names, its use recorded; ``None`` for anything else."""
    raw = (raw or "").strip()
    if not _TOKEN.match(raw):
        return None
    row = ApiToken.objects.select_related("account").filter(key_hash=lookup_hash(raw)).first()
    if row is None or not row.is_active or not row.account.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now, last_used_ip=current_ip.get(), uses=F("uses") + 1)
    else:
        ApiToken.objects.filter(pk=row.pk).update(uses=F("uses") + 1)
    return row
