"""The ticket's state machine: each flow as the roles would take it, and the refusals."""

import datetime as dt

import pytest
from django.conf import settings

from chuangfu.core.audit import history_for
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from chuangfu.core.notifications.sms import LocmemSmsBackend
from chuangfu.core.workdays import add_working_days, working_days_between
from chuangfu.desk import services
from chuangfu.desk.models import Status, Ticket, TicketAssignment
from chuangfu.desk.workflows import TICKET
from tests import factories

pytestmark = pytest.mark.django_db


def act(ticket, name, actor, note="", **inputs):
    return services.ticket_transition(ticket=ticket, actor=actor, name=name, note=note, inputs=inputs)


def names(ticket, actor):
    return {t.name for t in TICKET.available(Ticket.objects.get(pk=ticket.pk), actor)}


def test_the_main_line_from_receipt_to_revisit_with_a_timeline(make_ticket, desk, liaison, market):
    ticket = make_ticket()
    assert ticket.status == Status.RECEIVED and TICKET.label(ticket.status) == "已受理"
    ticket = act(ticket, "dispatch", desk, unit=market)
    assert (ticket.status, ticket.lead_unit, ticket.first_handler) == (Status.DISPATCHED, market, desk)
    ticket = act(ticket, "accept", liaison)
    assert ticket.status == Status.ACCEPTED and ticket.assignments.get().accepted_in_time is True
    ticket = act(ticket, "start", liaison)
    ticket = act(ticket, "answer", liaison, note="符合条件，请携带材料到受理中心办理。")
    assert ticket.status == Status.ANSWERED and ticket.answered_in_time is True
    assert ticket.answer.startswith("符合条件") and ticket.answered_by_unit == market
    ticket = act(ticket, "close", desk)
    ticket = act(ticket, "revisit", desk, outcome="satisfied", note="诉求人表示满意")
    assert ticket.status == Status.REVISITED and ticket.revisit_outcome == "satisfied"
    labels = [e.label for e in ticket.events.order_by("at", "id")]
    assert labels == ["受理", "派单", "签收", "开始办理", "答复", "办结", "回访"]
    assert all(e.actor_repr for e in ticket.events.all())
    actions = [a.action for a in history_for(ticket)]
    assert "desk.ticket.dispatch" in actions and "desk.ticket.answer" in actions


def test_each_role_is_offered_only_what_it_may_fire(make_ticket, desk, liaison, leader, market):
    ticket = make_ticket()
    assert names(ticket, desk) == {"dispatch", "answer_directly", "merge", "comment"}
    assert names(ticket, liaison) == set()
    assert names(ticket, leader) == {"supervise", "comment"}
    ticket = act(ticket, "dispatch", desk, unit=market)
    assert names(ticket, liaison) == {"accept", "return", "reply", "comment"}
    assert "accept" not in names(ticket, desk)


def test_a_role_that_may_not_fire_a_transition_gets_a_clear_refusal(make_ticket, desk, liaison, leader, market):
    ticket = make_ticket()
    with pytest.raises(DomainError) as exc:
        act(ticket, "dispatch", liaison, unit=market)
    assert exc.value.status == 409 and "您的角色不能执行“派单”" in str(exc.value.message)
    ticket = act(ticket, "dispatch", desk, unit=market)
    with pytest.raises(DomainError) as exc:
        act(ticket, "accept", desk)
    assert "您的角色不能执行“签收”" in str(exc.value.message)
    with pytest.raises(DomainError) as exc:
        act(ticket, "supervise", desk, note="快办")
    assert "您的角色不能执行“督办”" in str(exc.value.message)
    with pytest.raises(DomainError) as exc:
        act(ticket, "close", desk)
    assert "当前状态为“已派单”，不能执行“办结”" in str(exc.value.message)
    assert Ticket.objects.get(pk=ticket.pk).status == Status.DISPATCHED


def test_a_liaison_acts_only_for_their_own_unit(make_ticket, desk, co_liaison, market):
    ticket = act(make_ticket(), "dispatch", desk, unit=market)
    with pytest.raises(DomainError) as exc:
        act(ticket, "accept", co_liaison)
    assert "只有主办单位的联络员" in str(exc.value.message)


