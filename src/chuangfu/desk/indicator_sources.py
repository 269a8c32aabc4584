"""Figures the indicators app reads from the desk (see ``chuangfu.indicators.sources``).

Counts over the jurisdiction's subtree in a period (``start`` and ``end`` included); merged
duplicates (并单) never count. ``ROWS`` gives the tickets behind each count for drill-down.
"""

from django.db.models import Q

from .models import Status, Ticket

FINISHED = (Status.CLOSED, Status.REVISITED)


def _in(jurisdiction) -> Q:
    return Q(jurisdiction__path=jurisdiction.path) | Q(jurisdiction__path__startswith=jurisdiction.path + "/")


def _tickets(jurisdiction):
    return Ticket.objects.filter(_in(jurisdiction)).exclude(status=Status.MERGED)


def received_rows(jurisdiction, period):
    return _tickets(jurisdiction).filter(received_on__gte=period.start, received_on__lte=period.end)


def closed_rows(jurisdiction, period):
    return _tickets(jurisdiction).filter(
        status__in=FINISHED, closed_at__date__gte=period.start, closed_at__date__lte=period.end
    )


def closed_on_time_rows(jurisdiction, period):
    return closed_rows(jurisdiction, period).filter(answered_in_time=True)


def rated_rows(jurisdiction, period):
    return _tickets(jurisdiction).filter(
        rating__isnull=False,
        rating__excluded=False,
        rating__created_at__date__gte=period.start,
        rating__created_at__date__lte=period.end,
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
