"""The 公示 and 拨付 panel on a reviewer's "my work" page: what waits for them in those stages."""
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.homepanels import Panel
from chuangfu.core.models import Role
from chuangfu.core.scoping import scope_by_jurisdiction

from . import selectors_release as selectors
from .models import EntryOutcome, NoticeStatus, Objection, ObjectionStatus


def release_panel(user):
    if not (user.is_superuser or user.role == Role.REVIEWER):
        return None
    today = timezone.localdate()
    batches = selectors.notice_batches(actor=user)
    open_objections = scope_by_jurisdiction(Objection.objects.filter(
        status=ObjectionStatus.OPEN, entry__outcome=EntryOutcome.PENDING), user).count()
    counts = [
        (_("待公示"), selectors.notice_candidates(actor=user).count(), reverse("notices:batch_create"), "primary"),
        (_("待处理异议"), open_objections, reverse("notices:batch_list"), "danger"),
        (_("公示期满待核准"), batches.filter(status=NoticeStatus.PUBLISHED, ends_on__lt=today).count(),
         reverse("notices:batch_list"), "warning"),
        (_("已核准待拨付"), selectors.unpaid_approved(actor=user).count(), reverse("disbursements:home"), "primary"),
    ]
    items = [{"label": label, "count": n, "url": url, "tone": tone if n else "light"} for label, n, url, tone in counts]
    return Panel(title=_("公示与拨付"), items=items, order=30)
