"""Registration, capacity and the waiting list with timed offers (services, controlled clock)."""

import datetime

import pytest
from django.utils import timezone

from chuangfu.activities import selectors
from chuangfu.activities.models import ActivityStatus, Audience, Registration
from chuangfu.activities.models import RegistrationStatus as RS
from chuangfu.activities.services import activities as activity_services
from chuangfu.activities.services import registrations
from chuangfu.core.errors import DomainError
from chuangfu.core.models import AuditEntry
from chuangfu.core.notifications.sms import LocmemSmsBackend

from . import builders

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def statuses(activity):
    return list(activity.registrations.order_by("id").values_list("status", flat=True))


def test_registrations_past_capacity_join_the_waiting_list_in_arrival_order():
    act = builders.activity(capacity=2)
    regs = [builders.register(act, name=f"报名人{i}") for i in range(5)]
    assert [r.status for r in regs] == [RS.CONFIRMED, RS.CONFIRMED, RS.WAITLISTED, RS.WAITLISTED, RS.WAITLISTED]
    assert [selectors.waitlist_rank(r) for r in regs[2:]] == [1, 2, 3]


def test_confirmation_sms_carries_the_ticket_link(django_capture_on_commit_callbacks):
    act = builders.activity(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        reg = builders.register(act, mobile="13812345678")
    mobile, text = LocmemSmsBackend.outbox[-1]
    assert mobile == "13812345678"
    assert "报名成功" in text and reg.manage_key in text


def test_same_mobile_cannot_register_twice_and_gets_a_clear_message():
    act = builders.activity()
    builders.register(act, mobile="13900001111")
    with pytest.raises(DomainError) as exc:
        builders.register(act, name="另一个名字", mobile="+86 139-0000-1111")
    assert exc.value.code == "duplicate_registration"
    assert "无需重复报名" in str(exc.value.message)
    assert act.registrations.count() == 1


def test_same_account_cannot_register_twice_with_another_mobile():
    from tests import factories

    user = factories.user(role="entrepreneur", mobile="13900002222")
    act = builders.activity()
    builders.register(act, user=user, mobile="13900002222")
    with pytest.raises(DomainError) as exc:
        builders.register(act, user=user, mobile="13900003333")
    assert exc.value.code == "duplicate_registration"


def test_cancelled_registrant_may_register_again_at_the_end_of_the_queue():
    act = builders.activity(capacity=1)
    first = builders.register(act, mobile="13900004444")
    registrations.registration_cancel(registration=first)
    again = builders.register(act, mobile="13900004444")
    assert again.status == RS.CONFIRMED


def test_registering_before_the_window_opens_is_refused():
    now = timezone.now()
    act = builders.activity(status=ActivityStatus.PUBLISHED, now=now, opens_before=datetime.timedelta(days=2))
    assert act.status == ActivityStatus.PUBLISHED
    with pytest.raises(DomainError) as exc:
        builders.register(act, now=now)
    assert exc.value.code == "registration_not_open"
    assert "报名尚未开始" in str(exc.value.message)


def test_registering_after_the_window_closes_is_refused():
    now = timezone.now()
    act = builders.activity(now=now, closes_before=datetime.timedelta(days=1))
    with pytest.raises(DomainError) as exc:
        builders.register(act, now=act.registration_closes_at + datetime.timedelta(minutes=1))
    assert exc.value.code == "registration_closed"
    assert act.registrations.count() == 0


def test_registering_for_a_cancelled_activity_is_refused():
    act = builders.activity(status=ActivityStatus.CANCELLED)
    with pytest.raises(DomainError) as exc:
        builders.register(act)
    assert exc.value.code == "activity_cancelled"
    assert "已取消" in str(exc.value.message)


def test_registering_for_a_draft_is_refused():
    act = builders.activity(status=ActivityStatus.DRAFT)
    with pytest.raises(DomainError) as exc:
        builders.register(act)
    assert exc.value.code == "activity_not_published"


def test_enterprise_only_activity_requires_the_enterprise():
    act = builders.activity(audience=Audience.ENTERPRISES)
    with pytest.raises(DomainError) as exc:
        builders.register(act)
    assert exc.value.code == "enterprise_required"
    reg = builders.register(act, enterprise_name="上海某某科技有限公司")
    assert reg.enterprise_name == "上海某某科技有限公司"


def test_invalid_mobile_is_refused_with_the_validators_message():
    act = builders.activity()
    with pytest.raises(DomainError) as exc:
        builders.register(act, mobile="12345")
    assert "手机号码格式不正确" in str(exc.value.message)


def test_required_and_conditional_questions_are_enforced():
    act = builders.activity()
    actor = builders.manager()
    company = activity_services.question_add(
        activity=act, actor=actor, text="是否已创业", kind="choice", choices="是\n否", required=True
    )
    size = activity_services.question_add(
        activity=act,
        actor=actor,
        text="员工人数",
        kind="number",
        required=True,
        show_if_question=company,
        show_if_answer="是",
    )
    with pytest.raises(DomainError, match="请回答：是否已创业"):
        builders.register(act, answers={})
    with pytest.raises(DomainError, match="请从选项中选择"):
        builders.register(act, answers={str(company.pk): "也许"})
    with pytest.raises(DomainError, match="请回答：员工人数"):
        builders.register(act, answers={str(company.pk): "是"})
    with pytest.raises(DomainError, match="请填写数字"):
        builders.register(act, answers={str(company.pk): "是", str(size.pk): "十二"})
    not_founder = builders.register(act, answers={str(company.pk): "否", str(size.pk): "99"})
    assert not_founder.answers == {str(company.pk): "否"}  # the hidden question's answer is dropped
    founder = builders.register(act, answers={str(company.pk): "是", str(size.pk): "12"})
    assert founder.answers == {str(company.pk): "是", str(size.pk): "12"}


def test_freed_seat_is_offered_to_the_next_in_line_and_held():
    now = timezone.now()
    act = builders.activity(capacity=1, now=now)
    first, second, third = (builders.register(act, now=now) for _ in range(3))
    registrations.registration_cancel(registration=first, now=now)
    second.refresh_from_db()
    assert second.status == RS.OFFERED
    assert second.offer_expires_at == now + 12 * HOUR
    third.refresh_from_db()
    assert third.status == RS.WAITLISTED and selectors.waitlist_rank(third) == 1
    # the offered seat still counts: a newcomer waits
    assert builders.register(act, now=now).status == RS.WAITLISTED


def test_accepting_an_offer_in_time_confirms_the_seat():
    now = timezone.now()
    act = builders.activity(capacity=1, now=now)
    first, second = builders.register(act, now=now), builders.register(act, now=now)
    registrations.registration_cancel(registration=first, now=now)
    accepted = registrations.registration_accept_offer(registration=second, now=now + 11 * HOUR)
    assert accepted.status == RS.CONFIRMED


def test_offer_not_accepted_in_time_passes_to_the_next_person():
    now = timezone.now()
    act = builders.activity(capacity=1, now=now)
    first, second, third = (builders.register(act, now=now) for _ in range(3))
    registrations.registration_cancel(registration=first, now=now)
    assert registrations.registration_expire_offers(activity=act, now=now + 11 * HOUR) == 0
    later = now + 12 * HOUR + datetime.timedelta(seconds=1)
    assert registrations.registration_expire_offers(activity=act, now=later) == 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RS.EXPIRED
    assert third.status == RS.OFFERED and third.offer_expires_at == later + 12 * HOUR
    with pytest.raises(DomainError) as exc:
        registrations.registration_accept_offer(registration=second, now=later)
    assert exc.value.code == "offer_expired"


def test_late_acceptance_is_refused_even_before_the_sweep_runs():
    now = timezone.now()
    act = builders.activity(capacity=1, now=now)
    first, second, third = (builders.register(act, now=now) for _ in range(3))
    registrations.registration_cancel(registration=first, now=now)
    with pytest.raises(DomainError) as exc:
        registrations.registration_accept_offer(registration=second, now=now + 13 * HOUR)
    assert exc.value.code == "offer_expired"
    third.refresh_from_db()
    assert third.status == RS.OFFERED


def test_periodic_sweep_expires_offers_of_every_activity():
    now = timezone.now()
    act = builders.activity(capacity=1, now=now)
    first, second = builders.register(act, now=now), builders.register(act, now=now)
    registrations.registration_cancel(registration=first, now=now)
    assert registrations.offers_expire_due(now=now + 13 * HOUR) == 1
    second.refresh_from_db()
    assert second.status == RS.EXPIRED


def test_offer_hold_never_runs_past_the_start():
    now = timezone.now()
    act = builders.activity(capacity=1, now=now, starts_in=5 * HOUR)
    first, second = builders.register(act, now=now), builders.register(act, now=now)
    registrations.registration_cancel(registration=first, now=now)
    second.refresh_from_db()
    assert second.offer_expires_at == act.starts_at


def test_leaving_the_waiting_list_keeps_the_order_of_the_others():
    act = builders.activity(capacity=1)
    regs = [builders.register(act) for _ in range(4)]
    registrations.registration_cancel(registration=regs[2])
    assert selectors.waitlist_rank(Registration.objects.get(pk=regs[1].pk)) == 1
    assert selectors.waitlist_rank(Registration.objects.get(pk=regs[3].pk)) == 2


def test_staff_move_on_the_waiting_list_needs_a_reason_and_is_logged():
    act = builders.activity(capacity=1)
    regs = [builders.register(act) for _ in range(4)]
    staff = builders.manager()
    with pytest.raises(DomainError, match="请填写调整候补顺序的原因"):
        registrations.waitlist_move(registration=regs[3], position=1, actor=staff, reason=" ")
    registrations.waitlist_move(registration=regs[3], position=1, actor=staff, reason="残疾人优先")
    ranks = [selectors.waitlist_rank(Registration.objects.get(pk=r.pk)) for r in regs[1:]]
    assert ranks == [2, 3, 1]
    entry = AuditEntry.objects.get(action="activities.registration.waitlist_moved")
    assert entry.note == "残疾人优先" and entry.before == {"rank": 3} and entry.after == {"rank": 1}


def test_waitlist_move_outside_the_list_is_refused():
    act = builders.activity(capacity=1)
    regs = [builders.register(act) for _ in range(3)]
    staff = builders.manager()
    with pytest.raises(DomainError, match="候补位置应在 1 到 2 之间"):
        registrations.waitlist_move(registration=regs[1], position=5, actor=staff, reason="调整")
    with pytest.raises(DomainError, match="不在候补名单"):
        registrations.waitlist_move(registration=regs[0], position=1, actor=staff, reason="调整")


def test_lowering_capacity_below_confirmed_is_refused_and_nothing_changes():
    act = builders.activity(capacity=3)
    for _ in range(3):
        builders.register(act)
    staff = builders.manager()
    values = builders.details(capacity=2)
    values.update(
        starts_at=act.starts_at,
        ends_at=act.ends_at,
        registration_opens_at=act.registration_opens_at,
        registration_closes_at=act.registration_closes_at,
        title="改过的标题",
    )
    with pytest.raises(DomainError) as exc:
        activity_services.activity_update(activity=act, actor=staff, details=values)
    assert exc.value.code == "capacity_below_confirmed"
    assert "已确认 3 人" in str(exc.value.message)
    act.refresh_from_db()
    assert act.capacity == 3 and act.title == "创业服务日"


def test_raising_capacity_offers_the_new_seats_to_the_waiting_list():
    now = timezone.now()
    act = builders.activity(capacity=1, now=now)
    regs = [builders.register(act, now=now) for _ in range(3)]
    values = builders.details(capacity=2)
    values.update(
        starts_at=act.starts_at,
        ends_at=act.ends_at,
        registration_opens_at=act.registration_opens_at,
        registration_closes_at=act.registration_closes_at,
    )
    activity_services.activity_update(activity=act, actor=builders.manager(), details=values, now=now)
    assert statuses(act) == [RS.CONFIRMED, RS.OFFERED, RS.WAITLISTED]
    assert regs[1].pk == act.registrations.get(status=RS.OFFERED).pk


def test_activity_needing_approval_keeps_registrations_pending_until_approved():
    act = builders.activity(capacity=1, needs_approval=True)
    first, second = builders.register(act), builders.register(act)
    assert [first.status, second.status] == [RS.PENDING, RS.PENDING]
    staff = builders.manager()
    assert registrations.registration_approve(registration=second, actor=staff).status == RS.CONFIRMED
    assert registrations.registration_approve(registration=first, actor=staff).status == RS.WAITLISTED
    with pytest.raises(DomainError, match="请填写不通过的原因"):
        registrations.registration_reject(registration=builders.register(act), actor=staff, reason="")


def test_reminder_goes_once_to_confirmed_registrants_the_day_before(django_capture_on_commit_callbacks):
    now = timezone.now()
    act = builders.activity(capacity=1, now=now, starts_in=datetime.timedelta(days=1, hours=0))
    confirmed = builders.register(act, now=now)
    builders.register(act, now=now)  # waitlisted: no reminder
    LocmemSmsBackend.outbox.clear()
    day_before = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(act.starts_at) - datetime.timedelta(days=1), datetime.time(9, 0))
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert registrations.reminders_send(now=day_before) == 1
        assert registrations.reminders_send(now=day_before + HOUR) == 0
    assert [m for m, _ in LocmemSmsBackend.outbox] == [confirmed.mobile]
    assert "活动提醒" in LocmemSmsBackend.outbox[0][1]
