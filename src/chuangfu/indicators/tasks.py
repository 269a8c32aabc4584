"""Nightly: recompute the current year's indicators for every town (values move as records change)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from chuangfu.core.models import Jurisdiction

from .services.computing import compute_town_year


@db_periodic_task(crontab(hour="3", minute="15"))
def nightly_compute() -> int:
    year = timezone.localdate().year
    return sum(compute_town_year(town, year) for town in Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN))
