"""Meeting series, meetings, agenda items, minutes, attendance and the decisions (议定事项) taken."""

from django.db.models import QuerySet
from django.utils import timezone

from chuangfu.core.errors import NotFound
from chuangfu.core.scoping import scope_by_jurisdiction

from ..access import can_use, is_office
from ..models import AgendaItem, Decision, Meeting, MeetingSeries, Membership, Minutes, MinutesStatus


def series_for(actor) -> QuerySet:
    if not can_use(actor):
        return MeetingSeries.objects.none()
    return scope_by_jurisdiction(MeetingSeries.objects.select_related("body"), actor)


def get_series_for(actor, pk) -> MeetingSeries:
    try:
        return series_for(actor).get(pk=pk)
    except (MeetingSeries.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def meetings_for(actor) -> QuerySet:
    """Meetings of the actor's jurisdiction: the office runs them, member units take part."""
    if not can_use(actor):
        return Meeting.objects.none()
    return scope_by_jurisdiction(Meeting.objects.select_related("series", "series__body"), actor)


def get_meeting_for(actor, pk) -> Meeting:
    try:
        return meetings_for(actor).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def get_agenda_item_for(actor, pk) -> AgendaItem:
    try:
        return AgendaItem.objects.select_related("meeting").get(pk=pk, meeting__in=meetings_for(actor).values("pk"))
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def get_minutes_for(actor, pk) -> Minutes:
    """A unit liaison reads issued minutes only; the office every version."""
    qs = Minutes.objects.select_related("meeting", "meeting__series").filter(
        meeting__in=meetings_for(actor).values("pk")
    )
    if not is_office(actor):
        qs = qs.filter(status=MinutesStatus.ISSUED)
    try:
        return qs.get(pk=pk)
    except (Minutes.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def meeting_members(meeting: Meeting) -> QuerySet:
    """The body's members serving on the meeting's day (in whatever term), in seating order."""
    day = timezone.localdate(meeting.starts_at)
    return (
        Membership.objects.filter(term__body_id=meeting.series.body_id, joined_on__lte=day)
        .exclude(left_on__lt=day)
        .select_related("unit", "user")
        .order_by("position_order", "joined_on", "id")
    )


def attendance_sheet(meeting: Meeting) -> list[tuple]:
    """(member, attendance or None) for every member serving on the meeting's day."""
    records = {a.member_id: a for a in meeting.attendance.all()}
    return [(m, records.get(m.pk)) for m in meeting_members(meeting)]


def decisions_of(meeting: Meeting) -> QuerySet:
    return meeting.decisions.select_related("lead_unit", "task").prefetch_related("co_units")


def decisions_for(actor) -> QuerySet:
    return (
        Decision.objects.filter(meeting__in=meetings_for(actor).values("pk"))
        .select_related("meeting", "lead_unit", "task")
        .prefetch_related("co_units")
        .order_by("-meeting__starts_at", "id")
    )
