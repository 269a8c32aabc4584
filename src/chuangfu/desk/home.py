"""Navigation entries and the "my work" panel of the desk (registered from ``ready``): the panel
shows what is waiting for this user now."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangfu.core.context_processors import NavItem, register_nav
from chuangfu.core.homepanels import Panel, register_panel
from chuangfu.core.models import Role

from . import selectors

TONES = {"overdue": "danger", "due_soon": "warning", "new": "primary", "rectify": "danger", "revisit": "info"}
PANEL_QUEUES = {
    Role.DESK_STAFF: ["new", "mine", "due_soon", "overdue", "revisit", "rectify"],
    Role.UNIT_LIAISON: ["new", "open", "due_soon", "overdue", "rectify", "supervised"],
    Role.LEADER: ["new", "overdue", "supervised", "rectify"],
    Role.ADMIN: ["overdue", "supervised"],
}


def desk_panel(user):
    if user.role == Role.ENTREPRENEUR:
        tickets = selectors.my_requests(user=user)
        count = tickets.count()
        if not count:
            return None
        open_count = tickets.exclude(status__in=["closed", "revisited", "merged"]).count()
        return Panel(
            title=_("我的咨询"),
            order=20,
            items=[
                {"label": _("办理中"), "count": open_count, "url": reverse("service:mine"), "tone": "primary"},
                {"label": _("全部"), "count": count, "url": reverse("service:mine")},
            ],
        )
    codes = PANEL_QUEUES.get(user.role)
    if not codes or not selectors.can_use_desk(user):
        return None
    labels = {q.code: q.label for q in selectors.QUEUES}
    cap = selectors.COUNT_CAP
    counts = selectors.queue_counts(actor=user, codes=codes, cap=cap)
    items = [
        {
            "label": labels[code],
            "count": f"{cap}+" if counts[code] > cap else counts[code],
            "tone": TONES.get(code, "secondary") if counts[code] else "light",
            "url": reverse("desk:queue") + "?" + urlencode({"queue": code}),
        }
        for code in codes
    ]
    return Panel(title=_("咨询受理"), items=items, order=10)


DESK_ROLES = frozenset({Role.DESK_STAFF, Role.UNIT_LIAISON, Role.LEADER, Role.ADMIN})
register_nav(NavItem(gettext_lazy("咨询受理"), "desk:queue", DESK_ROLES), before="registry:person_list")
register_nav(
    NavItem(gettext_lazy("受理统计"), "desk:figures", frozenset({Role.DESK_STAFF, Role.LEADER, Role.ADMIN})),
    before="registry:person_list",
)
register_nav(NavItem(gettext_lazy("我的咨询"), "service:mine", frozenset({Role.ENTREPRENEUR})))
register_panel(desk_panel)
