"""Activities (活动承载): service days, trainings, recruitment fairs and competitions; their
registrations, waiting list, check-ins and ratings; job postings; mentoring; competition scoring.

Rows hold data and their own invariants only. Every write and every state change goes through
``services``; the activity's lifecycle is the state machine in ``workflows.py``. Split by entity:

- ``activities``     activity types, on-the-day services, series, the activity and its photos
- ``registrations``  registration questions, registrations with waiting list and offers, ratings
- ``jobs``           job postings, interest in them, hires
- ``mentoring``      mentoring requests and sessions
- ``competitions``   scoring criteria, entries, judge assignments, scores
- ``common``         the 好差评 grades shared by activity ratings and mentoring sessions

Import from this package (``from chuangfu.activities.models import Activity``), not from the
modules: the names below are the public surface, and migrations refer to ``new_token`` here.
"""

from .activities import (
    LIVE_STATUSES,
    PUBLIC_STATUSES,
    Activity,
    ActivityPhoto,
    ActivitySeries,
    ActivityStatus,
    ActivityType,
    Audience,
    DayService,
)
from .common import SATISFIED_GRADES, Grade
from .competitions import CompetitionCriterion, CompetitionEntry, JudgeAssignment, NominationChannel, Score
from .jobs import Hire, JobInterest, JobPosting
from .mentoring import MentoringRequest, MentoringSession
from .registrations import (
    ACTIVE_REGISTRATION_STATUSES,
    SEAT_STATUSES,
    Feedback,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
    new_token,
)

__all__ = [
    "ACTIVE_REGISTRATION_STATUSES",
    "LIVE_STATUSES",
    "PUBLIC_STATUSES",
    "SATISFIED_GRADES",
    "SEAT_STATUSES",
    "Activity",
    "ActivityPhoto",
    "ActivitySeries",
    "ActivityStatus",
    "ActivityType",
    "Audience",
    "CompetitionCriterion",
    "CompetitionEntry",
    "DayService",
    "Feedback",
    "Grade",
    "Hire",
    "JobInterest",
    "JobPosting",
    "JudgeAssignment",
    "MentoringRequest",
    "MentoringSession",
    "NominationChannel",
    "Registration",
    "RegistrationQuestion",
    "RegistrationStatus",
    "Score",
    "new_token",
]
