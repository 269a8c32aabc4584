import time

from django.conf import settings

from .audit import current_ip
from .clientip import client_ip

# Session key holding when the session's expiry was last pushed forward (Unix seconds).
SESSION_REFRESHED_KEY = "_refreshed"


class AuditContextMiddleware:
    """Makes the client address available to ``log_action`` without passing the request down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class SessionRefreshMiddleware:
    """Keeps a signed-in session alive for ``SESSION_COOKIE_AGE`` after the last request, without
    writing the session row on every request (on SQLite each write takes the database's write lock).

    The expiry is pushed forward only when the last push is older than ``SESSION_REFRESH_SECONDS``
    (default 300): a session then ends between ``SESSION_COOKIE_AGE − SESSION_REFRESH_SECONDS`` and
    ``SESSION_COOKIE_AGE`` after the last request. Marking the session modified makes Django's
    ``SessionMiddleware`` (which must come before this one) save it with a fresh expiry.
    Anonymous sessions are never touched here. See docs/decisions.md.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.session_key:  # no cookie: nothing to keep alive
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        now = int(time.time())
        interval = getattr(settings, "SESSION_REFRESH_SECONDS", 300)
        try:
            last = int(session.get(SESSION_REFRESHED_KEY, 0))
        except (TypeError, ValueError):
            last = 0
        if now - last >= interval:
            session[SESSION_REFRESHED_KEY] = now
        return response
