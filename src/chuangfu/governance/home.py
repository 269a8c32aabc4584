"""Navigation entries and "my work" panels of the governance app (registered from ``ready``)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangfu.core.context_processors import NavItem, register_nav, register_public_nav
from chuangfu.core.homepanels import Panel, register_panel

from . import selectors
from .access import GOVERNANCE_ROLES, can_use, is_office
from .models import RUNNING_STATUSES, TaskStatus

register_nav(NavItem(gettext_lazy("工作台账"), "governance:ledger", GOVERNANCE_ROLES), before="core:audit_list")
register_public_nav(gettext_lazy("工作计划进展"), "progress:plans", weight=1)  # after the portal's own


@register_panel
def ledger_panel(user):
    """The office: what waits on it; a unit: its open, overdue and supervised tasks."""
    if not can_use(user):
        return None
    today = timezone.localdate()
    tasks = selectors.tasks_for(user)
    ledger = reverse("governance:ledger")
    if is_office(user):
        items = [
            {
                "label": _("待审核销号"),
                "count": tasks.filter(status=TaskStatus.PENDING_CLOSE).count(),
                "url": reverse("governance:decisions"),
                "tone": "primary",
            },
            {
                "label": _("逾期任务"),
                "count": tasks.filter(status__in=RUNNING_STATUSES, due_on__lt=today).count(),
                "url": f"{ledger}?overdue=1",
                "tone": "danger",
            },
        ]
    else:
        items = [
            {
                "label": _("推进中的任务"),
                "count": tasks.filter(status__in=RUNNING_STATUSES).count(),
                "url": ledger,
                "tone": "primary",
            },
            {
                "label": _("逾期任务"),
                "count": tasks.filter(status__in=RUNNING_STATUSES, due_on__lt=today).count(),
                "url": f"{ledger}?overdue=1",
                "tone": "danger",
            },
            {
                "label": _("被督办的任务"),
                "count": tasks.filter(supervised_at__isnull=False).exclude(status=TaskStatus.CLOSED).count(),
                "url": f"{ledger}?supervised=1",
                "tone": "warning",
            },
        ]
    return Panel(title=_("工作台账"), items=items, order=40)
