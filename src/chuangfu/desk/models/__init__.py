"""The service desk (咨询受理): categories and routing, tickets with their assignments and
timeline, attachments, ratings (好差评) with rectification, and figure definitions.

A ticket's ``status`` changes only through ``workflows.TICKET``, an assignment's ``state`` through
``workflows.ASSIGNMENT`` and a rectification's through ``workflows.RECTIFICATION`` (all fired by
``core.workflow.fire`` from ``services``); the timeline is ``core.TimelineEvent``. Dates that are
deadlines are plain dates in working days (``core.workdays``), counted from the day after receipt;
the facts the figures need are recorded when they happen, so figures are simple counts over rows:
a unit's own facts (accepted in time, answered in time) on its ``TicketAssignment``, the ticket's
(closed, revisited, working days to answer) on the ``Ticket``. Split by entity:

- ``categories``  kinds of request and routing rules
- ``tickets``     tickets, numbering, assignments (each unit's part) and attachments
- ``ratings``     好差评 ratings and the rectification a 差评 starts
- ``reminders``   reminders already sent and rate-limit counters
- ``metrics``     figure definitions

Import from this package (``from chuangfu.desk.models import Ticket``), not from the modules.
"""

from .categories import Category, RoutingRule
from .metrics import MetricDefinition
from .ratings import NEGATIVE_GRADES, Grade, Rating, Rectification, RevisitOutcome
from .reminders import DeadlineNotice, Throttle
from .tickets import (
    DESCRIPTION_MAX_LENGTH,
    FINISHED_STATUSES,
    OPEN_STATUSES,
    RATEABLE_STATUSES,
    STAFF_CHANNELS,
    Attachment,
    Channel,
    Status,
    Ticket,
    TicketAssignment,
    TicketCounter,
    _attachment_path,  # migrations refer to it here
)

__all__ = [
    "DESCRIPTION_MAX_LENGTH",
    "FINISHED_STATUSES",
    "NEGATIVE_GRADES",
    "OPEN_STATUSES",
    "RATEABLE_STATUSES",
    "STAFF_CHANNELS",
    "Attachment",
    "Category",
    "Channel",
    "DeadlineNotice",
    "Grade",
    "MetricDefinition",
    "Rating",
    "Rectification",
    "RevisitOutcome",
    "RoutingRule",
    "Status",
    "Throttle",
    "Ticket",
    "TicketAssignment",
    "TicketCounter",
]
