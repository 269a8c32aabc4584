"""Development e-mail: one readable log line per message instead of the console backend's raw MIME
(base64 bodies and headers), beside the SMS lines of ``LogSmsBackend``."""

import logging

from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger("chuangfu.email")


class LogEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            logger.info("E-mail to %s: %s — %s", ", ".join(message.recipients()), message.subject, message.body)
        return len(email_messages)
