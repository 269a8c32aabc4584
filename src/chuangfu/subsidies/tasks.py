"""Periodic work of the subsidies app (huey, run by the one scheduling consumer)."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services.notices import notices_finalise_due


@db_periodic_task(crontab(hour="1", minute="15"))
def finalise_notices() -> list[str]:
    """Daily: approve the applications of every 公示 whose period ended without open objections."""
    return [report.batch.number for report in notices_finalise_due()]
