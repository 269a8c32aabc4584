"""Meetings: agenda items before the cut-off, attendance, minutes versioned and issued with a number
(the issued version never changes), decisions that become ledger tasks in one step, the briefing pack."""

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Notification
from chuangfu.governance.briefing import briefing_pack
from chuangfu.governance.models import (
    AgendaItem,
    AttendanceStatus,
    Decision,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Task,
)
from chuangfu.governance.services import meetings, progress

from .. import factories
from . import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint():
    """A joint meeting with two member units (市场监管所's liaison has an account) and a head."""
    series = builders.series()
    term = builders.term(series.body)
    liaison = builders.liaison()
    builders.member(term, "王立诚", position="head")
    market = builders.member(term, "吴海涛", "市场监管所", user=liaison)
    women = builders.member(term, "朱婉清", "妇联")
    return {"series": series, "term": term, "liaison": liaison, "market": market, "women": women}


def held(meeting, office):
    for name in ("call_agenda", "set_agenda", "hold"):
        if name == "call_agenda" and meeting.status != MeetingStatus.PLANNED:
            continue
        meeting = meetings.meeting_transition(actor=office, meeting=meeting, name=name)
    return meeting


def test_units_are_called_for_items_and_submit_before_the_cut_off_only(joint, delivered):
    office, liaison = builders.office(), joint["liaison"]
    meeting = builders.meeting(joint["series"])
    with delivered():
        meeting = meetings.meeting_transition(actor=office, meeting=meeting, name="call_agenda")
    assert Notification.objects.filter(recipient=liaison, title__startswith="议题征集").exists()
    item = meetings.agenda_item_submit(actor=liaison, meeting=meeting, title="创业担保贷款贴息", summary="请议")
    assert meetings.agenda_item_submit(actor=liaison, meeting=meeting, title="创业担保贷款贴息") == item
    late = meeting.agenda_deadline + datetime.timedelta(minutes=1)
    with pytest.raises(DomainError, match="截止"):
        meetings.agenda_item_submit(actor=liaison, meeting=meeting, title="迟到的议题", now=late)
    assert AgendaItem.objects.count() == 1 and item.unit == liaison.unit
    meetings.agenda_item_decide(actor=office, item=item, name="accept")
    with delivered():
        meeting = meetings.meeting_transition(actor=office, meeting=meeting, name="set_agenda")
    assert Notification.objects.filter(recipient=liaison, title__startswith="会议通知").exists()
    with pytest.raises(DomainError, match="不在议题征集期"):
        meetings.agenda_item_submit(actor=liaison, meeting=meeting, title="又一个")


def test_attendance_present_substitute_or_absent_with_a_reason(joint):
    office = builders.office()
    meeting = held(builders.meeting(joint["series"]), office)
    with pytest.raises(DomainError, match="代会人"):
        meetings.attendance_record(
            actor=office, meeting=meeting, member=joint["women"], status=AttendanceStatus.SUBSTITUTE
        )
    with pytest.raises(DomainError, match="缺席原因"):
        meetings.attendance_record(actor=office, meeting=meeting, member=joint["women"], status=AttendanceStatus.ABSENT)
    meetings.attendance_record(
        actor=office,
        meeting=meeting,
        member=joint["women"],
        status=AttendanceStatus.SUBSTITUTE,
        substitute_name="朱小妹",
    )
    record = meetings.attendance_record(
        actor=office, meeting=meeting, member=joint["women"], status=AttendanceStatus.ABSENT, absence_reason="出差"
    )
    assert (record.status, record.substitute_name, record.absence_reason) == ("absent", "", "出差")
    assert meeting.attendance.count() == 1
    stranger = builders.member(builders.term(builders.body(name="别的机构")), "路人甲", position="member")
    with pytest.raises(DomainError, match="不是本次会议的参会成员"):
        meetings.attendance_record(actor=office, meeting=meeting, member=stranger, status=AttendanceStatus.PRESENT)


def test_minutes_are_approved_issued_numbered_and_never_changed_after_issue(joint, delivered):
    office = builders.office()
    meeting = held(builders.meeting(joint["series"]), office)
    draft = meetings.minutes_save(actor=office, meeting=meeting, text="会议听取了各成员单位汇报。")
    assert meetings.minutes_save(actor=office, meeting=meeting, text="会议听取了汇报，研究了贴息。") == draft
    meetings.minutes_transition(actor=office, minutes=draft, name="approve")
    with pytest.raises(DomainError, match="不能修改"):
        meetings.minutes_save(actor=office, meeting=meeting, text="改一下")
    with delivered():
        issued = meetings.minutes_transition(actor=office, minutes=draft, name="issue")
    year = timezone.localdate().year
    assert issued.number == f"唐镇联席会议纪要〔{year}〕1号" and issued.status == MinutesStatus.ISSUED
    assert Notification.objects.filter(recipient=joint["liaison"], title__contains=issued.number).exists()
    with pytest.raises(DomainError):
        meetings.minutes_save(actor=office, meeting=meeting, text="改一下")
    second = meetings.minutes_revise(actor=office, minutes=issued)
    assert second.version == 2 and second.status == MinutesStatus.DRAFT and second.text == issued.text
    meetings.minutes_save(actor=office, meeting=meeting, text="更正：贴息比例为 50%。")
    issued.refresh_from_db()
    assert issued.text == "会议听取了汇报，研究了贴息。" and issued.status == MinutesStatus.ISSUED
    meetings.minutes_transition(actor=office, minutes=second, name="approve")
    second = meetings.minutes_transition(actor=office, minutes=second, name="issue")
    assert second.number == f"唐镇联席会议纪要〔{year}〕2号"
    assert list(Minutes.objects.filter(meeting=meeting).values_list("version", "status")) == [
        (2, "issued"),
        (1, "issued"),
    ]