def test_a_note_is_required_where_the_requester_or_the_desk_needs_a_reason(make_ticket, desk, liaison, market):
    ticket = act(make_ticket(), "dispatch", desk, unit=market)
    with pytest.raises(DomainError) as exc:
        act(ticket, "return", liaison, note="  ")
    assert "需要填写说明" in str(exc.value.message)


def test_desk_of_another_town_cannot_touch_the_ticket(make_ticket, other_desk, other_unit):
    ticket = make_ticket()
    with pytest.raises(DomainError) as exc:
        act(ticket, "answer_directly", other_desk, note="答复")
    assert "不在您的管辖范围内" in str(exc.value.message)


def test_dispatch_refuses_a_unit_of_another_town(make_ticket, desk, other_unit):
    with pytest.raises(DomainError) as exc:
        act(make_ticket(), "dispatch", desk, unit=other_unit)
    assert "本镇" in str(exc.value.message)
    assert Ticket.objects.get().status == Status.RECEIVED


def test_the_desk_answers_directly_and_the_requester_gets_the_answer_and_a_rating_link_at_closing(
    make_ticket, desk, centre, django_capture_on_commit_callbacks
):
    ticket = make_ticket(requester_mobile="13912345678")
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = act(ticket, "answer_directly", desk, note="一次性创业补贴申请条件见附件说明。")
    assert ticket.status == Status.ANSWERED and ticket.answered_by_unit == centre and ticket.first_handler == desk
    with django_capture_on_commit_callbacks(execute=True):
        ticket = act(ticket, "close", desk)
    mobile, text = LocmemSmsBackend.outbox[-1]
    assert mobile == "13912345678" and ticket.number in text and "一次性创业补贴申请条件" in text
    assert f"{settings.PUBLIC_BASE_URL}/service/rate/" in text and settings.PUBLIC_BASE_URL.startswith("http")


def test_the_units_answer_reaches_the_requester_only_when_the_desk_closes_the_ticket(
    make_ticket, desk, liaison, market, django_capture_on_commit_callbacks
):
    ticket = act(act(make_ticket(requester_mobile="13912345679"), "dispatch", desk, unit=market), "accept", liaison)
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = act(ticket, "answer", liaison, note="请先去税务窗口")
        ticket = act(ticket, "reopen", desk, note="答复不完整，请说明补贴申请条件")
        ticket = act(ticket, "answer", liaison, note="符合条件，可申请一次性创业补贴")
    assert [m for m, _ in LocmemSmsBackend.outbox if m == "13912345679"] == []
    with django_capture_on_commit_callbacks(execute=True):
        act(ticket, "close", desk)
    texts = [t for m, t in LocmemSmsBackend.outbox if m == "13912345679"]
    assert len(texts) == 1 and "符合条件，可申请一次性创业补贴" in texts[0] and "请先去税务窗口" not in texts[0]


def test_return_is_reviewed_by_the_desk_and_can_be_refused_or_redispatched(
    make_ticket, desk, liaison, co_liaison, market, league
):
    ticket = act(make_ticket(), "dispatch", desk, unit=market)
    ticket = act(ticket, "return", liaison, note="不属于本单位职责")
    assert ticket.status == Status.RETURNED and ticket.return_count == 1
    assert ticket.events.get(action="return").public is False
    ticket = act(ticket, "return_reject", desk, note="属于市场监管所职责，请办理")
    assert ticket.status == Status.DISPATCHED and ticket.lead_unit == market
    ticket = act(ticket, "accept", liaison)
    ticket = act(ticket, "return", liaison, note="确实不是本单位")
    ticket = act(ticket, "dispatch", desk, unit=league)
    assert ticket.status == Status.DISPATCHED and ticket.lead_unit == league and ticket.return_count == 2
    assert ticket.accept_due == add_working_days(dt.date.today(), ticket.category.accept_days)
    ticket = act(ticket, "accept", co_liaison)
    assert ticket.status == Status.ACCEPTED


