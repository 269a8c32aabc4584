from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from huey.contrib.djhuey import db_task

from ..models import Notification, OutgoingSms, User
from . import sms


@dataclass
class Message:
    title: str
    body: str
    user: User | None = None
    mobile: str = ""  # for requesters without an account
    email: str = ""
    link: str = ""  # a path on the site: in-app as it is, at the end of a text or e-mail made absolute
    channels: tuple = field(default=("inapp", "sms"))


def absolute_url(path: str) -> str:
    """``path`` on the site as a phone or a mail client can open it (``PUBLIC_BASE_URL``)."""
    if not path or "://" in path:
        return path
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/{path.lstrip('/')}"


@db_task(retries=3, retry_delay=30)
def deliver_sms(sms_id: int) -> None:
    """Send one ``OutgoingSms``, retried on failure (a queue task). The payload is the row's
    id: no mobile or verification code ever sits in the queue's storage."""
    sms.deliver(sms_id)


def send(message: Message) -> None:
    """Deliver now on every channel the message names and the recipient can receive."""
    if "inapp" in message.channels and message.user is not None:
        Notification.objects.create(recipient=message.user, title=message.title, body=message.body, link=message.link)
    # Texts and e-mails are read outside the site: the link goes at the end, absolute, in every one.
    text = f"{message.body} {absolute_url(message.link)}" if message.link else message.body
    mobile = message.mobile or (message.user.mobile if message.user is not None else "")
    if "sms" in message.channels and mobile:
        outgoing = OutgoingSms.objects.create(mobile=mobile, text=f"【创服】{message.title}：{text}")
        transaction.on_commit(lambda: deliver_sms(outgoing.pk))
    email = message.email or (message.user.email if message.user is not None else "")
    if "email" in message.channels and email:
        send_mail(message.title, text, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=True)


__all__ = ["Message", "absolute_url", "send", "sms"]
