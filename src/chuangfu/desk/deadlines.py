"""Due-soon and overdue: which deadline runs in which status, as a flag for one ticket and as a
query for lists. Deadlines are dates in working days; a suspended ticket's clock is paused."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.workdays import add_working_days

from .models import Status

DUE_SOON_WORKING_DAYS = 1  # "due soon" = due today or by the next working day
REVISIT_WORKING_DAYS = 1  # 回访 starts within 1 working day of 办结 (or of a 差评's rectification)

# Statuses in which the answer deadline runs (the accept deadline runs only while dispatched).
ANSWER_CLOCK = (Status.RECEIVED, Status.DISPATCHED, Status.ACCEPTED, Status.IN_PROGRESS, Status.RETURNED)

OVERDUE = "overdue"
DUE_SOON = "due_soon"
REVISIT_OVERDUE = "revisit_overdue"
FLAG_LABELS = {OVERDUE: _("已超时"), DUE_SOON: _("即将到期"), REVISIT_OVERDUE: _("回访超时")}


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


def revisit_due(day: datetime.date) -> datetime.date:
    return add_working_days(day, REVISIT_WORKING_DAYS)


def flag(ticket, day: datetime.date | None = None, limit: datetime.date | None = None) -> str:
    """``"overdue"``, ``"due_soon"``, ``"revisit_overdue"`` (the desk owes a late 回访) or ``""``."""
    day = day or today()
    deadlines = [due for _, due in running_deadlines(ticket)]
    if not deadlines:
        owed = getattr(ticket, "revisit_due", None)
        return REVISIT_OVERDUE if owed is not None and owed < day else ""
    if min(deadlines) < day:
        return OVERDUE
    if min(deadlines) <= (limit or soon_limit(day)):
        return DUE_SOON
    return ""


def overdue_q(day: datetime.date | None = None) -> Q:
    day = day or today()
    return Q(status__in=ANSWER_CLOCK, answer_due__lt=day) | Q(status=Status.DISPATCHED, accept_due__lt=day)


def revisit_overdue_q(day: datetime.date | None = None) -> Q:
    return Q(revisit_due__lt=day or today())


def due_soon_q(day: datetime.date | None = None) -> Q:
    day = day or today()
    limit = soon_limit(day)
    answer_soon = Q(status__in=ANSWER_CLOCK, answer_due__gte=day, answer_due__lte=limit)
    accept_soon = Q(status=Status.DISPATCHED, accept_due__gte=day, accept_due__lte=limit)
    return (answer_soon | accept_soon) & ~overdue_q(day)
