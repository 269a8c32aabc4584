"""Activities for staff (scoped by the actor, filtered) and for the public (every activity that is
not a draft), with the choices their filters offer."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Jurisdiction, Role, User
from chuangfu.core.scoping import scope_by_jurisdiction, visible_jurisdiction_ids
from chuangfu.registry.models import Carrier

from ..models import PUBLIC_STATUSES, Activity, ActivityStatus, ActivityType, RegistrationStatus
from ..workflows import MANAGER_ROLES

RS = RegistrationStatus


def can_manage(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False)) and (actor.is_superuser or actor.role in MANAGER_ROLES)


def activities_for(actor) -> QuerySet:
    """Every activity ``actor`` may manage."""
    qs = Activity.objects.select_related("type", "jurisdiction", "host_carrier", "place_carrier")
    if not can_manage(actor):
        return qs.none()
    qs = scope_by_jurisdiction(qs, actor)
    if actor.is_superuser:
        return qs
    if actor.role == Role.UNIT_LIAISON:
        return (
            qs.filter(Q(co_units=actor.unit_id) | Q(created_by=actor)).distinct()
            if actor.unit_id
            else qs.filter(created_by=actor)
        )
    if actor.role == Role.CARRIER_OPERATOR:
        operated = Q(host_carrier__operator_unit=actor.unit_id) | Q(place_carrier__operator_unit=actor.unit_id)
        return qs.filter(operated | Q(created_by=actor)) if actor.unit_id else qs.filter(created_by=actor)
    return qs


def get_activity_for(actor, pk) -> Activity:
    try:
        return activities_for(actor).get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass
class ActivityFilters:
    status: str = ""
    type: int | None = None
    month: datetime.date | None = None  # first day of the month
    q: str = ""


def activity_list(*, actor, filters: ActivityFilters) -> QuerySet:
    qs = activities_for(actor)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.type:
        qs = qs.filter(type_id=filters.type)
    if filters.month:
        qs = qs.filter(starts_at__gte=month_start(filters.month), starts_at__lt=month_start(next_month(filters.month)))
    if filters.q:
        qs = qs.filter(title__icontains=filters.q)
    # an aggregate query does not use Meta.ordering: latest start first, stated here
    return qs.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=RS.CONFIRMED), distinct=True),
        attended_count=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False), distinct=True),
    ).order_by("-starts_at", "-id")


def carriers_for(actor, jurisdiction: Jurisdiction | None = None) -> QuerySet:
    """Carriers an activity of ``actor`` may be held at or hosted by."""
    qs = scope_by_jurisdiction(Carrier.objects.all(), actor)
    if jurisdiction is not None:
        town = jurisdiction.town or jurisdiction
        qs = qs.filter(jurisdiction__path__startswith=town.path)
    if getattr(actor, "role", None) == Role.CARRIER_OPERATOR and not actor.is_superuser:
        qs = qs.filter(operator_unit=actor.unit_id)
    return qs


def staff_users_for(actor) -> QuerySet:
    """Accounts ``actor`` may pick as judges: staff and mentors of the visible jurisdictions."""
    qs = User.objects.filter(is_active=True).exclude(role=Role.ENTREPRENEUR)
    ids = visible_jurisdiction_ids(actor)
    if ids is not None:
        qs = qs.filter(jurisdiction_id__in=ids)
    return qs.order_by("display_name", "username")


@dataclass
class PublicFilters:
    town: int | None = None
    type: int | None = None
    carrier: int | None = None
    month: datetime.date | None = None
    include_past: bool = False


def public_activities(filters: PublicFilters, *, now: datetime.datetime | None = None) -> QuerySet:
    now = now or timezone.now()
    qs = Activity.objects.filter(status__in=PUBLIC_STATUSES).select_related(
        "type", "jurisdiction", "place_carrier", "host_carrier"
    )
    if filters.town:
        town = Jurisdiction.objects.filter(pk=filters.town).first()
        qs = qs.filter(jurisdiction__path__startswith=town.path) if town else qs.none()
    if filters.type:
        qs = qs.filter(type_id=filters.type)
    if filters.carrier:
        qs = qs.filter(Q(host_carrier_id=filters.carrier) | Q(place_carrier_id=filters.carrier))
    if filters.month:
        qs = qs.filter(starts_at__gte=month_start(filters.month), starts_at__lt=month_start(next_month(filters.month)))
    elif not filters.include_past:
        qs = qs.filter(ends_at__gte=now).exclude(status=ActivityStatus.CANCELLED)
    return qs.annotate(
        seats_taken=Count(
            "registrations", filter=Q(registrations__status__in=[RS.CONFIRMED, RS.OFFERED]), distinct=True
        ),
        entry_count=Count("entries", distinct=True),  # a competition's card counts its entries, not only seats
    ).order_by("starts_at", "id")


def public_upcoming_at_carrier(*, carrier, limit: int) -> tuple[list[dict], int, str]:
    """For the ecosystem's public carrier page (``ecosystem_carrier_events`` on this app's config):
    the public activities hosted or held at ``carrier`` that have not ended, not cancelled, soonest
    first (the public list's own filter; the place only when it is elsewhere), the number of them
    and the public list of them all."""
    upcoming = public_activities(PublicFilters(carrier=carrier.pk))
    rows = [
        {
            "title": activity.title,
            "starts_at": activity.starts_at,
            "place": "" if activity.place_carrier_id == carrier.pk else activity.place_display,
            "status": activity.get_status_display(),
            "url": reverse("events:detail", args=[activity.pk]),
        }
        for activity in upcoming[:limit]
    ]
    total = len(rows) if len(rows) < limit else upcoming.count()
    return rows, total, f"{reverse('events:list')}?carrier={carrier.pk}"


def get_public_activity(pk) -> Activity:
    try:
        return Activity.objects.select_related("type", "jurisdiction", "place_carrier", "host_carrier").get(
            pk=pk, status__in=PUBLIC_STATUSES
        )
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def public_filter_choices() -> dict:
    towns = Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN, activity__status__in=PUBLIC_STATUSES).distinct()
    carriers = (
        Carrier.objects.filter(
            Q(activities_hosted__status__in=PUBLIC_STATUSES) | Q(activities_held__status__in=PUBLIC_STATUSES)
        )
        .distinct()
        .order_by("name")
    )
    return {"towns": towns, "types": ActivityType.objects.filter(active=True), "carriers": carriers}


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def month_start(day: datetime.date) -> datetime.datetime:
    return day_start(day.replace(day=1))


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
