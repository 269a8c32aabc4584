"""Periodic work of the governance app on the huey queue. The sweep is idempotent: a late or
repeated run tells nobody twice."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import progress, reminders


@db_periodic_task(crontab(hour="8", minute="30"))
def send_reminders() -> dict:
    """Every morning: tasks due within 3 working days, overdue tasks (escalated), reports due."""
    return reminders.reminders_send()


@db_periodic_task(crontab(hour="3", minute="40"))
def refresh_live_figures() -> int:
    """Every night: tasks measured by a live indicator take their figure from the records."""
    return progress.live_figures_refresh()
