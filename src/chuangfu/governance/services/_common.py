"""Small pieces the services share: input cleaning and the office check."""

from django.utils.translation import gettext as _

from chuangfu.core.errors import DomainError
from chuangfu.core.scoping import visible_jurisdiction_ids

from ..access import is_office


def clean_text(value, *, label: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError("required", _("请填写%(label)s。") % {"label": label})
    if len(text) > max_length:
        raise DomainError("too_long", _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": max_length})
    return text


def require_office(actor) -> None:
    """Only the leadership group and its office (role ``leader``) and the admin change the set-up."""
    if not is_office(actor):
        raise DomainError("forbidden", _("只有领导小组及其办公室可以执行此操作。"), status=403)


def require_in_scope(actor, jurisdiction_id: int) -> None:
    ids = visible_jurisdiction_ids(actor)
    if ids is not None and jurisdiction_id not in ids:
        from chuangfu.core.errors import NotFound

        raise NotFound()
