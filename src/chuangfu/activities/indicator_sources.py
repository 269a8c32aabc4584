"""Figures the indicators app reads from activities (see ``chuangfu.indicators.sources``)."""

from django.db.models import Count
from django.utils import timezone

from chuangfu.core.days import on_days
from chuangfu.core.scoping import within

from .models import Activity, ActivityStatus, Registration

HELD_EXCLUDED = (ActivityStatus.DRAFT, ActivityStatus.CANCELLED)


def held_rows(jurisdiction, period):
    return (
        Activity.objects.filter(within(jurisdiction), on_days("starts_at", period.start, period.end))
        .filter(starts_at__lte=timezone.now())
        .exclude(status__in=HELD_EXCLUDED)
        .select_related("type")
    )


def attendance_rows(jurisdiction, period):
    return Registration.objects.filter(
        within(jurisdiction, "activity__jurisdiction"),
        on_days("activity__starts_at", period.start, period.end),
        checked_in_at__isnull=False,
    )


def activities_held(jurisdiction, period) -> int:
    """Activities (service days, trainings, fairs, competitions) held in the period."""
    return held_rows(jurisdiction, period).count()


def attendances(jurisdiction, period) -> int:
    """Check-ins at activities held in the period."""
    return attendance_rows(jurisdiction, period).count()


def atmosphere_evidence(jurisdiction, period) -> list[tuple]:
    return [
        (timezone.localtime(a.starts_at).date(), a.title, str(a.type)) for a in held_rows(jurisdiction, period)[:200]
    ]


def participants(jurisdiction, period):
    """People of the registry who checked in at an activity held in the period (the survey's frame)."""
    return attendance_rows(jurisdiction, period).filter(person__isnull=False).values_list("person_id", flat=True)


SURVEY_FRAMES = {"创业活动": participants}
SOURCES = {"activities.held": activities_held, "activities.attendances": attendances}
ROWS = {"activities.held": held_rows, "activities.attendances": attendance_rows}
EVIDENCE = {"atmosphere": atmosphere_evidence}


def unit_activities_held(jurisdiction, period) -> dict[int, int]:
    """Activities held in the period that the unit co-hosted (协办单位)."""
    through = Activity.co_units.through.objects.filter(activity__in=held_rows(jurisdiction, period).values("pk"))
    return dict(through.order_by().values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n"))


UNIT_SOURCES = {"activities.unit_activities_held": unit_activities_held}
UNIT_ROWS = {"activities.unit_activities_held": lambda j, p, unit: held_rows(j, p).filter(co_units=unit)}
