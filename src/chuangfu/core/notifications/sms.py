"""SMS adapters. A real gateway implements ``SmsBackend.send`` and is named in
``CHUANGFU_SMS_BACKEND``; development writes messages to the log, tests keep them in memory."""

import logging
from importlib import import_module

from django.conf import settings

logger = logging.getLogger("chuangfu.sms")


class SmsBackend:
    development = False  # True: refused in production (settings and ``core.checks``)

    def send(self, mobile: str, text: str) -> None:
        raise NotImplementedError  # the interface; concrete backends below and by configuration


class LogSmsBackend(SmsBackend):
    """Development backend: the message, verification codes included, goes to the log."""

    development = True

    def send(self, mobile: str, text: str) -> None:
        logger.info("SMS to %s: %s", mobile, text)


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
