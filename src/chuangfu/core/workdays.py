"""Chinese working days: statutory holidays and 补班 weekends, as data.

Holidays are stored only where they differ from Monday–Friday (``CalendarDay``); a year is
"covered" when it has a ``CalendarYear`` row (seeded from chinesecalendar, or entered by an
admin when the State Council publishes it). An uncovered year falls back to Monday–Friday
and is reported by ``uncovered_years`` — it never crashes.

Deadlines count from the day after the start (开始之日不计入): ``add_working_days(d, 1)`` is the
first working day after ``d``, whatever ``d`` is.
"""

import datetime
import threading

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarDay, CalendarYear

_lock = threading.Lock()
_cache: dict | None = None


def _table() -> dict:
    global _cache
    with _lock:
        if _cache is None:
            _cache = {
                "days": dict(CalendarDay.objects.values_list("date", "is_working")),
                "years": set(CalendarYear.objects.values_list("year", flat=True)),
            }
        return _cache


def invalidate_cache(**kwargs) -> None:
    global _cache
    with _lock:
        _cache = None


for _model in (CalendarDay, CalendarYear):
    receiver(post_save, sender=_model)(invalidate_cache)
    receiver(post_delete, sender=_model)(invalidate_cache)


def is_working_day(day: datetime.date) -> bool:
    special = _table()["days"].get(day)
    if special is not None:
        return special
    return day.weekday() < 5


def year_is_covered(year: int) -> bool:
    return year in _table()["years"]


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The date ``n`` working days after ``start``, not counting ``start`` itself (n ≥ 0).

    ``n == 0`` returns ``start`` unchanged.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    day = start
    while n:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end]: how many of ``add_working_days(start, k)`` fall on or before end.

    Negative when end is before start, so "overdue by N working days" reads naturally.
    """
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def uncovered_years(years=None) -> list[int]:
    """Years among ``years`` (default: this year and next) whose holidays are not known yet."""
    if years is None:
        this = datetime.date.today().year
        years = (this, this + 1)
    return [y for y in years if not year_is_covered(y)]


def package_calendar() -> tuple[str, dict[int, list[tuple[datetime.date, bool, str]]]]:
    """What chinesecalendar knows: its version and, per year, the dates that differ from Mon–Fri."""
    import chinese_calendar

    first, last = _package_years(chinese_calendar)
    years: dict[int, list] = {}
    for year in range(first, last + 1):
        rows = []
        day = datetime.date(year, 1, 1)
        while day.year == year:
            working = chinese_calendar.is_workday(day)
            if working != (day.weekday() < 5):
                _, name = chinese_calendar.get_holiday_detail(day)
                rows.append((day, working, _holiday_label(name, working)))
            day += datetime.timedelta(days=1)
        years[year] = rows
    return chinese_calendar.__version__, years


def sync_from_package(day_model=CalendarDay, year_model=CalendarYear) -> list[int]:
    """Load every year chinesecalendar covers into the table; admin-entered years are kept.

    Takes the models as parameters so the data migration can pass its historical models.
    """
    version, years = package_calendar()
    admin_years = set(year_model.objects.filter(source="admin").values_list("year", flat=True))
    loaded = []
    for year, rows in years.items():
        if year in admin_years:
            continue
        day_model.objects.filter(date__year=year).delete()
        day_model.objects.bulk_create([day_model(date=d, is_working=w, name=n) for d, w, n in rows])
        year_model.objects.update_or_create(
            year=year, defaults={"source": "chinesecalendar", "note": f"chinesecalendar {version}"}
        )
        loaded.append(year)
    invalidate_cache()
    return loaded


_LABELS = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _holiday_label(name, working: bool) -> str:
    label = _LABELS.get(name or "", name or "")
    return f"{label}补班" if working and label else label


def _package_years(module) -> tuple[int, int]:
    years = sorted({d.year for d in module.holidays} | {d.year for d in module.workdays})
    return years[0], years[-1]
