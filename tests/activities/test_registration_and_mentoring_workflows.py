"""Registrations and mentoring as declared state machines: every status change goes through
``core.workflow.fire`` (one audit entry per transition, filed under the activity's or request's
town), Chinese labels, roles, and the offers/hold timing of the waiting list."""

import datetime
import pathlib
import re

import pytest
from django.utils import timezone

import chuangfu.activities
from chuangfu.activities import selectors
from chuangfu.activities.models import MentoringRequest, MentoringSession, Registration
from chuangfu.activities.models import RegistrationStatus as RS
from chuangfu.activities.services import checkins, mentoring, registrations
from chuangfu.activities.workflows import MENTORING_REQUEST, MENTORING_SESSION, REGISTRATION, RegistrantActor
from chuangfu.core.errors import DomainError
from chuangfu.core.models import AuditEntry, Role
from chuangfu.core.workflow import SYSTEM, fire
from chuangfu.registry.models import Mentor
from tests import factories

from . import builders

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def actions(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_the_machines_carry_the_chinese_labels():
    assert [str(label) for _, label in REGISTRATION.choices()] == [
        "待审核",
        "已确认",
        "候补中",
        "递补待确认",
        "已取消",
        "未通过审核",
        "递补已过期",
    ]
    assert [str(label) for _, label in MENTORING_REQUEST.choices()] == ["待安排", "已预约", "已完成", "已取消"]
    assert [str(label) for _, label in MENTORING_SESSION.choices()] == ["已预约", "已记录", "已取消"]
    # the machines and the model's choices agree
    assert {code for code, _ in REGISTRATION.choices()} == set(RS.values)
    assert {code for code, _ in MENTORING_REQUEST.choices()} == set(MentoringRequest.Status.values)
    assert {code for code, _ in MENTORING_SESSION.choices()} == set(MentoringSession.Status.values)


def test_no_service_assigns_a_status_field_by_hand():
    """Only ``fire`` changes a state: no ``.status =`` assignment left in the services (a new
    row's first status, set before it is saved, is decided in ``registration_create``)."""
    services = pathlib.Path(chuangfu.activities.__file__).parent / "services"
    offenders = []
    for path in services.glob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if re.search(r"\.status\s*=[^=]", line) or re.search(r"\.status,.*=", line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == [
        "registrations.py:{}: {}".format(*found) for found in _first_status_lines(services / "registrations.py")
    ]


def _first_status_lines(path):
    lines = path.read_text().splitlines()
    found = [
        (n, line.strip())
        for n, line in enumerate(lines, start=1)
        if re.search(r"\.status\s*=[^=]", line) or re.search(r"\.status,.*=", line)
    ]
    start = next(n for n, line in enumerate(lines, start=1) if line.startswith("def registration_create("))
    end = next(n for n, line in enumerate(lines, start=1) if n > start and line.startswith("def "))
    assert found and all(start < n < end for n, _ in found), "status assigned outside registration_create"
    return found


def test_waiting_list_promotion_is_audited_transition_by_transition():
    now = timezone.now()
    staff = builders.manager()
    act = builders.activity(actor=staff, capacity=1, now=now)
    first, second, third = (builders.register(act, now=now) for _ in range(3))
    registrations.registration_cancel(registration=first, now=now)  # the registrant, not logged in
    registrations.registration_expire_offers(activity=act, now=now + 13 * HOUR)
    third = registrations.registration_accept_offer(registration=third, now=now + 14 * HOUR)
    assert third.status == RS.CONFIRMED
    assert actions(first) == ["activities.registration.created", "activities.registration.withdraw"]
    assert actions(second) == [
        "activities.registration.created",
        "activities.registration.offer",
        "activities.registration.expire_offer",
    ]
    assert actions(third)[-2:] == ["activities.registration.offer", "activities.registration.accept_offer"]
    withdraw = AuditEntry.objects.get(action="activities.registration.withdraw")
    assert withdraw.actor is None and withdraw.actor_repr.startswith("报名人 ")  # the holder of the ticket link
    assert withdraw.jurisdiction_id == act.jurisdiction_id
    assert withdraw.before["status"] == RS.CONFIRMED and withdraw.after["status"] == RS.CANCELLED
    offer = AuditEntry.objects.filter(action="activities.registration.offer").first()
    assert offer.actor_repr == "系统" and offer.after["offer_expires_at"]


def test_approval_reject_staff_cancel_and_check_in_go_through_the_machine():
    staff = builders.manager()
    act = builders.activity(actor=staff, capacity=1, needs_approval=True, starts_in=2 * HOUR)
    first, second, third = (builders.register(act) for _ in range(3))
    assert first.status == RS.PENDING
    first = registrations.registration_approve(registration=first, actor=staff)
    second = registrations.registration_approve(registration=second, actor=staff)
    assert (first.status, second.status) == (RS.CONFIRMED, RS.WAITLISTED)
    registrations.registration_reject(registration=third, actor=staff, reason="不在服务范围")
    checked = checkins.registration_check_in(registration=first, actor=staff)
    again = checkins.registration_check_in(registration=first, actor=staff)
    assert (
        not checked.already and again.already and again.registration.checked_in_at == checked.registration.checked_in_at
    )
    with pytest.raises(DomainError, match="请填写取消原因"):
        registrations.registration_cancel(registration=second, actor=staff, by_staff=True, reason=" ")
    with pytest.raises(DomainError, match="需要填写说明"):
        fire(REGISTRATION, second, "cancel", actor=staff)
    registrations.registration_cancel(registration=second, actor=staff, by_staff=True, reason="本人电话取消")
    assert actions(first)[1:] == ["activities.registration.approve", "activities.registration.check_in"]
    assert actions(second)[1:] == ["activities.registration.approve_waitlisted", "activities.registration.cancel"]
    assert actions(third)[1:] == ["activities.registration.reject"]
    assert AuditEntry.objects.get(action="activities.registration.reject").note == "不在服务范围"
    with pytest.raises(DomainError, match="已签到的报名不能取消"):
        registrations.registration_cancel(registration=first, actor=staff, by_staff=True, reason="误操作")


def test_roles_decide_who_may_fire_each_registration_transition():
    act = builders.activity(capacity=1)
    confirmed, waiting = builders.register(act), builders.register(act)
    entrepreneur = factories.user(role=Role.ENTREPRENEUR)
    staff = builders.manager()
    names = lambda reg, actor: {t.name for t in REGISTRATION.available(reg, actor)}  # noqa: E731
    assert names(confirmed, staff) == {"cancel", "check_in"}
    assert names(confirmed, entrepreneur) == set()  # not their registration
    assert names(confirmed, RegistrantActor(confirmed)) == {"withdraw"}  # the holder of the ticket link
    assert names(waiting, SYSTEM) == {"offer"}
    with pytest.raises(DomainError, match="您的角色不能执行“递补名额”"):
        fire(REGISTRATION, waiting, "offer", actor=staff)  # seats are offered by the capacity rules, not by hand
    with pytest.raises(DomainError, match="您的角色不能执行“签到”"):
        fire(REGISTRATION, confirmed, "check_in", actor=entrepreneur, changes={"checked_in_at": timezone.now()})
    assert Registration.objects.get(pk=waiting.pk).status == RS.WAITLISTED
    assert Registration.objects.get(pk=confirmed.pk).checked_in_at is None


def test_a_logged_in_registrant_is_audited_as_themselves():
    user = factories.user(role=Role.ENTREPRENEUR, mobile="13611119999")
    act = builders.activity()
    registration = builders.register(act, user=user, mobile="13611119999")
    assert {t.name for t in REGISTRATION.available(registration, user)} == {"withdraw"}
    registrations.registration_cancel(registration=registration, actor=user)
    entry = AuditEntry.objects.get(action="activities.registration.withdraw")
    assert entry.actor == user
    # someone else logged in, holding the link, acts as the link holder
    other = builders.register(act)
    registrations.registration_cancel(registration=other, actor=builders.manager())
    assert AuditEntry.objects.filter(action="activities.registration.withdraw").order_by("id").last().actor is None


def test_mentoring_request_proposal_booking_record_and_rating_through_the_machines():
    staff = builders.manager()
    mentor_user = factories.user(role=Role.MENTOR)
    expert = Mentor.objects.create(
        name="林导师", expertise="融资", industries=["I"], jurisdiction=factories.town(), account=mentor_user
    )
    requester = factories.user(role=Role.ENTREPRENEUR)
    request = mentoring.mentoring_request_create(
        jurisdiction=factories.town(),
        topic="融资",
        description="天使轮",
        name="陈三",
        mobile="13611112222",
        requester=requester,
    )
    assert request.status == MentoringRequest.Status.OPEN
    assert selectors.mentor_proposals(request=request)[0].mentor == expert  # proposals while it waits
    assert {t.name for t in MENTORING_REQUEST.available(request, staff)} == {"book", "cancel"}
    assert MENTORING_REQUEST.available(request, requester) == []
    session = mentoring.mentoring_session_book(
        request=request, mentor=expert, actor=staff, mode="online", scheduled_at=timezone.now() + 24 * HOUR
    )
    assert MENTORING_SESSION.available(session, requester) == []  # nothing to rate before the record
    with pytest.raises(DomainError, match="导师记录辅导内容后才能评价"):
        mentoring.mentoring_session_rate(session=session, actor=requester, grade="satisfied")
    mentoring.mentoring_session_record(session=session, actor=mentor_user, notes="梳理了股权结构")
    session = MentoringSession.objects.get(pk=session.pk)
    assert [t.name for t in MENTORING_SESSION.available(session, requester)] == ["rate"]
    assert MENTORING_SESSION.available(session, factories.user(role=Role.ENTREPRENEUR)) == []
    mentoring.mentoring_session_rate(session=session, actor=requester, grade="very_satisfied", comment="很有帮助")
    with pytest.raises(DomainError, match="您已评价过本次辅导：非常满意"):
        mentoring.mentoring_session_rate(session=session, actor=requester, grade="dissatisfied")
    request.refresh_from_db()
    session.refresh_from_db()
    assert request.status == MentoringRequest.Status.DONE and session.grade == "very_satisfied"
    assert actions(request) == [
        "activities.mentoring_request.created",
        "activities.mentoring_request.book",
        "activities.mentoring_request.complete",
    ]
    assert actions(session) == ["activities.mentoring_session.record", "activities.mentoring_session.rate"]
    rated = AuditEntry.objects.get(action="activities.mentoring_session.rate")
    assert rated.actor == requester and rated.after["grade"] == "very_satisfied"
    assert rated.jurisdiction_id == request.jurisdiction_id


def test_cancelling_a_mentoring_request_cancels_its_booked_sessions():
    staff = builders.manager()
    expert = Mentor.objects.create(name="何导师", expertise="财税", jurisdiction=factories.town())
    request = mentoring.mentoring_request_create(
        jurisdiction=factories.town(), topic="财税", description="记账", name="陈三", mobile="13611112223"
    )
    session = mentoring.mentoring_session_book(
        request=request, mentor=expert, actor=staff, mode="clinic", scheduled_at=timezone.now() + 24 * HOUR
    )
    with pytest.raises(DomainError, match="请填写取消原因"):
        mentoring.mentoring_request_cancel(request=request, actor=staff, reason="")
    mentoring.mentoring_request_cancel(request=request, actor=staff, reason="本人已解决")
    request.refresh_from_db()
    session.refresh_from_db()
    assert request.status == MentoringRequest.Status.CANCELLED and session.status == MentoringSession.Status.CANCELLED
    assert actions(session) == ["activities.mentoring_session.cancel"]
    with pytest.raises(DomainError, match=r"该辅导申请已已取消|该辅导申请已取消"):
        mentoring.mentoring_session_book(
            request=request, mentor=expert, actor=staff, mode="clinic", scheduled_at=timezone.now() + 48 * HOUR
        )
