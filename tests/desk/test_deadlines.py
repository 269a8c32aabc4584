"""Deadlines in working days (REFERENCE §2 vectors), due-soon/overdue flags, and the periodic
reminders, escalations and rating invitations."""

import datetime as dt
import zoneinfo

import pytest

from chuangfu.core.models import CalendarDay, CalendarYear
from chuangfu.core.notifications.sms import LocmemSmsBackend
from chuangfu.desk import deadlines, services
from chuangfu.desk.models import DeadlineNotice, Status, Ticket
from chuangfu.desk.services.reminders import deadlines_remind

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
D = dt.date


def act(ticket, name, actor, note="", **inputs):
    return services.ticket_transition(ticket=ticket, actor=actor, name=name, note=note, inputs=inputs)


def test_received_on_the_friday_before_spring_festival_2026(at, make_ticket):
    at(2026, 2, 13, 16)
    ticket = make_ticket()
    assert ticket.number.startswith("20260213")
    assert ticket.accept_due == D(2026, 2, 14)  # the 补班 Saturday is a working day
    assert ticket.answer_due == D(2026, 2, 27)  # 2/14, then 2/24–2/27 after the holiday


def test_received_on_the_make_up_saturday_counts_from_the_day_after(at, make_ticket):
    at(2026, 2, 14, 10)
    ticket = make_ticket()
    assert ticket.accept_due == D(2026, 2, 24)
    assert ticket.answer_due == D(2026, 2, 28)  # 2/24, 2/25, 2/26, 2/27 and the 补班 Saturday 2/28


def test_national_day_vectors_from_the_reference(at, make_ticket):
    at(2026, 9, 30, 9)
    ticket = make_ticket()
    assert ticket.accept_due == D(2026, 10, 8)
    assert ticket.answer_due == D(2026, 10, 13)  # Sat 10/10 is a make-up working day


def test_deadlines_cross_into_2027_with_and_without_its_published_holidays(at, make_ticket):
    at(2026, 12, 30, 9)
    assert make_ticket().answer_due == D(2027, 1, 6)  # 2027 not published: Mon–Fri, so 1/1 counts
    CalendarYear.objects.create(year=2027, source=CalendarYear.Source.ADMIN, note="示例")
    CalendarDay.objects.create(date=D(2027, 1, 1), is_working=False, name="元旦")
    assert make_ticket().answer_due == D(2027, 1, 7)


def test_suspension_over_spring_festival_adds_only_working_days(at, make_ticket, desk, liaison, market):
    at(2026, 2, 10, 9)
    ticket = act(act(make_ticket(), "dispatch", desk, unit=market), "accept", liaison)
    assert ticket.answer_due == D(2026, 2, 24)  # 2/11, 2/12, 2/13, 2/14, 2/24
    ticket = act(ticket, "suspend", liaison, note="请补充材料")
    at(2026, 2, 25, 9)
    ticket = act(ticket, "resume", liaison)
    # (2/10, 2/25]: 2/11, 2/12, 2/13, 2/14, 2/24, 2/25 = 6 working days paused
    assert ticket.paused_days == 6
    assert ticket.answer_due == D(2026, 3, 3)  # 2/24 + 6: 2/25, 2/26, 2/27, 2/28 (补班), 3/2, 3/3


def test_extension_moves_the_deadline_by_working_days_over_a_holiday(at, make_ticket, desk, liaison, leader, market):
    at(2026, 9, 28, 9)
    ticket = act(act(make_ticket(), "dispatch", desk, unit=market), "accept", liaison)
    assert ticket.answer_due == D(2026, 10, 10)  # 9/29, 9/30, 10/8, 10/9 and the 补班 Saturday 10/10
    ticket = act(ticket, "request_extension", liaison, note="需要实地核查", days=2)
    ticket = act(ticket, "approve_extension", leader)
    assert ticket.answer_due == D(2026, 10, 13)  # Mon 10/12, Tue 10/13


