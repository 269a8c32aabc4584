"""Navigation by role: each app contributes entries; the base template shows those the user may use."""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Notification, Role, User
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
    _entries.cache_clear()


def register_nav(item: NavItem, *, before: str | None = None) -> None:
    """Apps add their entries from ``AppConfig.ready``; ``before`` names an entry to insert ahead of."""
    if any(existing.url_name == item.url_name for existing in NAVIGATION):
        return
    index = next((i for i, n in enumerate(NAVIGATION) if n.url_name == before), len(NAVIGATION))
    NAVIGATION.insert(index, item)
    _entries.cache_clear()


@lru_cache(maxsize=256)
def _url(url_name: str, urlconf: str, prefix: str) -> str | None:
    """The entry's address, reversed once per process (a dozen reversals were a measurable share of every page)."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


@lru_cache(maxsize=256)
def _entries(role: str | None, superuser: bool, language: str, urlconf: str, prefix: str) -> tuple:
    """``(label, url, label as HTML, url as HTML)`` of the entries an account of ``role`` is offered (``role`` None: the public
    menu), labels in ``language``. Worked out once per process and key: the menu depends on nothing
    else, and rendering it entry by entry through the template engine was a sixth of the base
    template's time (docs/decisions.md, decision 32)."""
    if role is None:
        found = [(label, _url(url_name, urlconf, prefix)) for label, url_name in PUBLIC_NAVIGATION]
    else:
        account = User(role=role, is_superuser=superuser)
        found = [
            (item.label, _url(item.url_name, urlconf, prefix))
            for item in NAVIGATION
            # An entry is offered only where the role table admits the account: no link leads to a 403.
            if (superuser or role in item.roles) and page_allowed(account, item.url_name)
        ]
    found = [(str(label), url) for label, url in found if url is not None]  # the labels are lazy: translate now
    return tuple((label, url, escape(label), escape(url)) for label, url in found)


def _menu(entries: tuple, path: str, *, public: bool) -> tuple[list[dict], str]:
    """The entries with the one the page belongs to marked, as data and as the menu's HTML."""
    items, html = [], []
    for label, url, label_html, url_html in entries:
        active = (path == url) if (public and url == "/") else (path.startswith(url) and url != "/")
        items.append({"label": label, "url": url, "active": active})
        current = ' aria-current="page"' if active and public else ""
        html.append(
            f'<li class="nav-item"><a class="nav-link{" active" if active else ""}" href="{url_html}"{current}>'
            f"{label_html}</a></li>"
        )
    return items, "".join(html)


def navigation(request):
    user = getattr(request, "user", None)
    key = (get_language(), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    if user is None or not user.is_authenticated:
        public, public_html = _menu(_entries(None, False, *key), request.path, public=True)
        return {"nav_items": [], "public_nav": public, "menu_html": mark_safe(public_html)}
    items, html = _menu(_entries(user.role, user.is_superuser, *key), request.path, public=False)
    public, public_html = [], ""
    if user.role == Role.ENTREPRENEUR:
        public, public_html = _menu(_entries(None, False, *key), request.path, public=True)
    return {
        "nav_items": items,
        "public_nav": public,
        "menu_html": mark_safe(public_html + html),  # labels and addresses escaped by _menu
        "unread_notifications": _unread(user.pk),
    }


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