def test_reassign_moves_the_ticket_to_another_unit(make_ticket, desk, liaison, co_liaison, market, league):
    ticket = act(make_ticket(), "dispatch", desk, unit=market)
    ticket = act(ticket, "accept", liaison)
    ticket = act(ticket, "reassign", desk, note="涉及青年创业，转团委", unit=league)
    assert ticket.status == Status.DISPATCHED and ticket.lead_unit == league
    with pytest.raises(DomainError):
        act(ticket, "start", liaison)
    assert act(ticket, "accept", co_liaison).status == Status.ACCEPTED
    lead = ticket.assignments.filter(role=TicketAssignment.Role.LEAD)
    assert set(lead.values_list("unit__name", "state")) == {("市场监管所", "withdrawn"), ("团委", "accepted")}


def test_extension_is_asked_by_the_unit_approved_by_a_leader_and_told_to_the_requester(
    make_ticket, desk, liaison, leader, market, django_capture_on_commit_callbacks
):
    ticket = act(make_ticket(), "dispatch", desk, unit=market)
    ticket = act(ticket, "accept", liaison)
    due = ticket.answer_due
    with pytest.raises(DomainError) as exc:
        act(ticket, "request_extension", liaison, note="需要实地核查", days=30)
    assert "1–15" in str(exc.value.message)
    ticket = act(ticket, "request_extension", liaison, note="需要实地核查经营场所", days=3)
    assert "request_extension" not in names(ticket, liaison)
    with pytest.raises(DomainError):
        act(ticket, "approve_extension", liaison)
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = act(ticket, "approve_extension", leader, note="同意")
    assert ticket.answer_due == add_working_days(due, 3) and ticket.extension_days == 3
    assert ticket.extension_pending_days is None
    text = LocmemSmsBackend.outbox[0][1]
    assert "需要实地核查经营场所" in text and "延长 3 个工作日" in text
    assert "需要实地核查经营场所" in ticket.events.get(action="approve_extension").public_note


def test_refused_extension_leaves_the_deadline(make_ticket, desk, liaison, market):
    ticket = act(act(act(make_ticket(), "dispatch", desk, unit=market), "accept", liaison), "start", liaison)
    due = ticket.answer_due
    ticket = act(ticket, "request_extension", liaison, note="材料多", days=2)
    ticket = act(ticket, "reject_extension", desk, note="请按期答复")
    assert ticket.answer_due == due and ticket.extension_pending_days is None


def test_suspension_pauses_the_clock_by_the_working_days_spent_waiting(make_ticket, desk, liaison, market):
    ticket = act(act(make_ticket(), "dispatch", desk, unit=market), "accept", liaison)
    due = ticket.answer_due
    ticket = act(ticket, "suspend", liaison, note="请补充营业执照复印件")
    assert ticket.status == Status.SUSPENDED and ticket.paused_since == dt.date.today()
    assert "answer" not in names(ticket, liaison)
    since = dt.date.today() - dt.timedelta(days=7)
    Ticket.objects.filter(pk=ticket.pk).update(paused_since=since)  # as if suspended a week ago
    ticket = act(ticket, "resume", liaison)
    spent = working_days_between(since, dt.date.today())
    assert spent >= 4
    assert ticket.status == Status.IN_PROGRESS and ticket.paused_since is None
    assert ticket.paused_days == spent and ticket.answer_due == add_working_days(due, spent)


def test_a_leader_supervises_and_the_unit_is_told(
    make_ticket, desk, liaison, leader, market, django_capture_on_commit_callbacks
):
    ticket = act(make_ticket(), "dispatch", desk, unit=market)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = act(ticket, "supervise", leader, note="请两日内办结")
    assert ticket.supervised and ticket.status == Status.DISPATCHED
    assert liaison.notifications.filter(title="工单被督办").exists()
    with pytest.raises(DomainError):
        act(ticket, "supervise", liaison, note="x")


