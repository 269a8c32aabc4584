"""One state-change pipeline: every transition of a ticket, of a unit's assignment and of a 差评's
rectification goes through ``core.workflow.fire`` — one audit entry per changed row, one timeline
event per ticket transition (in ``core.TimelineEvent``), nothing assigned by hand."""

import pytest

from chuangfu.core.audit import history_for
from chuangfu.core.errors import DomainError
from chuangfu.core.models import AuditEntry, TimelineEvent
from chuangfu.core.timeline import events_for
from chuangfu.core.workflow import SYSTEM, fire
from chuangfu.desk import services
from chuangfu.desk.models import Rectification, Ticket, TicketAssignment
from chuangfu.desk.workflows import ASSIGNMENT, RECTIFICATION, TICKET

pytestmark = pytest.mark.django_db
A = TicketAssignment


def test_a_transition_writes_one_audit_entry_and_one_timeline_event(make_ticket, desk, market):
    ticket = make_ticket()
    events, entries = TimelineEvent.objects.count(), AuditEntry.objects.filter(action="desk.ticket.dispatch").count()
    ticket = services.ticket_dispatch(ticket=ticket, actor=desk, unit=market, note="请尽快办理")
    assert TimelineEvent.objects.count() == events + 1
    assert AuditEntry.objects.filter(action="desk.ticket.dispatch").count() == entries + 1
    event = ticket.events.get(action="dispatch")
    assert (event.from_state, event.to_state, event.public) == ("received", "dispatched", True)
    assert event.jurisdiction_id == ticket.jurisdiction_id and event.actor == desk and event.unit == desk.unit
    assert event.public_note == "已派至 市场监管所 办理。" and "请尽快办理" in event.note
    assert list(events_for(Ticket, ticket.pk, public_only=True).values_list("action", flat=True)) == [
        "submitted",
        "dispatch",
    ]


def test_an_internal_transition_keeps_its_note_from_the_requester(make_ticket, desk, market, liaison):
    ticket = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    services.ticket_return(ticket=ticket, actor=liaison, reason="不属于本所职责")
    event = Ticket.objects.get(pk=ticket.pk).events.get(action="return")
    assert event.public is False and event.public_note == "" and event.note == "不属于本所职责"


def test_a_page_that_showed_another_state_is_refused_and_changes_nothing(make_ticket, desk, market):
    ticket = make_ticket()
    with pytest.raises(DomainError) as exc:
        fire(TICKET, ticket, "dispatch", actor=desk, changes={"lead_unit": market}, expect="returned")
    assert exc.value.code == "already_handled" and "已受理" in str(exc.value.message)
    ticket.refresh_from_db()
    assert ticket.status == "received" and ticket.lead_unit is None and not ticket.events.filter(action="dispatch")


def test_the_system_actor_is_recorded_as_the_platform(make_ticket, desk, liaison, market):
    ticket = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    ticket = services.ticket_accept(ticket=ticket, actor=liaison)
    ticket = services.ticket_answer(ticket=ticket, actor=liaison, answer="已办理")
    services.rating_submit(ticket=ticket, grade=1, comment="不满意")
    opened = Ticket.objects.get(pk=ticket.pk).events.get(action="rectification_opened")
    assert opened.actor is None and opened.actor_repr == str(SYSTEM) == "系统"


def test_a_units_part_moves_through_its_own_machine_and_is_audited(make_ticket, desk, liaison, market, league):
    ticket = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    lead = ticket.assignments.get()
    assert lead.state == A.State.PENDING and {t.name for t in ASSIGNMENT.available(lead, liaison)} == {
        "accept",
        "return",
    }
    services.ticket_accept(ticket=ticket, actor=liaison)
    lead.refresh_from_db()
    assert lead.state == A.State.ACCEPTED and lead.accepted_by == liaison and lead.accepted_in_time is True
    assert [e.action for e in history_for(lead)] == ["desk.assignment.accept"]
    services.ticket_reassign(ticket=Ticket.objects.get(pk=ticket.pk), actor=desk, unit=league, note="职责调整")
    lead.refresh_from_db()
    assert lead.state == A.State.WITHDRAWN
    assert [e.action for e in history_for(lead)] == ["desk.assignment.withdraw", "desk.assignment.accept"]


def test_an_assignment_refuses_a_transition_its_table_does_not_have(make_ticket, desk, liaison, market):
    ticket = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    lead = ticket.assignments.get()
    with pytest.raises(DomainError):
        fire(ASSIGNMENT, lead, "answer", actor=liaison)
    with pytest.raises(DomainError):  # the desk withdraws; a liaison cannot
        fire(ASSIGNMENT, lead, "withdraw", actor=liaison)
    lead.refresh_from_db()
    assert lead.state == A.State.PENDING


def test_the_answer_sent_back_reopens_the_units_part_and_the_new_answer_is_kept(make_ticket, desk, liaison, market):
    """退回重办 opens the lead unit's part again, so its second answer is the one on record
    (before, the assignment kept the first answer and 已反馈 while the unit worked again)."""
    ticket = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    ticket = services.ticket_accept(ticket=ticket, actor=liaison)
    ticket = services.ticket_answer(ticket=ticket, actor=liaison, answer="第一次答复")
    ticket = services.ticket_reopen(ticket=ticket, actor=desk, note="答复不完整")
    lead = ticket.assignments.get()
    assert lead.state == A.State.ACCEPTED and lead.answered_at is None
    services.ticket_answer(ticket=ticket, actor=liaison, answer="补充后的答复")
    lead.refresh_from_db()
    assert lead.state == A.State.ANSWERED and lead.answer == "补充后的答复"


def test_a_rectification_moves_through_its_own_machine(make_ticket, desk, liaison, market):
    ticket = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    ticket = services.ticket_accept(ticket=ticket, actor=liaison)
    ticket = services.ticket_answer(ticket=ticket, actor=liaison, answer="已办理")
    ticket = services.ticket_close(ticket=ticket, actor=desk)
    services.rating_submit(ticket=ticket, grade=2)
    ticket = services.ticket_rectify(ticket=Ticket.objects.get(pk=ticket.pk), actor=liaison, measures="已约谈经办人")
    rect = Rectification.objects.get(ticket=ticket)
    assert rect.state == Rectification.State.RECTIFIED and rect.measures == "已约谈经办人"
    assert {t.name for t in RECTIFICATION.available(rect, desk)} == {"revisit"}
    services.ticket_revisit(ticket=ticket, actor=desk, outcome="basic", note="基本满意")
    rect.refresh_from_db()
    assert rect.state == Rectification.State.CLOSED and rect.revisit_outcome == "basic"
    assert [e.action for e in history_for(rect)] == [
        "desk.rectification.revisit",
        "desk.rectification.rectify",
        "desk.rectification.opened",
    ]
