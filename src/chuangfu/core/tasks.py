"""Background work on the huey queue (embedded SQLite file by default, Redis with REDIS_URL)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, task

from . import workdays
from .jobs import purge_personal_files, run_job
from .notifications.messenger import deliver_sms

__all__ = [
    "deliver_sms",
    "ping",
    "purge_personal_files",
    "run_job",
    "warn_uncovered_calendar_years",
]  # the queue's tasks, defined beside what they run

logger = logging.getLogger("chuangfu.tasks")


@db_periodic_task(crontab(hour="6", minute="0"))
def warn_uncovered_calendar_years() -> list[int]:
    """Daily: say loudly when this or next year's holidays have not been entered yet."""
    missing = workdays.uncovered_years()
    if missing:
        logger.warning("节假日安排未录入的年份 %s：截止日期按周一至周五计算，请管理员录入。", missing)
    return missing


@task()
def ping(value: str) -> str:
    """Used by /healthz and tests to prove a worker is consuming the queue."""
    return value
