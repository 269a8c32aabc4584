"""Reads shared by the pages and the API, scoped by the actor.

Staff see the activities of their jurisdiction; a unit liaison only those their unit
co-organises (or they created); a carrier operator only those hosted or held at a carrier
their unit operates (or they created). Anything else is "not found". The public sees every
activity that is not a draft.
"""

import datetime
import decimal
import zoneinfo
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Jurisdiction, Role
from chuangfu.core.scoping import scope_by_jurisdiction, visible_jurisdiction_ids
from chuangfu.core.search import bounded_query
from chuangfu.registry.industry import SECTIONS
from chuangfu.registry.models import Carrier, Mentor

from .models import (
    PUBLIC_STATUSES,
    SATISFIED_GRADES,
    Activity,
    ActivityStatus,
    ActivityType,
    Feedback,
    Grade,
    Hire,
    JobPosting,
    JudgeAssignment,
    MentoringRequest,
    MentoringSession,
    Registration,
    RegistrationStatus,
    Score,
)
from .workflows import MANAGER_ROLES

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
        qs = qs.filter(
            starts_at__gte=_month_start(filters.month), starts_at__lt=_month_start(_next_month(filters.month))
        )
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
    from chuangfu.core.models import User

    qs = User.objects.filter(is_active=True).exclude(role=Role.ENTREPRENEUR)
    ids = visible_jurisdiction_ids(actor)
    if ids is not None:
        qs = qs.filter(jurisdiction_id__in=ids)
    return qs.order_by("display_name", "username")


# --- public --------------------------------------------------------------------------------


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
        qs = qs.filter(
            starts_at__gte=_month_start(filters.month), starts_at__lt=_month_start(_next_month(filters.month))
        )
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


# --- registrations for staff ---------------------------------------------------------------


def registrations_of(activity: Activity, *, status: str = "") -> QuerySet:
    qs = activity.registrations.select_related("enterprise", "checked_in_by")
    if status == "attended":
        qs = qs.filter(checked_in_at__isnull=False)
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("waitlist_position", "created_at", "id") if status == RS.WAITLISTED else qs


