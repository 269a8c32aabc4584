"""No input a browser or script can send makes a server error: every page and API list without
arguments is fetched with out-of-range page numbers, 20-digit ids, a thousand-word search and a
long run of combining characters, as each kind of user."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from chuangfu.core.models import Role
from tests import factories as f

# About a minute: every plain URL, three visitors. The places are restored from the serialised
# database at the start (under ``--dist loadfile`` a browser test may have flushed them before it).
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

HUGE = "9" * 25
IDS = ("type", "carrier", "unit", "category", "town", "jurisdiction", "policy", "activity", "status", "kind")
HOSTILE = [
    {"page": HUGE, "offset": HUGE, "limit": HUGE, **dict.fromkeys(IDS, HUGE), "q": " ".join(["创业"] * 1000)},
    {"page": "-1", "offset": "-5", "limit": "-1", **dict.fromkeys(IDS, "-" + HUGE), "q": "a" + "\u0301" * 5000},
    {"date_from": "0001-01-01", "date_to": "9999-12-31", "founded_from": "0001-01-01", "month": "0001-01"},
]


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _plain_urls():
    """Every URL pattern that takes no argument (lists, searches, dashboards, API lists)."""
    urls = set()
    for pattern in _patterns():
        if "<" in pattern or "(?P" in pattern or pattern.startswith(("admin/", "^static", "media/")):
            continue
        if any(word in pattern for word in ("logout", "i18n/setlang", "openapi", "docs")):
            continue
        urls.add("/" + pattern.lstrip("^").rstrip("$").replace("\\Z", ""))
    return sorted(urls)


@pytest.fixture(params=["anonymous", Role.DESK_STAFF, "superuser"])
def visitor(request, client):
    if request.param == "superuser":
        client.force_login(f.user(Role.ADMIN, is_superuser=True, is_staff=True))
    elif request.param != "anonymous":
        client.force_login(f.user(request.param))
    return client


def test_no_plain_url_fails_on_hostile_query_strings(visitor):
    urls = _plain_urls()
    assert len(urls) > 30
    visitor.raise_request_exception = False
    failures = []
    for url in urls:
        for params in HOSTILE:
            status = visitor.get(url, params).status_code
            if status >= 500:
                failures.append(f"{url} {status} {list(params)[:2]}")
    assert failures == [], "\n".join(failures)
