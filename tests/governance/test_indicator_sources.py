"""The figures governance offers the indicators app, computed from the records, by town and district."""

import datetime

import pytest
from django.utils import timezone

from chuangfu.governance import indicator_sources as sources
from chuangfu.governance.services import meetings, progress, task_flow

from .. import factories
from . import builders

pytestmark = pytest.mark.django_db


def test_tasks_closed_on_time_meetings_held_and_attendance_by_town_and_district():
    office, unit = builders.office(), builders.liaison()
    today = timezone.localdate()
    on_time = builders.task(title="按时", due_on=today + datetime.timedelta(days=5), starts_on=today)
    builders.task(title="未完成", due_on=today + datetime.timedelta(days=6), starts_on=today)
    progress.progress_report_submit(actor=unit, task=on_time, text="完成", percent=100, files=[builders.pdf()])
    task_flow.task_transition(actor=unit, task=on_time, name="request_close")
    task_flow.task_transition(actor=office, task=on_time, name="approve_close")
    series = builders.series()
    term = builders.term(series.body)
    present = builders.member(term, "吴海涛", "市场监管所")
    absent = builders.member(term, "朱婉清", "妇联")
    meeting = builders.meeting(series, starts_at=timezone.now() - datetime.timedelta(hours=1))
    for name in ("set_agenda", "hold"):
        meeting = meetings.meeting_transition(actor=office, meeting=meeting, name=name)
    meetings.attendance_record(actor=office, meeting=meeting, member=present, status="present")
    meetings.attendance_record(actor=office, meeting=meeting, member=absent, status="absent", absence_reason="病假")
    period = (today - datetime.timedelta(days=30), today + datetime.timedelta(days=30))
    for place in (factories.town(), factories.district()):
        assert sources.tasks_due(place, period) == 2
        assert sources.tasks_closed_on_time(place, period) == 1
        assert sources.meetings_held(place, period) == 1
        assert (sources.attendance_present(place, period), sources.attendance_expected(place, period)) == (1, 2)
    assert sources.tasks_due(builders.other_town(), period) == 0
    assert set(sources.SOURCES) >= {"governance.tasks_closed_on_time", "governance.meetings_held"}


def test_each_count_has_its_rows_for_drill_down_and_meetings_minutes_and_documents_are_organisation_evidence():
    from chuangfu.indicators import sources as registry
    from chuangfu.indicators.sources import Period

    office, unit = builders.office(), builders.liaison()
    today = timezone.localdate()
    done = builders.task(title="按时完成", due_on=today + datetime.timedelta(days=5), starts_on=today)
    builders.task(title="推进中", due_on=today + datetime.timedelta(days=6), starts_on=today)
    progress.progress_report_submit(actor=unit, task=done, text="完成", percent=100, files=[builders.pdf()])
    task_flow.task_transition(actor=unit, task=done, name="request_close")
    task_flow.task_transition(actor=office, task=done, name="approve_close")
    series = builders.series()
    term = builders.term(series.body)
    member = builders.member(term, "吴海涛", "市场监管所")
    meeting = builders.meeting(series, starts_at=timezone.now() - datetime.timedelta(hours=1))
    for name in ("set_agenda", "hold"):
        meeting = meetings.meeting_transition(actor=office, meeting=meeting, name=name)
    meetings.attendance_record(actor=office, meeting=meeting, member=member, status="present")
    minutes = meetings.minutes_save(actor=office, meeting=meeting, text="会议议定了三项工作。")
    meetings.minutes_transition(actor=office, minutes=minutes, name="approve")
    issued = meetings.minutes_transition(actor=office, minutes=minutes, name="issue")
    period = Period(today - datetime.timedelta(days=30), today + datetime.timedelta(days=30))
    town = factories.town()
    for name in sources.SOURCES:
        assert name in sources.ROWS
        assert registry.rows(name, town, period).count() == registry.count(name, town, period), name
    assert [str(t) for t in registry.rows("governance.tasks_closed_on_time", town, period)] == ["按时完成"]
    evidence = registry.evidence("organisation", town, period)
    titles = [title for _day, title, _kind in evidence]
    assert meeting.title in titles and any(issued.number in t for t in titles)
    assert registry.evidence("organisation", builders.other_town(), period) == []
