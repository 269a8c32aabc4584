"""Registrations: by their manage key, of an account, of an activity; check-in search; seats
taken; the waiting list and a registration's rank on it."""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from chuangfu.core.crypto import lookup_hash
from chuangfu.core.errors import NotFound
from chuangfu.core.identifiers import validate_mobile
from chuangfu.core.search import bounded_query

from ..models import SEAT_STATUSES, Activity, ActivityStatus, Registration
from .activities import RS


def get_registration_by_key(manage_key: str) -> Registration:
    registration = (
        Registration.objects.select_related("activity", "activity__type", "activity__place_carrier", "user")
        .filter(manage_key=manage_key or "")
        .first()
    )
    if registration is None or registration.activity.status == ActivityStatus.DRAFT:
        raise NotFound()
    return registration


def registrations_of_user(user) -> QuerySet:
    return Registration.objects.filter(user=user).select_related("activity").order_by("-activity__starts_at")


def registrations_of(activity: Activity, *, status: str = "") -> QuerySet:
    qs = activity.registrations.select_related("enterprise", "checked_in_by")
    if status == "attended":
        qs = qs.filter(checked_in_at__isnull=False)
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("waitlist_position", "created_at", "id") if status == RS.WAITLISTED else qs


def seats_taken(activity: Activity) -> int:
    return Registration.objects.filter(activity=activity, status__in=SEAT_STATUSES).count()


def get_registration_for(actor, activity: Activity, pk) -> Registration:
    try:
        return activity.registrations.select_related("activity").get(pk=pk)
    except (Registration.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def checkin_search(activity: Activity, query: str) -> list[Registration]:
    """Find registrations by name (part of it), full mobile or ticket token."""
    query = bounded_query(query)
    if not query:
        return []
    match = Q(name__icontains=query) | Q(qr_token=query)
    try:
        match |= Q(mobile_hash=lookup_hash(validate_mobile(query)))
    except ValidationError:  # not a mobile number: search by name and token only
        pass
    return list(activity.registrations.filter(match).order_by("name", "id")[:20])


def waitlist(activity: Activity) -> QuerySet[Registration]:
    """The activity's waiting list, first in line first."""
    return Registration.objects.filter(activity=activity, status=RS.WAITLISTED).order_by("waitlist_position", "id")


def waitlist_rank(registration: Registration) -> int | None:
    """1 for the first in line; None when not on the waiting list."""
    if registration.status != RS.WAITLISTED:
        return None
    ahead = waitlist(registration.activity).filter(
        Q(waitlist_position__lt=registration.waitlist_position)
        | Q(waitlist_position=registration.waitlist_position, id__lt=registration.pk)
    )
    return ahead.count() + 1
