import datetime as dt

import pytest

from chuangfu.core import workdays
from chuangfu.core.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db
D = dt.date


def test_2026_vectors_from_the_reference():
    assert workdays.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert workdays.add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)  # Sat 10/10 is a 补班 day
    assert workdays.add_working_days(D(2026, 9, 30), 15) == D(2026, 10, 27)


def test_2026_has_248_working_days():
    assert workdays.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 248


def test_spring_festival_2026_and_its_make_up_saturday():
    assert workdays.is_working_day(D(2026, 2, 14))  # Saturday 补班
    assert not any(workdays.is_working_day(D(2026, 2, d)) for d in range(15, 24))
    # Received Friday 2/13: the next working day is the make-up Saturday, then 2/24.
    assert workdays.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert workdays.add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)


def test_counting_starts_the_day_after_even_from_a_weekend():
    # chinesecalendar's find_workday would give Tuesday; a deadline of one working day after
    # a Saturday receipt is Monday.
    assert workdays.add_working_days(D(2026, 3, 7), 1) == D(2026, 3, 9)


def test_uncovered_year_falls_back_to_weekdays_and_is_reported():
    assert not workdays.year_is_covered(2027)
    assert workdays.uncovered_years((2026, 2027)) == [2027]
    assert workdays.add_working_days(D(2026, 12, 30), 3) == D(2027, 1, 4)  # 12/31, 1/1 (Mon–Fri fallback), 1/4


def test_admin_entered_2027_holidays_are_used_and_survive_a_package_sync():
    CalendarYear.objects.create(year=2027, source=CalendarYear.Source.ADMIN, note="国办发明电〔2026〕示例")
    CalendarDay.objects.create(date=D(2027, 1, 1), is_working=False, name="元旦")
    assert workdays.add_working_days(D(2026, 12, 30), 3) == D(2027, 1, 5)
    workdays.sync_from_package()
    assert CalendarDay.objects.filter(date=D(2027, 1, 1)).exists()
    assert workdays.uncovered_years((2026, 2027)) == []


def test_working_days_between_is_negative_when_overdue():
    assert workdays.working_days_between(D(2026, 10, 13), D(2026, 9, 30)) == -5
