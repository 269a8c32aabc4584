from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from huey.contrib.djhuey import task

from ..models import Notification, User
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


@task(retries=3, retry_delay=30)
def deliver_sms(mobile: str, text: str) -> None:
    """Send one text through the configured SMS backend, retried on failure (a queue task)."""
    sms.get_backend().send(mobile, text)


def send(message: Message) -> None:
    """Deliver now on every channel the message names and the recipient can receive."""
    if "inapp" in message.channels and message.user is not None:
        Notification.objects.create(recipient=message.user, title=message.title, body=message.body, link=message.link)
    mobile = message.mobile or (message.user.mobile if message.user is not None else "")
    if "sms" in message.channels and mobile:
        deliver_sms(mobile, f"【创服】{message.title}：{message.body}")
    email = message.email or (message.user.email if message.user is not None else "")
    if "email" in message.channels and email:
        send_mail(message.title, message.body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=True)


__all__ = ["Message", "send", "sms"]
