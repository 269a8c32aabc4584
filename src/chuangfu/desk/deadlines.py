"""Due-soon and overdue: which deadline runs in which status, as a flag for one ticket and as a
query for lists. Deadlines are dates in working days; a suspended ticket's clock is paused."""
import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.workdays import add_working_days

from .models import Status

DUE_SOON_WORKING_DAYS = 1  # "due soon" = due today or by the next working day

# Statuses in which the answer deadline runs (the accept deadline runs only while dispatched).
ANSWER_CLOCK = (Status.RECEIVED, Status.DISPATCHED, Status.ACCEPTED, Status.IN_PROGRESS, Status.RETURNED)

OVERDUE = "overdue"
DUE_SOON = "due_soon"
FLAG_LABELS = {OVERDUE: _("已超时"), DUE_SOON: _("即将到期")}


def today() -> datetime.date:
    return timezone.localdate()


def soon_limit(day: datetime.date) -> datetime.date:
    return add_working_days(day, DUE_SOON_WORKING_DAYS)


def running_deadlines(ticket) -> list[tuple[str, datetime.date]]:
    """The deadlines running now: ``[("accept"|"answer", date), ...]``."""
    if ticket.status not in ANSWER_CLOCK:
        return []
    deadlines = [("answer", ticket.answer_due)]
    if ticket.status == Status.DISPATCHED:
        deadlines.insert(0, ("accept", ticket.accept_due))
    return deadlines


def flag(ticket, day: datetime.date | None = None, limit: datetime.date | None = None) -> str:
    """``"overdue"``, ``"due_soon"`` or ``""`` for one ticket."""
    day = day or today()
    deadlines = [due for _, due in running_deadlines(ticket)]
    if not deadlines:
        return ""
    if min(deadlines) < day:
        return OVERDUE
    if min(deadlines) <= (limit or soon_limit(day)):
        return DUE_SOON
    return ""


def overdue_q(day: datetime.date | None = None) -> Q:
    day = day or today()
    return Q(status__in=ANSWER_CLOCK, answer_due__lt=day) | Q(status=Status.DISPATCHED, accept_due__lt=day)


def due_soon_q(day: datetime.date | None = None) -> Q:
    day = day or today()
    limit = soon_limit(day)
    answer_soon = Q(status__in=ANSWER_CLOCK, answer_due__gte=day, answer_due__lte=limit)
    accept_soon = Q(status=Status.DISPATCHED, accept_due__gte=day, accept_due__lte=limit)
    return (answer_soon | accept_soon) & ~overdue_q(day)
