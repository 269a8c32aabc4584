"""SMS adapters. A real gateway implements ``SmsBackend.send`` and is named in
``CHUANGFU_SMS_BACKEND``; development writes messages to the log, tests keep them in memory."""

import logging
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from ..crypto import mask_mobile

logger = logging.getLogger("chuangfu.sms")


class SmsBackend:
    development = False  # True: refused in production (settings and ``core.checks``)

    def send(self, mobile: str, text: str) -> None:
        raise NotImplementedError  # the interface; concrete backends below and by configuration


class LogSmsBackend(SmsBackend):
    """Development backend: the message, verification codes included, goes to the log."""

    development = True

    def send(self, mobile: str, text: str) -> None:
        # The mobile masked (logs end up in places backups and tickets go); the text in full,
        # so a developer can read the verification code.
        logger.info("SMS to %s: %s", mask_mobile(mobile), text)


class LocmemSmsBackend(SmsBackend):
    """Test backend: messages collect in ``LocmemSmsBackend.outbox``."""

    development = True

    outbox: list[tuple[str, str]] = []

    def send(self, mobile: str, text: str) -> None:
        self.outbox.append((mobile, text))


def backend_class() -> type[SmsBackend]:
    module, _, cls = settings.SMS_BACKEND.rpartition(".")
    if not module:
        raise ValueError("not a dotted path")
    return getattr(import_module(module), cls)


def get_backend() -> SmsBackend:
    return backend_class()()


def deliver(sms_id: int) -> None:
    """Send an ``OutgoingSms`` unless already sent. A failure is recorded and re-raised so the
    queue retries; after sending, the text is wiped (the mobile stays, encrypted)."""
    from ..models import OutgoingSms

    outgoing = OutgoingSms.objects.filter(pk=sms_id, sent_at__isnull=True).first()
    if outgoing is None:
        return
    attempts = outgoing.attempts + 1
    try:
        get_backend().send(outgoing.mobile, outgoing.text)
    except Exception as exc:
        OutgoingSms.objects.filter(pk=sms_id).update(attempts=attempts, error=str(exc)[:255])
        raise
    OutgoingSms.objects.filter(pk=sms_id).update(attempts=attempts, sent_at=timezone.now(), text="", error="")