def test_a_decision_needs_a_lead_unit_and_a_due_date_and_becomes_a_task_in_one_step(joint, delivered):
    office = builders.office()
    meeting = held(builders.meeting(joint["series"], starts_at=timezone.now() - datetime.timedelta(hours=2)), office)
    plan = builders.plan()
    due = timezone.localdate() + datetime.timedelta(days=30)
    with pytest.raises(DomainError, match="牵头单位"):
        meetings.decision_create(actor=office, meeting=meeting, text="落实贴息", lead_unit=None, due_on=due, plan=plan)
    with pytest.raises(DomainError, match="完成时限"):
        meetings.decision_create(
            actor=office, meeting=meeting, text="落实贴息", lead_unit=joint["market"].unit, due_on=None, plan=plan
        )
    assert not Decision.objects.exists() and not Task.objects.exists()
    with delivered():
        decision = meetings.decision_create(
            actor=office,
            meeting=meeting,
            text="市场监管所牵头落实创业担保贷款贴息",
            lead_unit=joint["market"].unit,
            co_units=[factories.unit("妇联")],
            due_on=due,
            plan=plan,
        )
    task = decision.task
    assert (task.lead_unit, task.due_on, task.plan) == (joint["market"].unit, due, plan)
    assert [u.name for u in task.co_units.all()] == ["妇联"]
    assert Notification.objects.filter(recipient=joint["liaison"], title__startswith="新任务").exists()


def test_the_briefing_pack_lists_earlier_decisions_overdue_and_due_soon_tasks(joint):
    office = builders.office()
    first = held(
        builders.meeting(joint["series"], starts_at=timezone.now() - datetime.timedelta(days=40), title="第一次会议"),
        office,
    )
    plan = builders.plan()
    decision = meetings.decision_create(
        actor=office,
        meeting=first,
        text="建成家门口创业服务站",
        lead_unit=joint["market"].unit,
        due_on=timezone.localdate() - datetime.timedelta(days=3),
        plan=plan,
    )
    progress.progress_report_submit(actor=joint["liaison"], task=decision.task, text="选址完成", percent=40)
    builders.task(plan, title="近期到期的任务", due_on=timezone.localdate() + datetime.timedelta(days=8))
    second = builders.meeting(
        joint["series"], starts_at=timezone.now() + datetime.timedelta(days=1), title="第二次会议"
    )
    doc = Document(io.BytesIO(briefing_pack(second)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "第二次会议会前材料" in text and "一、前次会议议定事项落实情况" in text
    assert "建成家门口创业服务站" in cells and "40%" in cells and "推进中" in cells
    assert "近期到期的任务" in cells
    overdue_table = doc.tables[1]
    assert "建成家门口创业服务站" in [c.text for row in overdue_table.rows for c in row.cells]
    assert "上次会议：第一次会议" in text


def test_the_office_orders_the_agenda_until_the_meeting_is_held(joint):
    office, liaison = builders.office(), joint["liaison"]
    meeting = meetings.meeting_transition(actor=office, meeting=builders.meeting(joint["series"]), name="call_agenda")
    first = meetings.agenda_item_submit(actor=liaison, meeting=meeting, title="贴息政策落实")
    second = meetings.agenda_item_submit(actor=office, meeting=meeting, title="服务日安排")
    third = meetings.agenda_item_submit(actor=liaison, meeting=meeting, title="走访计划")
    assert [i.title for i in meeting.agenda_items.all()] == ["贴息政策落实", "服务日安排", "走访计划"]
    meetings.agenda_item_move(actor=office, item=third, direction="up")
    meetings.agenda_item_move(actor=office, item=third, direction="up")
    meetings.agenda_item_move(actor=office, item=third, direction="up")  # already first: nothing moves
    meetings.agenda_item_move(actor=office, item=first, direction="down")
    assert [i.title for i in meeting.agenda_items.all()] == ["走访计划", "服务日安排", "贴息政策落实"]
    assert sorted(meeting.agenda_items.values_list("position", flat=True)) == [1, 2, 3]
    with pytest.raises(DomainError) as exc:
        meetings.agenda_item_move(actor=liaison, item=second, direction="up")
    assert exc.value.status == 403
    with pytest.raises(DomainError):
        meetings.agenda_item_move(actor=office, item=second, direction="sideways")
    for item in (first, second, third):
        meetings.agenda_item_decide(actor=office, item=item, name="accept")
    meeting = meetings.meeting_transition(actor=office, meeting=meeting, name="set_agenda")
    meetings.agenda_item_move(actor=office, item=second, direction="up")  # the office may still adjust
    assert [i.title for i in meeting.agenda_items.all()] == ["服务日安排", "走访计划", "贴息政策落实"]
    pack = Document(io.BytesIO(briefing_pack(meeting)))
    cells = [cell.text for table in pack.tables for row in table.rows for cell in row.cells]
    text = "\n".join([p.text for p in pack.paragraphs] + cells)
    assert text.index("服务日安排") < text.index("走访计划") < text.index("贴息政策落实")
    meeting = meetings.meeting_transition(actor=office, meeting=meeting, name="hold")
    with pytest.raises(DomainError) as exc:
        meetings.agenda_item_move(actor=office, item=first, direction="up")
    assert exc.value.code == "agenda_closed"
