"""Navigation entries and the panels on the "my work" page (registered from ``ready``): a reviewer's
review queue and deadlines, the 公示 and 拨付 stages, and an entrepreneur's applications waiting
for them."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangfu.core.context_processors import NavItem, register_nav
from chuangfu.core.homepanels import Panel, register_panel
from chuangfu.core.models import Role
from chuangfu.core.scoping import scope_by_jurisdiction

from . import deadlines, selectors
from . import selectors as review_selectors
from .models import EntryOutcome, NoticeStatus, Objection, ObjectionStatus, Status


def review_panel(user):
    """待受理 · 待初审 · 待复审 and the deadlines running over them, in the reviewer's scope."""
    if not (user.is_superuser or user.role == Role.REVIEWER):
        return None
    qs = review_selectors.applications_for_staff(user)
    queue = reverse("subsidies:staff_queue")
    counts = [
        (_("待受理"), qs.filter(status=Status.SUBMITTED).count(), f"{queue}?status=submitted", "primary"),
        (_("待初审"), qs.filter(status=Status.ACCEPTED).count(), f"{queue}?status=accepted", "primary"),
        (_("待复审"), qs.filter(status=Status.FIRST_REVIEWED).count(), f"{queue}?status=first_reviewed", "primary"),
        (_("已超时"), qs.filter(deadlines.overdue_q()).count(), f"{queue}?flag=overdue", "danger"),
        (_("即将到期"), qs.filter(deadlines.due_soon_q()).count(), f"{queue}?flag=due_soon", "warning"),
    ]
    items = [{"label": label, "count": n, "url": url, "tone": tone if n else "light"} for label, n, url, tone in counts]
    return Panel(title=_("补贴审核"), items=items, order=29)


def applicant_panel(user):
    """An entrepreneur's drafts and the applications returned to them for 补正."""
    if user.role != Role.ENTREPRENEUR:
        return None
    qs = review_selectors.applications_mine(user)
    mine = reverse("subsidies:mine")
    counts = [
        (_("待补正"), qs.filter(status=Status.CORRECTION).count(), "warning"),
        (_("草稿"), qs.filter(status=Status.DRAFT).count(), "primary"),
        (
            _("办理中"),
            qs.filter(
                status__in=[
                    Status.SUBMITTED,
                    Status.ACCEPTED,
                    Status.FIRST_REVIEWED,
                    Status.SECOND_REVIEWED,
                    Status.IN_NOTICE,
                ]
            ).count(),
            "primary",
        ),
    ]
    if not any(n for _label, n, _tone in counts):
        return None
    items = [{"label": label, "count": n, "url": mine, "tone": tone if n else "light"} for label, n, tone in counts]
    return Panel(title=_("我的补贴申请"), items=items, order=40)


def release_panel(user):
    if not (user.is_superuser or user.role == Role.REVIEWER):
        return None
    today = timezone.localdate()
    batches = selectors.notice_batches(actor=user)
    open_objections = scope_by_jurisdiction(
        Objection.objects.filter(status=ObjectionStatus.OPEN, entry__outcome=EntryOutcome.PENDING), user
    ).count()
    counts = [
        (_("待公示"), selectors.notice_candidates(actor=user).count(), reverse("notices:batch_create"), "primary"),
        (_("待处理异议"), open_objections, reverse("notices:batch_list"), "danger"),
        (
            _("公示期满待核准"),
            batches.filter(status=NoticeStatus.PUBLISHED, ends_on__lt=today).count(),
            reverse("notices:batch_list"),
            "warning",
        ),
        (_("已核准待拨付"), selectors.unpaid_approved(actor=user).count(), reverse("disbursements:home"), "primary"),
    ]
    items = [{"label": label, "count": n, "url": url, "tone": tone if n else "light"} for label, n, url, tone in counts]
    return Panel(title=_("公示与拨付"), items=items, order=30)


STAFF = frozenset({Role.REVIEWER, Role.DESK_STAFF, Role.LEADER, Role.ADMIN})
register_nav(NavItem(gettext_lazy("补贴审核"), "subsidies:staff_queue", STAFF), before="registry:person_list")
register_nav(NavItem(gettext_lazy("公示与拨付"), "notices:batch_list", STAFF), before="registry:person_list")
register_nav(NavItem(gettext_lazy("补贴申请"), "subsidies:mine", frozenset({Role.ENTREPRENEUR})))
register_panel(review_panel)
register_panel(release_panel)
register_panel(applicant_panel)


def aftercare_panel(user):
    """Obligations and recoveries: a reviewer's checks to make and repayments to record, a leader's
    decisions; an entrepreneur's reports to submit and amounts owed."""
    from . import selectors_aftercare as aftercare
    from .models import ObligationKind, ObligationStatus, RecoveryStatus

    if user.role == Role.ENTREPRENEUR:
        pending = aftercare.obligations_mine(user).filter(status=ObligationStatus.PENDING)
        owed = aftercare.recoveries_mine(user).filter(status__in=[RecoveryStatus.OPEN, RecoveryStatus.RECOVERING])
        counts = [
            (_("待提交的报告"), pending.filter(kind=ObligationKind.REPORT).count(), "warning"),
            (_("待履行的义务"), pending.count(), "primary"),
            (_("补贴追回"), owed.count(), "danger"),
        ]
        if not any(n for _label, n, _tone in counts):
            return None
        mine = reverse("aftercare:mine")
        items = [{"label": label, "count": n, "url": mine, "tone": tone if n else "light"} for label, n, tone in counts]
        return Panel(title=_("履约与追回"), items=items, order=41)
    if not (user.is_superuser or user.role in (Role.REVIEWER, Role.LEADER)):
        return None
    today = timezone.localdate()
    obligations = reverse("aftercare:obligations")
    recoveries = reverse("aftercare:recoveries")
    pending = aftercare.obligations_for_staff(user, status=ObligationStatus.PENDING)
    counts = [
        (_("到期待认定"), pending.filter(due_on__lte=today).count(), f"{obligations}?status=pending", "warning"),
        (
            _("待决定的追回"),
            aftercare.recoveries_for_staff(user, status=RecoveryStatus.OPEN).count(),
            f"{recoveries}?status=open",
            "danger",
        ),
        (
            _("追回中"),
            aftercare.recoveries_for_staff(user, status=RecoveryStatus.RECOVERING).count(),
            f"{recoveries}?status=recovering",
            "primary",
        ),
    ]
    items = [{"label": label, "count": n, "url": url, "tone": tone if n else "light"} for label, n, url, tone in counts]
    return Panel(title=_("履约与追回"), items=items, order=31)


register_panel(aftercare_panel)
