"""Mentoring requests and sessions, and the mentors proposed for a request, ranked."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Jurisdiction, Role
from chuangfu.core.scoping import scope_by_jurisdiction
from chuangfu.registry.industry import SECTIONS
from chuangfu.registry.models import Mentor

from ..models import MentoringRequest, MentoringSession
from .activities import can_manage


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
