"""Periodic work of the subsidies app (huey, run by the one scheduling consumer)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services.entitlements import entitlements_build_due
from .services.notices import notices_finalise_due
from .services.obligations import aftercare_scan
from .services.reminders import deadlines_scan


@db_periodic_task(crontab(minute="20", hour="8"))
def subsidies_deadline_scan() -> dict:
    """Each morning: flag applications deemed accepted, and remind reviewers of their deadlines."""
    return deadlines_scan()


@db_periodic_task(crontab(hour="1", minute="15"))
def finalise_notices() -> list[str]:
    """Daily: approve the applications of every 公示 whose period ended without open objections."""
    return [report.batch.number for report in notices_finalise_due()]


@db_periodic_task(crontab(hour="2", minute="40"))
def obligations_scan() -> dict:
    """Daily: remind beneficiaries of obligations coming due, and check those whose date has come
    (a breach opens the recovery)."""
    return aftercare_scan()


@db_periodic_task(crontab(hour="3", minute="40"))
def build_entitlements() -> list[str]:
    """Daily, after the nightly match: the 免申即享 batches of each automatic policy's current cycle,
    once per cycle (the first run of a cycle builds every town's; later days find them built)."""
    return entitlements_build_due()