def test_flags_mark_due_soon_and_overdue_for_the_running_deadline(at, make_ticket, desk, market):
    at(2026, 3, 2, 9)  # Monday
    ticket = act(make_ticket(), "dispatch", desk, unit=market)
    assert (ticket.accept_due, ticket.answer_due) == (D(2026, 3, 3), D(2026, 3, 9))
    assert deadlines.flag(ticket, D(2026, 3, 2)) == deadlines.DUE_SOON  # accept due tomorrow
    assert deadlines.flag(ticket, D(2026, 3, 4)) == deadlines.OVERDUE  # not accepted in time
    at(2026, 3, 4, 9)
    assert list(Ticket.objects.filter(deadlines.overdue_q())) == [ticket]
    assert not Ticket.objects.filter(deadlines.due_soon_q()).exists()
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.SUSPENDED)
    assert not Ticket.objects.filter(deadlines.overdue_q()).exists()  # the clock is paused


def test_the_periodic_scan_reminds_before_and_escalates_after_each_deadline_once(
    at, make_ticket, desk, liaison, leader, market, django_capture_on_commit_callbacks
):
    at(2026, 3, 2, 9)
    ticket = act(make_ticket(), "dispatch", desk, unit=market)
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = deadlines_remind(day=D(2026, 3, 2))
    assert sent["accept_soon"] == 1
    assert liaison.notifications.filter(title="工单即将超过签收时限").count() == 1
    assert LocmemSmsBackend.outbox and LocmemSmsBackend.outbox[0][0] == liaison.mobile
    with django_capture_on_commit_callbacks(execute=True):
        again = deadlines_remind(day=D(2026, 3, 2))
    assert again["accept_soon"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        sent = deadlines_remind(day=D(2026, 3, 4))
    assert sent["accept_overdue"] == 1
    assert leader.notifications.filter(title="工单签收超时").exists()
    assert desk.notifications.filter(title="工单签收超时").exists()  # the first handler
    assert DeadlineNotice.objects.filter(ticket=ticket).count() == 2


def test_answer_overdue_escalates_to_the_leader(
    at, make_ticket, desk, liaison, leader, market, django_capture_on_commit_callbacks
):
    at(2026, 3, 2, 9)
    ticket = act(act(make_ticket(), "dispatch", desk, unit=market), "accept", liaison)
    assert ticket.answer_due == D(2026, 3, 9)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_remind(day=D(2026, 3, 5))["answer_soon"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_remind(day=D(2026, 3, 6))["answer_soon"] == 1  # Friday: due the next working day
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_remind(day=D(2026, 3, 9))["answer_soon"] == 0  # already reminded for this deadline
    with django_capture_on_commit_callbacks(execute=True):
        sent = deadlines_remind(day=D(2026, 3, 10))
    assert sent["answer_overdue"] == 1
    assert leader.notifications.filter(title="工单答复超时", body__contains=ticket.number).exists()


def test_an_unrated_answer_gets_one_rating_invitation_after_three_days(
    at, make_ticket, desk, django_capture_on_commit_callbacks
):
    at(2026, 3, 2, 9)
    ticket = act(make_ticket(requester_mobile="13966667777"), "answer_directly", desk, note="已答复")
    rated = act(make_ticket(), "answer_directly", desk, note="已答复")
    services.rating_submit(ticket=rated, grade=5)
    at(2026, 3, 4, 9)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_remind(day=D(2026, 3, 4))["rating_invite"] == 0
    at(2026, 3, 5, 10)
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_remind(day=D(2026, 3, 5))["rating_invite"] == 1
    assert LocmemSmsBackend.outbox[0][0] == "13966667777" and "/service/rate/" in LocmemSmsBackend.outbox[0][1]
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_remind(day=D(2026, 3, 6))["rating_invite"] == 0
    assert Ticket.objects.get(pk=ticket.pk).rating_reminded_at is not None


def test_the_scan_is_a_periodic_job_on_the_queue(at, make_ticket, desk, market):
    from huey.contrib.djhuey import HUEY

    from chuangfu.desk.tasks import desk_deadline_scan

    assert "desk_deadline_scan" in {t.__name__ for t in HUEY._registry._periodic_tasks}
    at(2026, 3, 2, 9)
    act(make_ticket(), "dispatch", desk, unit=market)
    assert desk_deadline_scan.call_local()["accept_soon"] == 1


def test_a_rectification_past_its_deadline_is_escalated_once(
    at, make_ticket, desk, liaison, leader, market, django_capture_on_commit_callbacks
):
    at(2026, 3, 2, 9)
    ticket = act(
        act(act(make_ticket(), "dispatch", desk, unit=market), "accept", liaison), "answer", liaison, note="不符合条件"
    )
    services.rating_submit(ticket=ticket, grade=2)
    due = ticket.rectification.due
    assert due == D(2026, 3, 23)  # 15 working days after 3/2
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_remind(day=D(2026, 3, 23))["rectify_overdue"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_remind(day=D(2026, 3, 24))["rectify_overdue"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_remind(day=D(2026, 3, 25))["rectify_overdue"] == 0
    assert leader.notifications.filter(title="差评整改超时").count() == 1


def test_revisit_is_owed_within_one_working_day_of_closing_and_late_ones_are_flagged(
    at, client, make_ticket, desk, liaison, market
):
    at(2026, 2, 13, 10)  # Friday before Spring Festival 2026
    ticket = act(
        act(act(make_ticket(), "dispatch", desk, unit=market), "accept", liaison), "answer", liaison, note="已答复"
    )
    ticket = act(ticket, "close", desk)
    assert ticket.revisit_due == D(2026, 2, 14)  # the make-up Saturday is a working day
    assert deadlines.flag(ticket, D(2026, 2, 14)) == ""
    assert deadlines.flag(ticket, D(2026, 2, 24)) == deadlines.REVISIT_OVERDUE
    at(2026, 2, 24, 9)  # after the holiday: late
    client.force_login(desk)
    html = client.get("/desk/", {"queue": "revisit"}).content.decode()
    assert ticket.number in html and "回访超时" in html
    assert ticket.number in client.get("/desk/", {"queue": "overdue"}).content.decode()
    assert client.get(f"/api/desk/tickets/{ticket.pk}").json()["flag"] == "revisit_overdue"
    ticket = act(ticket, "revisit", desk, outcome="satisfied")
    assert (ticket.revisit_due, ticket.revisited_in_time) == (None, False)
    assert deadlines.flag(ticket, D(2026, 2, 24)) == ""
    assert ticket.number not in client.get("/desk/", {"queue": "overdue"}).content.decode()


def test_a_revisit_in_time_is_recorded_as_such(at, make_ticket, desk):
    at(2026, 3, 2, 9)
    ticket = act(act(make_ticket(), "answer_directly", desk, note="窗口直接答复"), "close", desk)
    assert ticket.revisit_due == D(2026, 3, 3)
    at(2026, 3, 3, 17)
    ticket = act(ticket, "revisit", desk, outcome="basic")
    assert ticket.revisited_in_time is True


def test_after_a_poor_rating_the_revisit_is_owed_one_working_day_after_the_rectification(
    at, make_ticket, desk, liaison, market
):
    at(2026, 3, 2, 9)
    ticket = act(
        act(act(make_ticket(), "dispatch", desk, unit=market), "accept", liaison), "answer", liaison, note="不符合条件"
    )
    ticket = act(ticket, "close", desk)
    services.rating_submit(ticket=ticket, grade=1, comment="没说清楚")
    ticket.refresh_from_db()
    assert ticket.revisit_due is None  # the 回访 waits for the rectification
    assert deadlines.flag(ticket, D(2026, 3, 20)) == ""
    at(2026, 3, 6, 15)  # Friday
    ticket = act(ticket, "rectify", liaison, note="已重新解释政策")
    assert ticket.revisit_due == D(2026, 3, 9)  # Monday
    assert list(Ticket.objects.filter(deadlines.revisit_overdue_q(D(2026, 3, 10)))) == [ticket]
