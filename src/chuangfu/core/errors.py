"""One exception type for domain errors: a stable code and a message in the user's language.

Views turn it into a form error or an htmx message, the API into a 4xx, in one place each
(``chuangfu.core.views.domain_error_response`` and ``chuangfu.api``).
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
