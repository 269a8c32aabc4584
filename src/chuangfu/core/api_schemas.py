"""API shapes shared by every app's router. ``ErrorOut`` is what the one DomainError handler
in ``chuangfu.api.urls`` returns, so every endpoint documents its 4xx the same way."""

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    details: dict = {}