def test_the_lead_cannot_answer_while_a_co_handler_is_open(make_ticket, desk, liaison, co_liaison, market, league):
    ticket = act(make_ticket(), "dispatch", desk, unit=market, co_units=[league])
    ticket = act(act(ticket, "accept", liaison), "start", liaison)
    with pytest.raises(DomainError) as exc:
        act(ticket, "answer", liaison, note="答复")
    assert "协办单位（团委）尚未反馈" in str(exc.value.message)
    assert names(ticket, co_liaison) == {"co_accept", "co_return", "comment"}
    ticket = act(ticket, "co_accept", co_liaison)
    with pytest.raises(DomainError):
        act(ticket, "co_answer", liaison, note="不是协办单位")
    ticket = act(ticket, "co_answer", co_liaison, note="团委可提供创业导师对接")
    co = ticket.assignments.get(unit=league)
    assert co.state == TicketAssignment.State.ANSWERED and "创业导师" in co.answer
    ticket = act(ticket, "answer", liaison, note="已答复，团委将对接创业导师")
    assert ticket.status == Status.ANSWERED


def test_a_co_handler_returns_its_part_with_a_reason_and_the_desk_decides(
    make_ticket, desk, liaison, co_liaison, market, league, django_capture_on_commit_callbacks
):
    ticket = act(make_ticket(), "dispatch", desk, unit=market, co_units=[league])
    ticket = act(act(ticket, "accept", liaison), "start", liaison)
    with pytest.raises(DomainError) as exc:
        act(ticket, "co_return", co_liaison)
    assert exc.value.code == "note_required"
    with pytest.raises(DomainError):
        act(ticket, "co_return", liaison, note="主办单位不能退协办")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = act(ticket, "co_return", co_liaison, note="不属于团委职责，建议由妇联协办")
    co = ticket.assignments.get(unit=league, role="co")
    assert co.state == TicketAssignment.State.RETURNED and ticket.status == Status.IN_PROGRESS
    event = ticket.events.get(action="co_return")
    assert "不属于团委职责" in event.note and not event.public
    assert desk.notifications.filter(title="协办任务被退回").exists()
    assert liaison.notifications.filter(title="协办任务被退回").exists()
    assert names(ticket, co_liaison) == set()  # its part is over: nothing left to fire, not even a note
    ticket = act(ticket, "answer", liaison, note="已答复")  # a returned part no longer holds the lead
    assert ticket.status == Status.ANSWERED
    # The desk may send the part back to the same unit (驳回) — it is active again.
    ticket = act(
        act(make_ticket(), "dispatch", desk, unit=market, co_units=[league]),
        "co_return",
        co_liaison,
        note="不属于团委职责",
    )
    ticket = act(ticket, "co_assign", desk, co_units=[league], note="仍请团委协办：涉及青年创业")
    assert ticket.assignments.filter(unit=league, state=TicketAssignment.State.PENDING).exists()


def test_merging_a_duplicate_keeps_both_histories_and_answers_both_requesters(
    make_ticket, desk, liaison, market, django_capture_on_commit_callbacks
):
    primary = make_ticket(requester_mobile="13911110001")
    duplicate = make_ticket(requester_mobile="13911110002", description="一次性创业补贴怎么申请？")
    with pytest.raises(DomainError):
        act(duplicate, "merge", desk)
    duplicate = act(duplicate, "merge", desk, target=primary, note="同一事项")
    assert duplicate.status == Status.MERGED and duplicate.merged_into == primary
    assert "merge" not in names(duplicate, desk) and not names(duplicate, desk) - {"comment"}
    from chuangfu.desk.selectors import timeline

    events = timeline(ticket=primary, include_internal=True)
    assert {e.subject_id for e in events} == {primary.pk, duplicate.pk}
    assert [e.action for e in duplicate.events.order_by("id")] == ["submitted", "merge"]
    primary = act(act(act(primary, "dispatch", desk, unit=market), "accept", liaison), "start", liaison)
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(act(primary, "answer", liaison, note="请于本周到受理中心办理"), "close", desk)
    recipients = [m for m, _ in LocmemSmsBackend.outbox]
    assert "13911110001" in recipients and "13911110002" in recipients


def test_merge_refuses_a_ticket_of_another_town(make_ticket, desk, other_town):
    from chuangfu.desk.models import Category

    ticket = make_ticket()
    elsewhere = make_ticket(
        jurisdiction=other_town, category=Category.objects.get(jurisdiction=other_town, name="其他")
    )
    with pytest.raises(DomainError) as exc:
        act(ticket, "merge", desk, target=elsewhere)
    assert "本镇" in str(exc.value.message)


