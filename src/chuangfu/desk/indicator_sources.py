"""Figures the indicators app reads from the desk (see ``chuangfu.indicators.sources``).

Counts over the jurisdiction's subtree in a period (``start`` and ``end`` included); merged
duplicates (并单) never count. ``ROWS`` gives the tickets behind each count for drill-down.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.days import on_days
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scoping import within

from .models import OPEN_STATUSES, Status, Ticket, TicketAssignment

FINISHED = (Status.CLOSED, Status.REVISITED)


def _tickets(jurisdiction):
    return Ticket.objects.filter(within(jurisdiction)).exclude(status=Status.MERGED)


def received_rows(jurisdiction, period):
    return _tickets(jurisdiction).filter(received_on__gte=period.start, received_on__lte=period.end)


def closed_rows(jurisdiction, period):
    return _tickets(jurisdiction).filter(on_days("closed_at", period.start, period.end), status__in=FINISHED)


def closed_on_time_rows(jurisdiction, period):
    return closed_rows(jurisdiction, period).filter(answered_in_time=True)


def rated_rows(jurisdiction, period):
    return _tickets(jurisdiction).filter(
        on_days("rating__created_at", period.start, period.end), rating__isnull=False, rating__excluded=False
    )


def satisfied_rows(jurisdiction, period):
    return rated_rows(jurisdiction, period).filter(rating__grade__gte=3)


def tickets_received(jurisdiction, period) -> int:
    """Consultations received (受理) in the period."""
    return received_rows(jurisdiction, period).count()


def tickets_closed(jurisdiction, period) -> int:
    """Consultations closed (办结, with or after a revisit) in the period."""
    return closed_rows(jurisdiction, period).count()


def tickets_closed_on_time(jurisdiction, period) -> int:
    """Of ``tickets_closed``: answered within the answer deadline (working days)."""
    return closed_on_time_rows(jurisdiction, period).count()


def ratings(jurisdiction, period) -> int:
    """Valid 好差评 ratings given in the period (those excluded after an appeal do not count)."""
    return rated_rows(jurisdiction, period).count()


def ratings_satisfied(jurisdiction, period) -> int:
    """Of ``ratings``: 非常满意, 满意 or 基本满意."""
    return satisfied_rows(jurisdiction, period).count()


SOURCES = {
    "desk.tickets_received": tickets_received,
    "desk.tickets_closed": tickets_closed,
    "desk.tickets_closed_on_time": tickets_closed_on_time,
    "desk.ratings": ratings,
    "desk.ratings_satisfied": ratings_satisfied,
}
ROWS = {
    "desk.tickets_received": received_rows,
    "desk.tickets_closed": closed_rows,
    "desk.tickets_closed_on_time": closed_on_time_rows,
    "desk.ratings": rated_rows,
    "desk.ratings_satisfied": satisfied_rows,
}


def consultation_users(jurisdiction, period):
    """People of the registry whose consultation was received in the period (the survey's frame)."""
    return received_rows(jurisdiction, period).filter(person__isnull=False).values_list("person_id", flat=True)


# The services whose users the 工作满意度 survey samples, by stratum.
SURVEY_FRAMES = {"咨询受理": consultation_users}


# --- per member unit, for the unit scorecards (考评) ------------------------------------------------
# Counted over assignments (each time a ticket was put to a unit, co-handlers included) of the
# tickets received in the period, grouped by the assignment's unit: the desk figures' per-unit
# 及时签收率 and 退单率 for the same dates (``desk.figures``, basis "assignment").


def _assignments(jurisdiction, period):
    return TicketAssignment.objects.filter(ticket__in=received_rows(jurisdiction, period).order_by().values("pk"))


def _per_unit(qs) -> dict[int, int]:
    return dict(qs.order_by().values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n"))


UNIT_FILTERS = {
    "desk.assignments": {},
    "desk.assignments_accepted": {"accepted_in_time__isnull": False},
    "desk.assignments_accepted_on_time": {"accepted_in_time": True},
    "desk.assignments_answered": {"answered_in_time__isnull": False},
    "desk.assignments_answered_on_time": {"answered_in_time": True},
    "desk.assignments_returned": {"state": TicketAssignment.State.RETURNED},
}
UNIT_DOCS = {
    "desk.assignments": "Tickets put to the unit (派单, lead or co-handler), of those received in the period.",
    "desk.assignments_accepted": "Of ``desk.assignments``: accepted (签收) by the unit.",
    "desk.assignments_accepted_on_time": "Of ``desk.assignments_accepted``: accepted by the accept deadline.",
    "desk.assignments_answered": "Of ``desk.assignments``: answered (反馈) by the unit.",
    "desk.assignments_answered_on_time": "Of ``desk.assignments_answered``: answered by the ticket's answer deadline.",
    "desk.assignments_returned": "Of ``desk.assignments``: sent back by the unit (退单).",
}


def _unit_source(lookup: dict, doc: str):
    def count(jurisdiction, period) -> dict[int, int]:
        return _per_unit(_assignments(jurisdiction, period).filter(**lookup))

    def rows(jurisdiction, period, unit_id):
        return _assignments(jurisdiction, period).filter(unit_id=unit_id, **lookup).select_related("ticket", "unit")

    count.__doc__ = doc
    return count, rows


_UNIT = {name: _unit_source(lookup, UNIT_DOCS[name]) for name, lookup in UNIT_FILTERS.items()}
UNIT_SOURCES = {name: pair[0] for name, pair in _UNIT.items()}
UNIT_ROWS = {name: pair[1] for name, pair in _UNIT.items()}


# --- awaiting a decision, for the leadership dashboard -------------------------------------------


def _open_in(jurisdiction):
    """Open tickets of the subtree, by jurisdiction id and status (the ``desk_ticket_town_status`` index)."""
    subtree = Jurisdiction.objects.filter(Q(path=jurisdiction.path) | Q(path__startswith=jurisdiction.path + "/"))
    return Ticket.objects.filter(jurisdiction_id__in=subtree.values("pk"), status__in=OPEN_STATUSES)


def _listed(qs, note) -> tuple[int, list[tuple]]:
    newest = list(qs.order_by("-id")[:DECISIONS_SHOWN])
    items = [(f"{t.number} {t.description[:40]}", reverse("desk:ticket_detail", args=[t.pk]), note(t)) for t in newest]
    return (qs.count() if len(newest) == DECISIONS_SHOWN else len(newest)), items


def extension_requests(jurisdiction):
    """Extensions a unit asked for, waiting for the desk or a leader to approve or refuse."""
    return _listed(
        _open_in(jurisdiction).filter(extension_pending_days__isnull=False),
        lambda t: f"+{t.extension_pending_days} · {t.extension_reason[:60]}",
    )


def returned_tickets(jurisdiction):
    """Tickets a unit sent back (退单), waiting for the desk to reassign or refuse the return."""
    return _listed(_open_in(jurisdiction).filter(status=Status.RETURNED), lambda t: "")


def overdue_unsupervised(jurisdiction):
    """Open tickets past their answer deadline that nobody has pressed (督办) yet."""
    return _listed(
        _open_in(jurisdiction).filter(answer_due__lt=timezone.localdate(), supervised=False),
        lambda t: f"{t.answer_due:%Y-%m-%d}",
    )


DECISIONS_SHOWN = 5
DECISIONS = {
    "desk.extension_requests": (_("待审批的工单延期申请"), extension_requests),
    "desk.returned": (_("待处理的退单"), returned_tickets),
    "desk.overdue": (_("超时未督办的工单"), overdue_unsupervised),
}
