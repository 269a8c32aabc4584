"""Figures computed from registrations, check-ins and ratings: one activity's, and figures by
carrier, type or month."""

import datetime
import zoneinfo

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from chuangfu.core.errors import NotFound

from ..models import SATISFIED_GRADES, Activity, ActivityStatus, Feedback, Grade, Registration
from .activities import RS, activities_for, day_start, month_start
from .consultations import consultation_counts, desk_available


def activity_figures(activity: Activity) -> dict:
    """Counts of one activity; attendance is the number of check-ins, nothing else;
    consultations are the desk tickets raised at it."""
    regs = activity.registrations
    counts = dict(regs.values_list("status").annotate(n=Count("id")))
    attended = regs.filter(checked_in_at__isnull=False).count()
    walk_ins = regs.filter(source=Registration.Source.WALK_IN).count()
    confirmed = counts.get(RS.CONFIRMED, 0)
    grades = dict(Feedback.objects.filter(registration__activity=activity).values_list("grade").annotate(n=Count("id")))
    rated = sum(grades.values())
    satisfied = sum(grades.get(g, 0) for g in SATISFIED_GRADES)
    return {
        "capacity": activity.capacity,
        "confirmed": confirmed,
        "offered": counts.get(RS.OFFERED, 0),
        "waitlisted": counts.get(RS.WAITLISTED, 0),
        "pending": counts.get(RS.PENDING, 0),
        "cancelled": counts.get(RS.CANCELLED, 0),
        "attended": attended,
        "walk_ins": walk_ins,
        "attendance_rate": _rate(attended, confirmed),
        "rated": rated,
        "grades": [(Grade(g).label, grades.get(g, 0)) for g in Grade.values],
        "satisfaction_rate": _rate(satisfied, rated),
        "consultations": consultation_counts([activity.pk]).get(activity.pk, 0) if desk_available() else None,
    }


FIGURE_DIMENSIONS = {
    "carrier": "host_carrier__name",
    "type": "type__name",
    "month": "month",
}


def figures_by(
    *, actor, dimension: str, since: datetime.date | None = None, until: datetime.date | None = None
) -> list[dict]:
    """Activities held, seats confirmed, attendance (check-ins), ratings and satisfaction,
    grouped by host carrier, type or month, over the actor's activities (drafts and
    cancelled ones excluded)."""
    if dimension not in FIGURE_DIMENSIONS:
        raise NotFound()
    qs = activities_for(actor).exclude(status__in=[ActivityStatus.DRAFT, ActivityStatus.CANCELLED])
    if since:
        qs = qs.filter(starts_at__gte=month_start(since) if dimension == "month" else day_start(since))
    if until:
        qs = qs.filter(starts_at__lt=day_start(until + datetime.timedelta(days=1)))
    if dimension == "month":
        qs = qs.annotate(month=TruncMonth("starts_at", tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)))
    key = FIGURE_DIMENSIONS[dimension]
    rows = (
        qs.order_by()
        .values(key)
        .annotate(
            activities=Count("id", distinct=True),
            confirmed=Count("registrations", filter=Q(registrations__status=RS.CONFIRMED), distinct=True),
            attended=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False), distinct=True),
            rated=Count("registrations__feedback", distinct=True),
            satisfied=Count(
                "registrations__feedback", filter=Q(registrations__feedback__grade__in=SATISFIED_GRADES), distinct=True
            ),
        )
        .order_by(key)
    )
    consultations: dict = {}
    per_activity = consultation_counts(qs.values_list("id", flat=True))
    if per_activity:
        for pk, group in qs.filter(pk__in=list(per_activity)).order_by().values_list("id", key):
            consultations[group] = consultations.get(group, 0) + per_activity[pk]
    result = []
    for row in rows:
        label = row[key]
        if dimension == "month" and label is not None:
            label = (
                timezone.localtime(label).strftime("%Y-%m")
                if isinstance(label, datetime.datetime)
                else label.strftime("%Y-%m")
            )
        result.append(
            {
                "label": label,
                "activities": row["activities"],
                "confirmed": row["confirmed"],
                "attended": row["attended"],
                "attendance_rate": _rate(row["attended"], row["confirmed"]),
                "rated": row["rated"],
                "satisfaction_rate": _rate(row["satisfied"], row["rated"]),
                "consultations": consultations.get(row[key], 0),
            }
        )
    return result


def _rate(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None
