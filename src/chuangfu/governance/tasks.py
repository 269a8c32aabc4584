"""Periodic work of the governance app on the huey queue. The sweep is idempotent: a late or
repeated run tells nobody twice."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import reminders


@db_periodic_task(crontab(hour="8", minute="30"))
def send_reminders() -> dict:
    """Every morning: tasks due within 3 working days, overdue tasks (escalated), reports due."""
    return reminders.reminders_send()