def test_reopen_sends_a_weak_answer_back_to_the_unit(make_ticket, desk, liaison, market):
    ticket = act(act(act(make_ticket(), "dispatch", desk, unit=market), "accept", liaison), "start", liaison)
    ticket = act(ticket, "answer", liaison, note="已处理")
    ticket = act(ticket, "reopen", desk, note="答复过于简单，请说明办理条件")
    assert ticket.status == Status.IN_PROGRESS and ticket.answered_at is None


def test_internal_notes_stay_internal_and_replies_reach_the_requester(
    make_ticket, desk, liaison, market, django_capture_on_commit_callbacks
):
    ticket = act(make_ticket(requester_mobile="13922223333"), "dispatch", desk, unit=market)
    ticket = act(ticket, "comment", liaison, note="该企业去年已领过补贴")
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = act(ticket, "reply", liaison, note="正在核实您的参保记录")
    note, reply = ticket.events.get(action="comment"), ticket.events.get(action="reply")
    assert note.public is False and reply.public is True and reply.public_note == "正在核实您的参保记录"
    assert LocmemSmsBackend.outbox == [("13922223333", f"【创服】办理进展：工单 {ticket.number}：正在核实您的参保记录")]


def test_an_unrelated_liaison_cannot_even_add_a_note(make_ticket, desk, co_liaison, market):
    ticket = act(make_ticket(), "dispatch", desk, unit=market)
    with pytest.raises(DomainError):
        act(ticket, "comment", co_liaison, note="x")


def test_entrepreneurs_and_other_roles_fire_nothing(make_ticket, town):
    ticket = make_ticket()
    for role in (Role.ENTREPRENEUR, Role.REVIEWER, Role.MENTOR, Role.CARRIER_OPERATOR):
        assert names(ticket, factories.user(role, town)) == set()


def test_a_poor_rating_loop_rectify_then_revisit_and_the_appeal_rules(
    make_ticket, desk, liaison, co_liaison, leader, market
):
    ticket = act(
        act(act(make_ticket(), "dispatch", desk, unit=market), "accept", liaison), "answer", liaison, note="不符合条件"
    )
    ticket = act(ticket, "close", desk)
    services.rating_submit(ticket=ticket, grade=1, comment="态度差")
    with pytest.raises(DomainError) as exc:
        act(ticket, "revisit", desk, outcome="satisfied")
    assert "整改尚未完成" in str(exc.value.message)
    with pytest.raises(DomainError):
        act(ticket, "rectify", co_liaison, note="不是我们")
    with pytest.raises(DomainError):
        act(ticket, "appeal", co_liaison, note="不是我们")
    act(ticket, "appeal", liaison, note="诉求人对政策本身不满，并非服务问题")
    with pytest.raises(DomainError) as exc:
        act(ticket, "appeal", liaison, note="再申诉")
    assert "已经申诉过" in str(exc.value.message)
    with pytest.raises(DomainError):
        act(ticket, "dismiss_appeal", desk, note="x")
    act(ticket, "dismiss_appeal", leader, note="评价如实，维持")
    assert "dismiss_appeal" not in names(ticket, leader) and "exclude_rating" in names(ticket, leader)
    act(ticket, "rectify", liaison, note="已重新解释政策并致歉")
    ticket = act(ticket, "revisit", desk, outcome="basic", note="基本满意")
    assert ticket.rectification.state == "closed" and ticket.rating.excluded is False
    assert "revisit" not in names(ticket, desk)


def test_staff_hear_by_in_app_message_sms_and_e_mail(
    make_ticket, desk, leader, market, town, django_capture_on_commit_callbacks, mailoutbox
):
    reachable = factories.user(Role.UNIT_LIAISON, town, market, email="liaison@example.cn", mobile="13700007777")
    ticket = act(make_ticket(), "dispatch", desk, unit=market)
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(ticket, "supervise", leader, note="请今天内回复")
    assert reachable.notifications.filter(title="工单被督办").exists()
    assert any(m == "13700007777" and "被督办" in text for m, text in LocmemSmsBackend.outbox)
    assert [m.to for m in mailoutbox] == [["liaison@example.cn"]] and ticket.number in mailoutbox[0].body
