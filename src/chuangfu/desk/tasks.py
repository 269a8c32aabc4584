"""Background jobs of the desk on the huey queue."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import throttle_purge
from .services.reminders import deadlines_remind


@db_periodic_task(crontab(minute="5", hour="8-18"))
def desk_deadline_scan() -> dict:
    """Hourly in office hours: deadline reminders, escalations and rating invitations."""
    return deadlines_remind()


@db_periodic_task(crontab(minute="30", hour="3"))
def desk_purge_rate_limits() -> int:
    return throttle_purge()
