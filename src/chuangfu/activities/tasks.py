"""Periodic work of the activities app on the huey queue. Each sweep is idempotent and the
same code also runs lazily when a page reads an activity, so a late worker delays nothing
a user can see."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import activities, feedback, registrations


@db_periodic_task(crontab(minute="*/5"))
def advance_schedules() -> int:
    """Open and close registration, start and finish activities when their time comes."""
    return activities.activities_advance_due()


@db_periodic_task(crontab(minute="*/5"))
def expire_offers() -> int:
    """Pass seats whose hold has run out to the next person on the waiting list."""
    return registrations.offers_expire_due()


@db_periodic_task(crontab(minute="0"))
def send_reminders() -> int:
    """Hourly: remind everyone with a seat of tomorrow's activities (once each)."""
    return registrations.reminders_send()


@db_periodic_task(crontab(minute="30"))
def invite_feedback() -> int:
    """Hourly: send rating links to attendees of activities that have ended."""
    return feedback.feedback_invite_due()
