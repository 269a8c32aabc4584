"""Mentoring (创业导师指导工作站): a request on a topic, a booked session with one of the mentors
proposed by fit (``selectors.mentor_proposals``), its record and the requester's rating.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Jurisdiction
from chuangfu.core.notifications import Message, send_on_commit
from chuangfu.core.workflow import fire
from chuangfu.registry.industry import SECTIONS
from chuangfu.registry.models import Enterprise, Mentor

from ..models import Grade, MentoringRequest, MentoringSession
from ..workflows import MENTORING_REQUEST, MENTORING_SESSION
from ._common import clean_mobile, clean_text

MR = MentoringRequest.Status
MS = MentoringSession.Status


def _fire(machine, obj, name: str, *, actor, note: str = "", **changes):
    """Every status change of a mentoring request or session: ``fire`` on its machine, audited
    under the request's jurisdiction."""
    jurisdiction = obj.jurisdiction_id if isinstance(obj, MentoringRequest) else obj.request.jurisdiction_id
    return fire(machine, obj, name, actor=actor, note=note, changes=changes, jurisdiction=jurisdiction)


def mentoring_request_create(
    *,
    jurisdiction: Jurisdiction,
    topic: str,
    description: str,
    name: str,
    mobile: str,
    requester=None,
    actor=None,
    industry_section: str = "",
    preferred_mode: str = "",
    enterprise: Enterprise | None = None,
    activity=None,
) -> MentoringRequest:
    """An entrepreneur (or staff for them) asks for mentoring on ``topic``."""
    topic = clean_text(topic, label=_("咨询主题"), max_length=64)
    description = clean_text(description, label=_("具体问题"), max_length=2000)
    name = clean_text(name, label=_("姓名"), max_length=64)
    mobile = clean_mobile(mobile)
    if industry_section and industry_section not in SECTIONS:
        raise DomainError("bad_industry", _("请选择行业门类。"))
    if preferred_mode and preferred_mode not in Mentor.Mode.values:
        raise DomainError("bad_mode", _("请选择服务方式。"))
    if jurisdiction is None or jurisdiction.level == Jurisdiction.Level.DISTRICT:
        raise DomainError("bad_jurisdiction", _("请选择所在的镇（街道）。"))
    with transaction.atomic():
        request = MentoringRequest.objects.create(
            jurisdiction=jurisdiction,
            requester=requester,
            person=getattr(requester, "person", None) if requester else None,
            enterprise=enterprise,
            name=name,
            mobile=mobile,
            topic=topic,
            industry_section=industry_section,
            preferred_mode=preferred_mode,
            description=description,
            activity=activity,
        )
        log_action(
            actor=actor or requester,
            action="activities.mentoring_request.created",
            obj=request,
            after={"topic": topic, "industry_section": industry_section, "preferred_mode": preferred_mode},
        )
    return request


def mentoring_session_book(
    *,
    request: MentoringRequest,
    mentor: Mentor,
    scheduled_at: datetime.datetime,
    mode: str,
    actor,
    place: str = "",
    now: datetime.datetime | None = None,
) -> MentoringSession:
    """Book a session with ``mentor``; the mentor and the requester are told."""
    now = now or timezone.now()
    place = clean_text(place, label=_("地点/方式说明"), max_length=128, required=False)
    if mode not in Mentor.Mode.values:
        raise DomainError("bad_mode", _("请选择服务方式。"))
    if scheduled_at is None or scheduled_at <= now:
        raise DomainError("past_time", _("辅导时间必须晚于现在。"))
    if not mentor.available:
        raise DomainError("mentor_unavailable", _("该导师暂停预约，请选择其他导师。"), status=409)
    with transaction.atomic():
        request = MentoringRequest.objects.select_for_update().get(pk=request.pk)
        if request.status not in (MR.OPEN, MR.BOOKED):
            raise DomainError(
                "request_closed", _("该辅导申请已%(s)s。") % {"s": request.get_status_display()}, status=409
            )
        session = MentoringSession.objects.create(
            request=request, mentor=mentor, scheduled_at=scheduled_at, mode=mode, place=place, booked_by=actor
        )
        request = _fire(MENTORING_REQUEST, request, "book", actor=actor, note=str(mentor))
        when = timezone.localtime(scheduled_at).strftime("%Y-%m-%d %H:%M")
        if mentor.account_id:
            send_on_commit(
                Message(
                    title=_("新的辅导预约"),
                    body=_("%(when)s，%(topic)s（%(mode)s）")
                    % {"when": when, "topic": request.topic, "mode": session.get_mode_display()},
                    user=mentor.account,
                    link=reverse("activities:mentoring_session", args=[session.pk]),
                )
            )
        send_on_commit(
            Message(
                title=_("导师辅导已预约"),
                body=_("%(mentor)s 导师，%(when)s，%(mode)s %(place)s")
                % {"mentor": mentor.name, "when": when, "mode": session.get_mode_display(), "place": place},
                user=request.requester,
                mobile=request.mobile,
            )
        )
    return session