def get_registration_for(actor, activity: Activity, pk) -> Registration:
    try:
        return activity.registrations.select_related("activity").get(pk=pk)
    except (Registration.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def checkin_search(activity: Activity, query: str) -> list[Registration]:
    """Find registrations by name (part of it), full mobile or ticket token."""
    from chuangfu.core.crypto import lookup_hash
    from chuangfu.core.identifiers import validate_mobile

    query = bounded_query(query)
    if not query:
        return []
    match = Q(name__icontains=query) | Q(qr_token=query)
    try:
        match |= Q(mobile_hash=lookup_hash(validate_mobile(query)))
    except ValidationError:  # not a mobile number: search by name and token only
        pass
    return list(activity.registrations.filter(match).order_by("name", "id")[:20])


# --- figures -------------------------------------------------------------------------------


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


def activity_consultations(activity: Activity, *, actor) -> dict | None:
    """Consultations raised at ``activity`` (desk tickets whose origin it is): counts by state
    for everyone who runs the activity, and the tickets themselves only as far as the desk lets
    ``actor`` see them (a unit liaison sees only their unit's). None without the desk."""
    if not desk_available():
        return None
    from chuangfu.desk import selectors as desk
    from chuangfu.desk.models import FINISHED_STATUSES, OPEN_STATUSES, Status

    counts = desk.origin_ticket_counts(Activity, [activity.pk]).get(activity.pk, {})
    visible = list(
        desk.tickets_with_origin(activity, actor=actor)
        .select_related("category", "lead_unit")
        .order_by("received_at", "id")
    )
    total = sum(n for status, n in counts.items() if status != Status.MERGED)
    return {
        "total": total,
        "open": sum(counts.get(s, 0) for s in OPEN_STATUSES),
        "answered": counts.get(Status.ANSWERED, 0),
        "closed": sum(counts.get(s, 0) for s in FINISHED_STATUSES),
        "tickets": visible,
        "hidden": max(total - sum(1 for t in visible if t.status != Status.MERGED), 0),
    }


DESK_APP = "chuangfu.desk"


def desk_available() -> bool:
    """Whether the desk is installed (activities work without it: no consultations then)."""
    return apps.is_installed(DESK_APP)


def consultation_counts(ids) -> dict[int, int]:
    """Consultations (desk tickets, duplicates merged away not counted) per activity id."""
    if not desk_available():
        return {}
    from chuangfu.desk import selectors as desk
    from chuangfu.desk.models import Status

    return {
        pk: sum(n for status, n in by_status.items() if status != Status.MERGED)
        for pk, by_status in desk.origin_ticket_counts(Activity, ids).items()
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
        qs = qs.filter(starts_at__gte=_month_start(since) if dimension == "month" else _day_start(since))
    if until:
        qs = qs.filter(starts_at__lt=_day_start(until + datetime.timedelta(days=1)))
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


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _month_start(day: datetime.date) -> datetime.datetime:
    return _day_start(day.replace(day=1))


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


# --- job postings --------------------------------------------------------------------------


def job_postings_for(actor) -> QuerySet:
    if not can_manage(actor):
        return JobPosting.objects.none()
    return (
        scope_by_jurisdiction(JobPosting.objects.select_related("enterprise", "activity"), actor)
        .annotate(
            interest_count=Count("interests", distinct=True),
            hire_count=Count("hires", distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def get_job_posting_for(actor, pk) -> JobPosting:
    try:
        return job_postings_for(actor).get(pk=pk)
    except (JobPosting.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def public_job_postings(*, town: int | None = None, activity: int | None = None) -> QuerySet:
    qs = JobPosting.objects.filter(closed_at__isnull=True).select_related("enterprise", "activity", "jurisdiction")
    if town:
        jurisdiction = Jurisdiction.objects.filter(pk=town).first()
        qs = qs.filter(jurisdiction__path__startswith=jurisdiction.path) if jurisdiction else qs.none()
    if activity:
        qs = qs.filter(activity_id=activity)
    return qs.annotate(hire_count=Count("hires")).order_by("-created_at", "-id")


def get_public_job_posting(pk) -> JobPosting:
    try:
        return JobPosting.objects.select_related("enterprise").get(pk=pk, closed_at__isnull=True)
    except (JobPosting.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


JOBS_DIMENSIONS = {"enterprise": "posting__enterprise__name", "activity": "posting__activity__title", "month": "month"}


def jobs_created(*, actor, dimension: str) -> list[dict]:
    """Jobs created (hires recorded) per enterprise, activity or month, in the actor's scope."""
    if dimension not in JOBS_DIMENSIONS:
        raise NotFound()
    hires = Hire.objects.filter(posting__in=job_postings_for(actor).values("pk"))
    if dimension == "month":
        hires = hires.annotate(month=TruncMonth("hired_on"))
    key = JOBS_DIMENSIONS[dimension]
    rows = hires.order_by().values(key).annotate(jobs=Count("id")).order_by(key)
    return [
        {"label": row[key].strftime("%Y-%m") if dimension == "month" and row[key] else row[key], "jobs": row["jobs"]}
        for row in rows
    ]


# --- mentoring -----------------------------------------------------------------------------


def mentoring_requests_for(actor) -> QuerySet:
    """Managers see their jurisdiction's requests; a mentor sees those booked with them."""
    qs = MentoringRequest.objects.select_related("enterprise", "jurisdiction")
    if can_manage(actor):
        return scope_by_jurisdiction(qs, actor)
    if getattr(actor, "is_authenticated", False) and actor.role == Role.MENTOR:
        return qs.filter(sessions__mentor__account=actor).distinct()
    return qs.none()


def get_mentoring_request_for(actor, pk) -> MentoringRequest:
    try:
        return mentoring_requests_for(actor).get(pk=pk)
    except (MentoringRequest.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def mentoring_sessions_for(actor) -> QuerySet:
    qs = MentoringSession.objects.select_related("request", "mentor", "request__jurisdiction")
    if can_manage(actor):
        return scope_by_jurisdiction(qs, actor, field="request__jurisdiction")
    if getattr(actor, "is_authenticated", False) and actor.role == Role.MENTOR:
        return qs.filter(mentor__account=actor)
    return qs.none()


def get_mentoring_session_for(actor, pk) -> MentoringSession:
    try:
        return mentoring_sessions_for(actor).get(pk=pk)
    except (MentoringSession.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def mentoring_requests_of_user(user) -> QuerySet:
    return MentoringRequest.objects.filter(requester=user).prefetch_related("sessions__mentor")


def get_own_session(user, pk) -> MentoringSession:
    try:
        return MentoringSession.objects.select_related("request", "mentor").get(pk=pk, request__requester=user)
    except (MentoringSession.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- competitions --------------------------------------------------------------------------


def assignments_of_judge(judge) -> QuerySet:
    return (
        JudgeAssignment.objects.filter(judge=judge)
        .select_related("entry", "entry__activity")
        .order_by("-entry__activity__starts_at", "entry_id")
    )


def get_assignment_of_judge(judge, pk) -> JudgeAssignment:
    try:
        return assignments_of_judge(judge).get(pk=pk)
    except (JudgeAssignment.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def own_scores(assignment: JudgeAssignment) -> dict[int, decimal.Decimal]:
    return dict(assignment.scores.values_list("criterion_id", "value"))


def entries_progress(activity: Activity) -> list[dict]:
    """Each entry with its judges and how many have submitted: no score values (blind)."""
    rows = []
    for entry in activity.entries.prefetch_related("assignments__judge"):
        assignments = list(entry.assignments.all())
        rows.append(
            {
                "entry": entry,
                "judges": [a.judge for a in assignments],
                "submitted": sum(1 for a in assignments if a.submitted_at),
                "assigned": len(assignments),
            }
        )
    return rows


def competition_ranking(activity: Activity) -> list[dict]:
    """Entries ranked by the mean of their judges' totals, with the mean per criterion.
    Only once scoring has closed: before that, scores are sealed."""
    if activity.scoring_closed_at is None:
        raise NotFound(gettext("评分截止后才能查看排名。"))
    criteria = list(activity.criteria.all())
    scores = Score.objects.filter(
        assignment__entry__activity=activity, assignment__submitted_at__isnull=False
    ).values_list("assignment__entry_id", "assignment_id", "criterion_id", "value")
    per_entry: dict[int, dict] = {}
    for entry_id, assignment_id, criterion_id, value in scores:
        data = per_entry.setdefault(entry_id, {"totals": {}, "criteria": {}})
        data["totals"][assignment_id] = data["totals"].get(assignment_id, 0) + value
        data["criteria"].setdefault(criterion_id, []).append(value)
    rows = []
    for entry in activity.entries.all():
        data = per_entry.get(entry.pk, {"totals": {}, "criteria": {}})
        totals = list(data["totals"].values())
        mean = sum(totals) / len(totals) if totals else None
        rows.append(
            {
                "entry": entry,
                "judges": len(totals),
                "mean": mean.quantize(decimal.Decimal("0.01")) if mean is not None else None,
                "criteria": [(c, _mean(data["criteria"].get(c.pk, []))) for c in criteria],
            }
        )
    rows.sort(key=lambda r: (r["mean"] is None, -(r["mean"] or 0), r["entry"].pk))
    for position, row in enumerate(rows, start=1):
        row["rank"] = position if row["mean"] is not None else None
    return rows


def _mean(values):
    return (sum(values) / len(values)).quantize(decimal.Decimal("0.01")) if values else None


# --- waiting lists and mentors proposed (reads the services share with the pages) ----------------


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


@dataclass
class Proposal:
    mentor: Mentor
    score: int
    reasons: list[str] = field(default_factory=list)
    bookable: bool = True


def _town_path(jurisdiction: Jurisdiction) -> str:
    return (jurisdiction.town or jurisdiction).path


def mentor_proposals(
    *, request: MentoringRequest, now: datetime.datetime | None = None, limit: int = 10
) -> list[Proposal]:
    """Mentors of the request's town (and of the district above it), ranked by fit, each with
    the reasons for its place.

    The fit of a mentor, highest first: industry (+3 when the mentor covers the requester's
    industry), topic (+2 for each of the mentor's specialities named in the topic or the
    question, at most two), service mode (+1 when the mentor offers the mode asked for), current
    load (−1 for each session already booked ahead). Mentors who take no bookings now are listed
    last with that reason and cannot be booked."""
    now = now or timezone.now()
    town_path = _town_path(request.jurisdiction)
    ancestors = town_path.split("/")
    mentors = (
        Mentor.objects.filter(Q(jurisdiction__path__startswith=town_path) | Q(jurisdiction__code__in=ancestors))
        .select_related("workstation")
        .annotate(
            load=Count(
                "sessions",
                filter=Q(sessions__status=MentoringSession.Status.SCHEDULED, sessions__scheduled_at__gte=now),
            )
        )
    )
    text = f"{request.topic} {request.description}"
    proposals = []
    for mentor in mentors:
        score, reasons = 0, []
        if request.industry_section and request.industry_section in (mentor.industries or []):
            score += 3
            reasons.append(gettext("擅长行业：%(industry)s") % {"industry": SECTIONS[request.industry_section][0]})
        matched = [item for item in mentor.expertise_list if item in text or request.topic in item][:2]
        if matched:
            score += 2 * len(matched)
            reasons.append(gettext("专长对口：%(items)s") % {"items": "、".join(matched)})
        if request.preferred_mode and request.preferred_mode in (mentor.service_modes or []):
            score += 1
            reasons.append(gettext("提供%(mode)s服务") % {"mode": Mentor.Mode(request.preferred_mode).label})
        if mentor.load:
            score -= mentor.load
            reasons.append(gettext("已有 %(n)d 次待辅导") % {"n": mentor.load})
        else:
            reasons.append(gettext("目前没有待辅导的安排"))
        if mentor.availability_note:
            reasons.append(gettext("可预约时间：%(note)s") % {"note": mentor.availability_note})
        if mentor.workstation_id:
            reasons.append(gettext("所属工作站：%(name)s") % {"name": mentor.workstation.name})
        proposal = Proposal(mentor=mentor, score=score, reasons=reasons, bookable=mentor.available)
        if not mentor.available:
            proposal.reasons.insert(0, gettext("暂停预约"))
        proposals.append(proposal)
    proposals.sort(key=lambda p: (not p.bookable, -p.score, p.mentor.load, p.mentor.name))
    return proposals[:limit]
