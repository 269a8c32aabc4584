"""Small pieces shared by the services: input cleaning and notifying registrants."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from chuangfu.core.errors import DomainError
from chuangfu.core.identifiers import validate_mobile, validate_uscc
from chuangfu.core.notifications import Message, send_on_commit


def clean_mobile(value) -> str:
    try:
        return validate_mobile(value)
    except ValidationError as exc:
        raise DomainError("invalid_mobile", exc.messages[0]) from None


def clean_uscc(value) -> str:
    try:
        return validate_uscc(value)
    except ValidationError as exc:
        raise DomainError("invalid_uscc", exc.messages[0]) from None


def clean_text(value, *, label: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError("required", _("请填写%(label)s。") % {"label": label})
    if len(text) > max_length:
        raise DomainError("too_long", _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": max_length})
    return text


def ticket_path(registration) -> str:
    return reverse("events:ticket", args=[registration.manage_key])


def notify_registrant(registration, *, title: str, body: str, link: str = "") -> None:
    """Tell a registrant something after the transaction commits: in-app when they have an
    account, and by SMS to the mobile they registered with. The SMS ends with the link, made
    absolute by the messenger."""
    link = link or ticket_path(registration)
    send_on_commit(
        Message(
            title=title,
            body=body,
            user=registration.user,
            mobile=registration.mobile,
            link=link,
        )
    )
