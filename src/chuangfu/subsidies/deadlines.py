"""Which deadline runs in which status, as a flag for one application and as a query for lists.

* the acceptance deadline (``accept_due``, 5 working days) runs while 已提交 and not yet deemed
  accepted;
* the decision deadline (``decision_due``, 20 working days + an approved extension) runs while
  已受理 or 初审通过, and while 已提交 once the application was deemed accepted;
* neither runs while 待补正: on resubmission both move on by the working days spent waiting.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.workdays import add_working_days

from .models import Status

DUE_SOON_WORKING_DAYS = 2
OVERDUE = "overdue"
DUE_SOON = "due_soon"
FLAG_LABELS = {OVERDUE: _("已超时"), DUE_SOON: _("即将到期")}
CLOCK_LABELS = {"accept": _("受理期限"), "decision": _("决定期限")}
DECISION_CLOCK = (Status.ACCEPTED, Status.FIRST_REVIEWED)


def today() -> datetime.date:
    return timezone.localdate()


def running_deadline(application) -> tuple[str, datetime.date] | None:
    """("accept" | "decision", due date) running now, or None."""
    if application.status == Status.SUBMITTED:
        if application.deemed_accepted_on is None:
            return ("accept", application.accept_due) if application.accept_due else None
        return ("decision", application.decision_due) if application.decision_due else None
    if application.status in DECISION_CLOCK and application.decision_due:
        return ("decision", application.decision_due)
    return None


def flag(application, day: datetime.date | None = None) -> str:
    day = day or today()
    running = running_deadline(application)
    if running is None:
        return ""
    if running[1] < day:
        return OVERDUE
    if running[1] <= add_working_days(day, DUE_SOON_WORKING_DAYS):
        return DUE_SOON
    return ""


def _accept_running() -> Q:
    return Q(status=Status.SUBMITTED, deemed_accepted_on__isnull=True)


def _decision_running() -> Q:
    return Q(status__in=DECISION_CLOCK) | Q(status=Status.SUBMITTED, deemed_accepted_on__isnull=False)


def overdue_q(day: datetime.date | None = None) -> Q:
    day = day or today()
    return (_accept_running() & Q(accept_due__lt=day)) | (_decision_running() & Q(decision_due__lt=day))


def due_soon_q(day: datetime.date | None = None) -> Q:
    day = day or today()
    limit = add_working_days(day, DUE_SOON_WORKING_DAYS)
    return (_accept_running() & Q(accept_due__gte=day, accept_due__lte=limit)) | (
        _decision_running() & Q(decision_due__gte=day, decision_due__lte=limit)
    )


def acceptance_lapsed_q(day: datetime.date | None = None) -> Q:
    """Submitted, no acceptance decision, and the 5 working days are over: deemed accepted."""
    return _accept_running() & Q(accept_due__lt=day or today())
