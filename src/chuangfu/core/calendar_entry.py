"""An admin enters a year's holidays as the State Council publishes them (usually in November).

The text is what the notice says, one line per item::

    2027-02-05~2027-02-13 放假 春节
    2027-02-14 补班 春节

Ranges may contain weekends; only days that differ from Monday–Friday are stored, as in the
rest of the calendar (``CalendarDay``). Entering a year marks it covered with source "admin",
so ``calendar_sync`` never overwrites it.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import workdays
from .audit import log_action
from .models import CalendarDay, CalendarYear, Role

_OFF = {"放假", "休", "休息", "假", "休假"}
_ON = {"补班", "上班", "班", "调休上班"}
_LINE = re.compile(
    r"^(?P<start>\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:~|～|至|到|—|--)\s*(?P<end>\d{4}-\d{1,2}-\d{1,2}))?"
    r"\s+(?P<kind>\S+)(?:\s+(?P<name>.+))?$"
)


def can_enter_calendar(user) -> bool:
    """Who keeps the working-day calendar (one for the whole country, so for every town): the
    platform's and the towns' administrators. The entry page is in the admin site, hence is_staff."""
    return bool(
        user.is_authenticated and user.is_active and (user.is_superuser or (user.role == Role.ADMIN and user.is_staff))
    )


@dataclass(frozen=True)
class SpecialDay:
    date: datetime.date
    is_working: bool
    name: str


def parse_calendar_text(text: str, *, year: int) -> list[SpecialDay]:
    """The days of ``year`` whose status differs from Monday–Friday, from the admin's lines.

    Raises ``ValidationError`` listing every bad line (number and reason) at once.
    """
    days: dict[datetime.date, SpecialDay] = {}
    errors = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip().replace("／", "/").replace("/", "-")
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            errors.append(
                _("第 %(n)d 行格式不对：应为“2027-02-05~2027-02-13 放假 春节”或“2027-02-14 补班 春节”。")
                % {"n": number}
            )
            continue
        try:
            start = _date(match["start"])
            end = _date(match["end"]) if match["end"] else start
        except ValueError:
            errors.append(_("第 %(n)d 行的日期不存在。") % {"n": number})
            continue
        kind = match["kind"]
        if kind not in _OFF | _ON:
            errors.append(_("第 %(n)d 行应写“放假”或“补班”，而不是“%(kind)s”。") % {"n": number, "kind": kind})
            continue
        if start.year != year or end.year != year:
            errors.append(_("第 %(n)d 行的日期不在 %(year)d 年。") % {"n": number, "year": year})
            continue
        if end < start:
            errors.append(_("第 %(n)d 行的结束日期早于开始日期。") % {"n": number})
            continue
        working = kind in _ON
        name = (match["name"] or "").strip()[:60]
        if working and name and not name.endswith("补班"):
            name += "补班"
        day = start
        while day <= end:
            if working != (day.weekday() < 5):
                if day in days and days[day].is_working != working:
                    errors.append(_("第 %(n)d 行与前面的行冲突：%(d)s 不能既放假又补班。") % {"n": number, "d": day})
                days[day] = SpecialDay(day, working, name)
            day += datetime.timedelta(days=1)
    if errors:
        raise ValidationError(errors)
    return sorted(days.values(), key=lambda d: d.date)


def calendar_text_for_year(year: int) -> str:
    """The stored special days of ``year`` as lines the form accepts (for editing)."""
    return "\n".join(
        f"{d.date.isoformat()} {'补班' if d.is_working else '放假'} {d.name}".rstrip()
        for d in CalendarDay.objects.filter(date__year=year).order_by("date")
    )


def calendar_year_enter(*, year: int, text: str, note: str, actor) -> CalendarYear:
    """Replace ``year``'s special days with those in ``text`` and mark the year covered.

    Validates everything first (``ValidationError``); then, in one transaction, replaces the
    days, records the source as admin with ``note`` (the notice's number) and writes one
    audit entry with the dates before and after.
    """
    if not 2000 <= year <= 2100:
        raise ValidationError(_("年份应在 2000 到 2100 之间。"))
    days = parse_calendar_text(text, year=year)
    with transaction.atomic():
        existing = CalendarDay.objects.filter(date__year=year)
        before = _summary(existing)
        existing.delete()
        CalendarDay.objects.bulk_create([CalendarDay(date=d.date, is_working=d.is_working, name=d.name) for d in days])
        record, _created = CalendarYear.objects.update_or_create(
            year=year, defaults={"source": CalendarYear.Source.ADMIN, "note": note}
        )
        log_action(
            actor=actor,
            action="core.calendar_year.entered",
            obj=record,
            before=before,
            after=_summary(CalendarDay.objects.filter(date__year=year)),
            note=note,
        )
        transaction.on_commit(workdays.invalidate_cache)
    workdays.invalidate_cache()
    return record


def _summary(days) -> dict:
    return {
        "holidays": [d.isoformat() for d in days.filter(is_working=False).values_list("date", flat=True)],
        "make_up_workdays": [d.isoformat() for d in days.filter(is_working=True).values_list("date", flat=True)],
    }


def _date(value: str) -> datetime.date:
    y, m, d = (int(part) for part in value.split("-"))
    return datetime.date(y, m, d)
