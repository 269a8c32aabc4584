"""Cached fragments of public pages, invalidated by a version in the database.

Public pages (the portal's front door, the policy list) render the same blocks for every visitor.
They keep the rendered HTML in Django's cache under a key made of the fragment's name, the
language, today's date, the current ``PublicVersion`` counter and the page's own parameters
(``vary``). Apps name the models their public blocks show (``watch``); saving or deleting one
bumps the counter in the same transaction, so the next request after the commit renders afresh,
in every web process (the counter is read from the database: one primary-key lookup a request;
a per-process memory cache cannot be invalidated any other way). Changes that no save announces
(an article whose publication time arrives, an activity whose registration closes by the clock)
show within ``TTL`` seconds; the date in the key turns the page over at midnight.

``anonymous_page`` keeps whole pages for anonymous visitors the same way (the header's CSRF token
is put in per visitor); signed-in users get the page rendered, with its cached fragments.
"""

import functools
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from . import versions
from .context_processors import ELDER_COOKIE

NAME = "public"
TTL = 60  # seconds: the longest a page may lag behind a change that no save announces


def version() -> int:
    """The public counter (0 before the first bump)."""
    return versions.current(NAME)


def bump(**kwargs) -> None:
    """Make every cached public fragment stale (a signal receiver; callable directly too)."""
    versions.bump(NAME)


def vary(name: str, *parts) -> str:
    """What a fragment's cache key varies on, for ``{% cache public_ttl name vary %}``."""
    return ":".join([name, get_language() or "", timezone.localdate().isoformat(), str(version()), *map(str, parts)])


def watch(*models) -> None:
    """Saving or deleting a row of ``models`` makes the public fragments stale."""
    versions.watch(NAME, *models)


# --- whole pages for anonymous visitors ---------------------------------------------------------

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_PLACEHOLDER = "\x00csrf\x00"


def anonymous_page(name: str):
    """Serve a public page to anonymous visitors from the cache, whole, under the public version.

    The page is rendered once per version, language, address (path and query) and large-text
    mode; each visitor then gets the stored HTML with a CSRF token of their own put in place of the
    first visitor's (the header's forms post). Signed-in users, htmx requests, anything but GET and
    a visitor with a message waiting get the view itself."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "GET" or request.user.is_authenticated or _personal(request):
                return view(request, *args, **kwargs)
            key = (
                "public-page:"
                + hashlib.sha256(
                    vary(name, request.get_full_path(), request.COOKIES.get(ELDER_COOKIE) == "1").encode()
                ).hexdigest()
            )
            html = cache.get(key)
            if html is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming:
                    return response
                html = response.content.decode()
                token = CSRF_FIELD.search(html)
                if token:
                    html = html.replace(token.group(1), _PLACEHOLDER)
                cache.set(key, html, TTL)
            response = HttpResponse(html.replace(_PLACEHOLDER, get_token(request)))
            patch_vary_headers(response, ["Cookie", "Accept-Language"])
            return response

        return wrapped

    return decorator


def _personal(request) -> bool:
    """Something on the page is this visitor's own: an htmx partial, or a message waiting."""
    if request.headers.get("HX-Request"):
        return True
    if "messages" in request.COOKIES:
        return True
    session = getattr(request, "session", None)
    return bool(request.COOKIES.get(settings.SESSION_COOKIE_NAME) and session is not None and session.get("_messages"))
