"""One exception type for domain errors: a stable code and a message in the user's language.

Pages turn it into a form error (``chuangfu.core.web.errors_on``), an htmx fragment or a message
(``chuangfu.core.web.DomainErrorMiddleware``, which also makes ``NotFound`` a 404); the API
into a JSON 4xx (the exception handler in ``chuangfu.api.urls``).
"""


class DomainError(Exception):
    """A rule of the domain refused the request. ``message`` is shown to the user as is."""

    status = 400

    def __init__(self, code: str, message, *, status: int | None = None, details: dict | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.details = details or {}
        if status is not None:
            self.status = status


class NotFound(DomainError):
    """The record does not exist *for this actor*: out-of-scope records look exactly like missing ones."""

    status = 404

    def __init__(self, message=None):
        from django.utils.translation import gettext

        super().__init__("not_found", message or gettext("记录不存在或您无权查看。"), status=404)
