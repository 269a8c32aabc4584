"""One messenger that fans a message out to adapters: in-app, SMS and e-mail.

Callers say *what* to tell *whom*; delivery happens after the surrounding transaction commits,
on the task queue, so a failed SMS gateway never rolls back the business change.
"""

from django.db import transaction

from .messenger import Message, absolute_url, send

__all__ = ["Message", "absolute_url", "send", "send_on_commit"]


def send_on_commit(message: "Message") -> None:
    transaction.on_commit(lambda: send(message))