def mentoring_session_record(
    *, session: MentoringSession, actor, notes: str, follow_ups: str = "", now: datetime.datetime | None = None
) -> MentoringSession:
    """The mentor (or staff) records what was discussed and what follows; the requester is
    then invited to rate the session."""
    notes = clean_text(notes, label=_("辅导记录"), max_length=5000)
    follow_ups = clean_text(follow_ups, label=_("后续跟进事项"), max_length=2000, required=False)
    now = now or timezone.now()
    with transaction.atomic():
        session = MentoringSession.objects.select_for_update().select_related("request").get(pk=session.pk)
        if session.status != MS.SCHEDULED:
            raise DomainError("not_scheduled", _("该辅导已%(s)s。") % {"s": session.get_status_display()}, status=409)
        request = session.request
        session = _fire(
            MENTORING_SESSION, session, "record", actor=actor, notes=notes, follow_ups=follow_ups, recorded_at=now
        )
        if request.status == MR.BOOKED and not request.sessions.filter(status=MS.SCHEDULED).exists():
            _fire(MENTORING_REQUEST, request, "complete", actor=actor)
        send_on_commit(
            Message(
                title=_("请为导师辅导评价"),
                body=_("%(mentor)s 导师的辅导已记录，请为本次辅导评价。") % {"mentor": session.mentor.name},
                user=request.requester,
                link=reverse("events:mentoring_rate", args=[session.pk]),
            )
        )
    return session


def mentoring_session_rate(
    *, session: MentoringSession, actor, grade: str, comment: str = "", now: datetime.datetime | None = None
) -> MentoringSession:
    """The requester rates a recorded session, once."""
    if grade not in Grade.values:
        raise DomainError("bad_grade", _("请选择评价等级。"))
    comment = clean_text(comment, label=_("评价意见"), max_length=500, required=False)
    with transaction.atomic():
        session = MentoringSession.objects.select_for_update().select_related("request").get(pk=session.pk)
        if session.request.requester_id != getattr(actor, "pk", None):
            raise DomainError("not_requester", _("只有提出申请的人可以评价。"), status=403)
        if session.status != MS.RECORDED:
            raise DomainError("not_recorded", _("导师记录辅导内容后才能评价。"), status=409)
        if session.grade:
            raise DomainError(
                "already_rated", _("您已评价过本次辅导：%(g)s。") % {"g": session.get_grade_display()}, status=409
            )
        session = _fire(
            MENTORING_SESSION,
            session,
            "rate",
            actor=actor,
            grade=grade,
            rating_comment=comment,
            rated_at=now or timezone.now(),
        )
    return session


def mentoring_request_cancel(*, request: MentoringRequest, actor, reason: str) -> MentoringRequest:
    reason = clean_text(reason, label=_("取消原因"), max_length=255)
    with transaction.atomic():
        request = MentoringRequest.objects.select_for_update().get(pk=request.pk)
        if request.status in (MR.DONE, MR.CANCELLED):
            raise DomainError(
                "request_closed", _("该辅导申请已%(s)s。") % {"s": request.get_status_display()}, status=409
            )
        for session in request.sessions.filter(status=MS.SCHEDULED).select_related("request"):
            _fire(MENTORING_SESSION, session, "cancel", actor=actor, note=reason)
        request = _fire(MENTORING_REQUEST, request, "cancel", actor=actor, note=reason)
    return request
