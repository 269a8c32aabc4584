"""The admin keeps the working-day calendar for years chinesecalendar does not know."""

import datetime
import html

import pytest
from django.urls import reverse

from chuangfu.core import workdays
from chuangfu.core.models import AuditEntry, CalendarDay, CalendarYear, Role
from tests import factories

pytestmark = pytest.mark.django_db

NOTICE_2027 = """
# 国务院办公厅关于2027年部分节假日安排的通知（演示）
2027-01-01 放假 元旦
2027-02-06~2027-02-14 放假 春节
2027-02-20 补班 春节
2027/10/1 至 2027/10/7 放假 国庆节
2027-10-09 补班 国庆节
"""


@pytest.fixture
def admin_client(client):
    client.force_login(factories.user(role=Role.ADMIN, jurisdiction=None, is_staff=True, is_superuser=True))
    return client


def test_admin_home_warns_about_next_year_until_it_is_entered(admin_client):
    next_year = datetime.date.today().year + 1
    CalendarYear.objects.filter(year=next_year).delete()
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert f"{next_year} 年的节假日安排尚未录入" in page
    assert f"{reverse('admin:core_calendaryear_add')}?year={next_year}" in page

    for year in (next_year - 1, next_year):
        CalendarYear.objects.get_or_create(year=year, defaults={"source": CalendarYear.Source.ADMIN})
    assert "节假日安排尚未录入" not in admin_client.get(reverse("admin:index")).content.decode()


def test_admin_enters_2027_and_deadlines_follow_it(admin_client):
    CalendarYear.objects.filter(year=2027).delete()
    assert workdays.is_working_day(datetime.date(2027, 2, 8))  # a Monday, unknown holiday yet

    response = admin_client.post(
        reverse("admin:core_calendaryear_add"),
        {"year": "2027", "note": "国办发明电〔2026〕演示号", "days": NOTICE_2027},
    )
    assert response.status_code == 302

    year = CalendarYear.objects.get(year=2027)
    assert year.source == CalendarYear.Source.ADMIN and year.note == "国办发明电〔2026〕演示号"
    assert not workdays.is_working_day(datetime.date(2027, 2, 8))
    assert workdays.is_working_day(datetime.date(2027, 2, 20))  # Saturday made a working day
    assert CalendarDay.objects.get(date=datetime.date(2027, 2, 20)).name == "春节补班"
    # weekends inside the ranges are not stored: they were off anyway
    assert not CalendarDay.objects.filter(date=datetime.date(2027, 2, 6)).exists()  # Saturday
    assert workdays.add_working_days(datetime.date(2027, 9, 30), 1) == datetime.date(2027, 10, 8)
    assert 2027 not in workdays.uncovered_years((2027,))
    entry = AuditEntry.objects.get(action="core.calendar_year.entered")
    assert "2027-02-08" in entry.after["holidays"] and entry.after["make_up_workdays"] == ["2027-02-20", "2027-10-09"]


def test_bad_lines_are_all_reported_and_nothing_is_saved(admin_client):
    CalendarYear.objects.filter(year=2027).delete()
    text = "2027-02-30 放假 春节\n2028-01-01 放假 元旦\n2027-05-01 休假中 劳动节\n五一放假"
    response = admin_client.post(reverse("admin:core_calendaryear_add"), {"year": "2027", "note": "", "days": text})
    page = response.content.decode()
    assert response.status_code == 200
    assert "第 1 行的日期不存在" in page
    assert "第 2 行的日期不在 2027 年" in page
    assert "第 3 行应写“放假”或“补班”" in page
    assert "第 4 行格式不对" in page
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_correcting_a_package_year_makes_it_admin_kept_across_calendar_sync(admin_client):
    record = CalendarYear.objects.get(year=2026)
    assert record.source == CalendarYear.Source.PACKAGE
    page = admin_client.get(reverse("admin:core_calendaryear_change", args=[record.pk])).content.decode()
    assert "2026-10-01 放假 国庆节" in page  # the year's days are shown for editing

    text = page.split('name="days"')[1].split(">", 1)[1].split("</textarea>")[0]
    text = html.unescape(text).strip() + "\n2026-12-31 放假 演示：临时调整"
    response = admin_client.post(
        reverse("admin:core_calendaryear_change", args=[record.pk]), {"note": "本地更正", "days": text}
    )
    assert response.status_code == 302
    assert not workdays.is_working_day(datetime.date(2026, 12, 31))

    workdays.sync_from_package()
    record.refresh_from_db()
    assert record.source == CalendarYear.Source.ADMIN
    assert not workdays.is_working_day(datetime.date(2026, 12, 31))
    assert workdays.add_working_days(datetime.date(2026, 9, 30), 5) == datetime.date(2026, 10, 13)


def test_single_day_edit_in_an_unentered_year_reminds_to_enter_the_year(admin_client):
    CalendarYear.objects.filter(year=2027).delete()
    response = admin_client.post(
        reverse("admin:core_calendarday_add"), {"date": "2027-01-01", "is_working": "", "name": "元旦"}, follow=True
    )
    assert "2027 年尚未登记为已发布的年份" in response.content.decode()
    assert not workdays.is_working_day(datetime.date(2027, 1, 1))


def test_a_town_admin_follows_the_warning_on_their_home_and_enters_the_year(client):
    """The warning reaches the town admin (not a superuser), and the link it gives them works."""
    year = datetime.date.today().year + 1
    CalendarYear.objects.filter(year=year).delete()
    client.force_login(factories.user(role=Role.ADMIN, jurisdiction=factories.town(), is_staff=True))
    home = client.get(reverse("home")).content.decode()
    link = f"{reverse('admin:core_calendaryear_add')}?year={year}"
    assert f"{year} 年的节假日安排尚未录入" in home and html.escape(link) in home
    assert client.get(link).status_code == 200
    response = client.post(reverse("admin:core_calendaryear_add"), {"year": str(year), "note": "", "days": ""})
    assert response.status_code == 302 and CalendarYear.objects.filter(year=year).exists()
    assert f"{year} 年的节假日安排尚未录入" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("role", [Role.DESK_STAFF, Role.LEADER, Role.REVIEWER, Role.UNIT_LIAISON, Role.MENTOR])
def test_the_calendar_warning_goes_only_to_those_who_can_enter_it(client, role):
    CalendarYear.objects.filter(year=datetime.date.today().year + 1).delete()
    client.force_login(factories.user(role=role, jurisdiction=factories.town()))
    assert "节假日安排尚未录入" not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("admin:core_calendaryear_add")).status_code == 403  # the role table: the admin's
