"""Who hears about what. Every message goes through ``core.notifications.send_on_commit`` (in-app,
SMS, e-mail adapters), after the change commits."""

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from chuangfu.core.models import Role, User
from chuangfu.core.notifications import Message, send_on_commit

RATING_SALT = "desk.rating"


ATTACHMENT_SALT = "desk.attachment"
ATTACHMENT_LINK_SECONDS = 24 * 3600


def rating_token(ticket) -> str:
    return signing.dumps(ticket.number, salt=RATING_SALT)


def ticket_from_rating_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=RATING_SALT)
    except signing.BadSignature:
        return None


def attachment_token(attachment) -> str:
    """A link to one file for the requester's status page (which they reached with number and mobile)."""
    return signing.dumps(attachment.pk, salt=ATTACHMENT_SALT)


def attachment_from_token(token: str) -> int | None:
    try:
        return signing.loads(token, salt=ATTACHMENT_SALT, max_age=ATTACHMENT_LINK_SECONDS)
    except signing.BadSignature:  # also an expired link
        return None


def rating_path(ticket) -> str:
    return reverse("service:rate", args=[rating_token(ticket)])


def staff_link(ticket) -> str:
    return reverse("desk:ticket_detail", args=[ticket.pk])


def liaisons(unit) -> list[User]:
    if unit is None:
        return []
    return list(User.objects.filter(role=Role.UNIT_LIAISON, unit=unit, is_active=True))


def desk_staff(ticket) -> list[User]:
    """The first handler if there is one (首问负责), else the town's desk staff."""
    if ticket.first_handler_id and ticket.first_handler.is_active:
        return [ticket.first_handler]
    return list(User.objects.filter(role=Role.DESK_STAFF, jurisdiction_id=ticket.jurisdiction_id, is_active=True))


def leaders(ticket) -> list[User]:
    town = ticket.jurisdiction
    ids = [town.pk] + ([town.parent_id] if town.parent_id else [])
    return list(User.objects.filter(role=Role.LEADER, jurisdiction_id__in=ids, is_active=True))


def to_staff(users, *, title: str, body: str, ticket, sms: bool = False) -> None:
    channels = ("inapp", "email", "sms") if sms else ("inapp", "email")
    for user in {u.pk: u for u in users}.values():
        send_on_commit(Message(title=title, body=body, user=user, link=staff_link(ticket), channels=channels))


def to_requester(ticket, *, title: str, body: str, link: str = "") -> None:
    """SMS to the requester's mobile; in-app too when they submitted with an account."""
    send_on_commit(Message(title=title, body=body, mobile=ticket.requester_mobile, link=link, channels=("sms",)))
    if ticket.requester_account_id:
        send_on_commit(Message(title=title, body=body, user=ticket.requester_account, link=link, channels=("inapp",)))


def received(ticket) -> None:
    to_requester(
        ticket,
        title=_("诉求已受理"),
        link=reverse("service:lookup"),
        body=_("您的诉求已受理，工单编号 %(n)s。凭编号和手机号可查询办理进度：") % {"n": ticket.number},
    )


def answered(ticket, answer: str) -> None:
    path = rating_path(ticket)
    to_requester(
        ticket,
        title=_("诉求已答复"),
        link=path,
        body=_("工单 %(n)s 已答复：%(a)s 请对本次服务评价：") % {"n": ticket.number, "a": _clip(answer)},
    )
    for merged in ticket.merged_tickets.all():
        to_requester(
            merged,
            title=_("诉求已答复"),
            body=_("您的工单 %(m)s 已并入工单 %(n)s 办理，答复：%(a)s")
            % {"m": merged.number, "n": ticket.number, "a": _clip(answer)},
        )


def rating_invitation(ticket) -> None:
    path = rating_path(ticket)
    to_requester(
        ticket,
        title=_("邀请您评价"),
        link=path,
        body=_("工单 %(n)s 已答复 3 天，您的评价对我们很重要：") % {"n": ticket.number},
    )


def _clip(text: str, n: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "…"
