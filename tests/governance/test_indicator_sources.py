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


def _report(task, unit, day, percent=10):
    from chuangfu.governance.models import ProgressReport

    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    return ProgressReport.objects.create(task=task, unit=unit, text="按计划推进。", percent=percent, created_at=at)


def test_a_task_owes_its_lead_units_report_once_per_cycle_and_a_cycle_with_one_is_on_time():
    """Monthly from 2 March 2026 (30-day cycles: 2–31 Mar, 1–30 Apr, 1–30 May, 31 May–29 Jun):
    on 15 June three cycles have ended; reports in the first and third, two in the first, none in
    the second; a co-unit's report answers nothing for the task; a weekly task and a closed task
    owe only the cycles they were open for; a suspended task owes none; another town's none."""
    from chuangfu.governance.models import Task, TaskStatus

    today = datetime.date(2026, 6, 15)
    monthly = builders.task(title="按月报送", starts_on=datetime.date(2026, 3, 2), due_on=datetime.date(2026, 12, 31),
                            co=("团委",))  # fmt: skip
    market, youth = monthly.lead_unit, factories.unit("团委")
    first = _report(monthly, market, datetime.date(2026, 3, 5))
    _report(monthly, market, datetime.date(2026, 3, 20))
    _report(monthly, youth, datetime.date(2026, 4, 10))  # the co-unit's: not the lead unit's report
    third = _report(monthly, market, datetime.date(2026, 5, 30))
    weekly = builders.task(title="按周报送", lead="妇联", starts_on=datetime.date(2026, 6, 1),
                           due_on=datetime.date(2026, 12, 31), report_cycle="weekly")  # fmt: skip
    _report(weekly, weekly.lead_unit, datetime.date(2026, 6, 3))
    closed = builders.task(
        title="已销号", lead="妇联", starts_on=datetime.date(2026, 3, 2), due_on=datetime.date(2026, 12, 31)
    )
    Task.objects.filter(pk=closed.pk).update(status=TaskStatus.CLOSED, closed_on=datetime.date(2026, 4, 5))
    paused = builders.task(
        title="暂缓", lead="团委", starts_on=datetime.date(2026, 1, 5), due_on=datetime.date(2026, 12, 31)
    )
    Task.objects.filter(pk=paused.pk).update(status=TaskStatus.SUSPENDED)
    builders.task(builders.plan(builders.other_town()), title="他镇", starts_on=datetime.date(2026, 3, 2))

    cycles = sources.report_cycles(factories.town(), (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
                                   today=today)  # fmt: skip
    mine = [(c.start, c.end, c.report_id) for c in cycles if c.task_id == monthly.pk]
    assert mine == [
        (datetime.date(2026, 3, 2), datetime.date(2026, 3, 31), first.pk),
        (datetime.date(2026, 4, 1), datetime.date(2026, 4, 30), None),
        (datetime.date(2026, 5, 1), datetime.date(2026, 5, 30), third.pk),
    ]
    # 1–7 June (reported on the 3rd) and 8–14 June (not); 15–21 June has not ended
    assert [c.report_id is not None for c in cycles if c.task_id == weekly.pk] == [True, False]
    assert [c.end for c in cycles if c.task_id == closed.pk] == [datetime.date(2026, 3, 31)]  # closed on 5 April
    assert not [c for c in cycles if c.task_id == paused.pk]
    # a period counts the cycles that ended in it
    april = sources.report_cycles(
        factories.town(), (datetime.date(2026, 4, 1), datetime.date(2026, 4, 30)), today=today
    )
    assert [(c.task_id, c.end) for c in april] == [(monthly.pk, datetime.date(2026, 4, 30))]


def test_reports_on_time_by_town_district_and_unit_with_the_records_behind_them():
    from chuangfu.governance.models import TaskStatus

    year = timezone.localdate().year - 1  # a whole past year: every cycle has ended
    task = builders.task(title="按季度报送", starts_on=datetime.date(year, 1, 1), due_on=datetime.date(year, 12, 31),
                         report_cycle="quarterly")  # fmt: skip
    task.__class__.objects.filter(pk=task.pk).update(status=TaskStatus.IN_PROGRESS)
    answered = [_report(task, task.lead_unit, datetime.date(year, month, 10)) for month in (2, 3, 8)]
    period = (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    # four 91-day cycles end in the year (the fifth ends on 3 January of the next); reported in the first and third
    for place in (factories.town(), factories.district()):
        assert (sources.reports_on_time(place, period), sources.reports_due(place, period)) == (2, 4)
    assert sources.reports_due(builders.other_town(), period) == 0
    unit = task.lead_unit.pk
    assert sources.unit_reports_due(factories.town(), period) == {unit: 4}
    assert sources.unit_reports_on_time(factories.town(), period) == {unit: 2}
    on_time = sources.UNIT_ROWS["governance.unit_reports_on_time"](factories.town(), period, unit)
    assert list(on_time) == [answered[0], answered[2]]  # the first report of each cycle answered
    assert list(sources.UNIT_ROWS["governance.unit_reports_due"](factories.town(), period, unit)) == [task]
    assert list(sources.ROWS["governance.reports_on_time"](factories.town(), period)) == [answered[0], answered[2]]


def test_a_meeting_late_on_the_periods_last_day_counts_and_one_just_after_midnight_does_not():
    office = builders.office()
    series = builders.series()
    last = timezone.localdate() - datetime.timedelta(days=10)
    local = timezone.get_current_timezone()
    late = datetime.datetime.combine(last, datetime.time(23, 30), tzinfo=local)
    after = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(0, 10), tzinfo=local)
    for starts_at in (late, after):
        meeting = builders.meeting(series, starts_at=starts_at)
        for name in ("set_agenda", "hold"):
            meeting = meetings.meeting_transition(actor=office, meeting=meeting, name=name)
    town = factories.town()
    assert sources.meetings_held(town, (last - datetime.timedelta(days=5), last)) == 1
    assert sources.meetings_held(town, (last + datetime.timedelta(days=1), last + datetime.timedelta(days=1))) == 1
    assert sources.meetings_held(town, (last - datetime.timedelta(days=5), last + datetime.timedelta(days=1))) == 2
