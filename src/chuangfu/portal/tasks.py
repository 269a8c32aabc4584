"""The portal's scheduled work: the published service figures, recomputed every ten minutes."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import figures


@db_periodic_task(crontab(minute="*/10"))
def refresh_service_figures():
    figures.refresh()
