"""Navigation by role: each app contributes entries; the base template shows those the user may use."""
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset
    section: str = ""


STAFF = frozenset(Role.values) - {Role.ENTREPRENEUR}

NAVIGATION: list[NavItem] = [
    NavItem(_("我的工作"), "home", frozenset(Role.values)),
    NavItem(_("人员"), "registry:person_list", STAFF - {Role.MENTOR}),
    NavItem(_("企业"), "registry:enterprise_list", STAFF - {Role.MENTOR}),
    NavItem(_("载体"), "registry:carrier_list", STAFF),
    NavItem(_("创业导师"), "registry:mentor_list", STAFF),
    NavItem(_("批量导入"), "registry:import_start", frozenset({Role.DESK_STAFF, Role.ADMIN})),
    NavItem(_("审计日志"), "core:audit_list", frozenset({Role.ADMIN, Role.LEADER})),
]


def register_nav(item: NavItem, *, before: str | None = None) -> None:
    """Apps add their entries from ``AppConfig.ready``; ``before`` names an entry to insert ahead of."""
    if any(existing.url_name == item.url_name for existing in NAVIGATION):
        return
    index = next((i for i, n in enumerate(NAVIGATION) if n.url_name == before), len(NAVIGATION))
    NAVIGATION.insert(index, item)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for item in NAVIGATION:
        if user.is_superuser or user.role in item.roles:
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append({"label": item.label, "url": url, "active": request.path.startswith(url) and url != "/"})
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_items": items, "unread_notifications": unread}
