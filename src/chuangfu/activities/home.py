"""Navigation entries and "my work" panels of the activities app (registered from ``ready``)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangfu.core.context_processors import NavItem, register_nav
from chuangfu.core.homepanels import Panel, register_panel
from chuangfu.core.models import Role

from . import selectors
from .models import (
    ACTIVE_REGISTRATION_STATUSES,
    ActivityStatus,
    JudgeAssignment,
    MentoringSession,
    Registration,
    RegistrationStatus,
)
from .workflows import MANAGER_ROLES

STAFF = frozenset(Role.values) - {Role.ENTREPRENEUR}

register_nav(NavItem(gettext_lazy("活动"), "activities:list", MANAGER_ROLES), before="core:audit_list")
register_nav(
    NavItem(gettext_lazy("导师辅导"), "activities:mentoring", frozenset({Role.MENTOR})), before="core:audit_list"
)
register_nav(
    NavItem(gettext_lazy("评审"), "activities:judging", frozenset({Role.MENTOR, Role.LEADER})), before="core:audit_list"
)
register_nav(NavItem(gettext_lazy("活动报名"), "events:list", frozenset({Role.ENTREPRENEUR})))
register_nav(NavItem(gettext_lazy("我的活动"), "events:mine", frozenset({Role.ENTREPRENEUR})))
register_nav(NavItem(gettext_lazy("申请导师辅导"), "events:mentoring", frozenset({Role.ENTREPRENEUR})))
register_nav(NavItem(gettext_lazy("招聘岗位"), "events:jobs", frozenset({Role.ENTREPRENEUR})))


@register_panel
def activities_panel(user):
    if not selectors.can_manage(user):
        return None
    now = timezone.now()
    week = now + datetime.timedelta(days=7)
    mine = selectors.activities_for(user)
    base = reverse("activities:list")
    items = [
        {
            "label": _("未来 7 天的活动"),
            "count": mine.filter(starts_at__gte=now, starts_at__lt=week)
            .exclude(status__in=[ActivityStatus.DRAFT, ActivityStatus.CANCELLED])
            .count(),
            "url": base,
            "tone": "primary",
        },
        {
            "label": _("待审核的报名"),
            "count": Registration.objects.filter(
                activity__in=mine.values("pk"), status=RegistrationStatus.PENDING
            ).count(),
            "url": base,
            "tone": "warning",
        },
        {
            "label": _("已结束待总结"),
            "count": mine.filter(status=ActivityStatus.FINISHED).count(),
            "url": f"{base}?status={ActivityStatus.FINISHED}",
            "tone": "danger",
        },
        {
            "label": _("草稿"),
            "count": mine.filter(status=ActivityStatus.DRAFT).count(),
            "url": f"{base}?status={ActivityStatus.DRAFT}",
            "tone": "secondary",
        },
    ]
    return Panel(title=_("活动承载"), items=items, order=30)


@register_panel
def mentor_panel(user):
    if not getattr(user, "is_authenticated", False) or user.role not in (Role.MENTOR, Role.LEADER):
        return None
    items = []
    if user.role == Role.MENTOR:
        items.append(
            {
                "label": _("待进行的辅导"),
                "count": MentoringSession.objects.filter(
                    mentor__account=user, status=MentoringSession.Status.SCHEDULED
                ).count(),
                "url": reverse("activities:mentoring"),
                "tone": "primary",
            }
        )
    items.append(
        {
            "label": _("待评分的参赛项目"),
            "count": JudgeAssignment.objects.filter(
                judge=user, submitted_at__isnull=True, entry__activity__scoring_closed_at__isnull=True
            ).count(),
            "url": reverse("activities:judging"),
            "tone": "warning",
        }
    )
    return Panel(title=_("导师与评审"), items=items, order=35)


@register_panel
def entrepreneur_panel(user):
    if not getattr(user, "is_authenticated", False) or user.role != Role.ENTREPRENEUR:
        return None
    upcoming = selectors.registrations_of_user(user).filter(
        status__in=ACTIVE_REGISTRATION_STATUSES, activity__ends_at__gte=timezone.now()
    )
    items = [
        {"label": _("我报名的活动"), "count": upcoming.count(), "url": reverse("events:mine"), "tone": "primary"},
        {
            "label": _("候补递补待确认"),
            "count": upcoming.filter(status=RegistrationStatus.OFFERED).count(),
            "url": reverse("events:mine"),
            "tone": "danger",
        },
    ]
    return Panel(title=_("活动"), items=items, order=30)
