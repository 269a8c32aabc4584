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
    link: str = ""
    channels: tuple = field(default=("inapp", "sms"))


@db_task(retries=3, retry_delay=30)
def deliver_sms(sms_id: int) -> None:
    """Send one ``OutgoingSms``, retried on failure (a queue task). The payload is the row's
    id: no mobile or verification code ever sits in the queue's storage."""
    sms.deliver(sms_id)


def send(message: Message) -> None:
    """Deliver now on every channel the message names and the recipient can receive."""
    if "inapp" in message.channels and message.user is not None:
        Notification.objects.create(recipient=message.user, title=message.title, body=message.body, link=message.link)
    mobile = message.mobile or (message.user.mobile if message.user is not None else "")
    if "sms" in message.channels and mobile:
        outgoing = OutgoingSms.objects.create(mobile=mobile, text=f"【创服】{message.title}：{message.body}")
        transaction.on_commit(lambda: deliver_sms(outgoing.pk))
    email = message.email or (message.user.email if message.user is not None else "")
    if "email" in message.channels and email:
        send_mail(message.title, message.body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=True)


__all__ = ["Message", "send", "sms"]
