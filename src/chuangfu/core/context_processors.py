"""Navigation by role: each app contributes entries; the base template shows those the user may use."""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from .models import Notification, Role
from .roles import page_allowed


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset
    section: str = ""


STAFF = frozenset(Role.values) - {Role.ENTREPRENEUR}

NAVIGATION: list[NavItem] = [
    NavItem(_("我的工作"), "home", STAFF),
    NavItem(_("我的主页"), "home", frozenset({Role.ENTREPRENEUR})),  # an entrepreneur's home is not their work
    NavItem(_("人员"), "registry:person_list", STAFF - {Role.MENTOR}),
    NavItem(_("企业"), "registry:enterprise_list", STAFF - {Role.MENTOR}),
    NavItem(_("载体"), "registry:carrier_list", STAFF),
    NavItem(_("创业导师"), "registry:mentor_list", STAFF),
    NavItem(_("批量导入"), "registry:import_start", frozenset({Role.DESK_STAFF, Role.ADMIN})),
    NavItem(_("审计日志"), "core:audit_list", frozenset({Role.ADMIN, Role.LEADER})),
    NavItem(_("接口令牌"), "core:api_tokens", frozenset({Role.ADMIN})),
]


# The public site's menu, for visitors and entrepreneurs: apps add entries (``register_public_nav``).
PUBLIC_NAVIGATION: list[tuple[str, str]] = []


_PUBLIC_WEIGHTS: dict[str, int] = {}


def register_public_nav(label: str, url_name: str, *, weight: int = 0) -> None:
    """Entries show in order of ``weight``, then of registration: an app loaded before the portal
    gives a weight to come after the portal's entries rather than ahead of its home page."""
    if any(existing == url_name for _, existing in PUBLIC_NAVIGATION):
        return
    _PUBLIC_WEIGHTS[url_name] = weight
    index = next((i for i, (_, n) in enumerate(PUBLIC_NAVIGATION) if _PUBLIC_WEIGHTS[n] > weight), None)
    PUBLIC_NAVIGATION.insert(len(PUBLIC_NAVIGATION) if index is None else index, (label, url_name))


def register_nav(item: NavItem, *, before: str | None = None) -> None:
    """Apps add their entries from ``AppConfig.ready``; ``before`` names an entry to insert ahead of."""
    if any(existing.url_name == item.url_name for existing in NAVIGATION):
        return
    index = next((i for i, n in enumerate(NAVIGATION) if n.url_name == before), len(NAVIGATION))
    NAVIGATION.insert(index, item)


@lru_cache(maxsize=256)
def _url(url_name: str, urlconf: str, prefix: str) -> str | None:
    """The entry's address, reversed once per process (a dozen reversals were a measurable share of every page)."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def _public_items(request) -> list[dict]:
    urlconf, prefix = get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
    items = []
    for label, url_name in PUBLIC_NAVIGATION:
        url = _url(url_name, urlconf, prefix)
        if url is not None:
            active = request.path == url if url == "/" else request.path.startswith(url)
            items.append({"label": label, "url": url, "active": active})
    return items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "public_nav": _public_items(request)}
    items = []
    for item in NAVIGATION:
        # An entry is offered only where the role table admits the account: no link leads to a 403.
        if (user.is_superuser or user.role in item.roles) and page_allowed(user, item.url_name):
            url = _url(item.url_name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
            if url is None:
                continue
            items.append({"label": item.label, "url": url, "active": request.path.startswith(url) and url != "/"})
    public = _public_items(request) if user.role == Role.ENTREPRENEUR else []
    return {"nav_items": items, "public_nav": public, "unread_notifications": _unread(user.pk)}


ELDER_COOKIE = "cf_elder"


def accessibility(request):
    """The large-text, high-contrast mode for older residents (适老化), chosen once and kept in a cookie."""
    return {"elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1"}


def _unread(user_id: int) -> int:
    """Unread notifications: one COUNT on every page, so plain SQL (the ORM took ~0.3 ms to build it)."""
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE recipient_id = %s AND read_at IS NULL", [user_id])
        return cursor.fetchone()[0]
