"""Small pieces shared by the services: input cleaning, dates as text, a registration's transitions,
and notifying registrants."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chuangfu.core.errors import DomainError
from chuangfu.core.identifiers import validate_mobile, validate_uscc
from chuangfu.core.notifications import Message, send_on_commit
from chuangfu.core.workflow import fire

from ..models import Registration
from ..workflows import REGISTRATION


def when_text(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "Y-m-d H:i")


def registration_fire(registration: Registration, name: str, *, actor, note: str = "", **changes) -> Registration:
    """Fire ``name`` of ``REGISTRATION`` (with the other fields it sets) and keep the activity
    the caller already holds. Caller holds the activity lock when seats are concerned."""
    activity = registration.activity
    fired = fire(
        REGISTRATION, registration, name, actor=actor, note=note, changes=changes, jurisdiction=activity.jurisdiction_id
    )
    fired.activity = activity
    return fired


def account_of(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


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
