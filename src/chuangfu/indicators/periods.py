"""Assessment periods: a year, its quarters or its months, up to today for the current year."""

import calendar
import datetime

from .models import PeriodType
from .sources import Period


def year_period(year: int) -> Period:
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def periods(year: int, period_type: str, *, today: datetime.date | None = None) -> list[Period]:
    today = today or datetime.date.today()
    if period_type == PeriodType.YEAR:
        return [year_period(year)]
    step = 3 if period_type == PeriodType.QUARTER else 1
    out = []
    for month in range(1, 13, step):
        start = datetime.date(year, month, 1)
        if start > today:
            break
        last_month = month + step - 1
        end = datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])
        out.append(Period(start, end))
    return out


def label(period: Period) -> str:
    if period.start.month == 1 and period.end.month == 12:
        return f"{period.start.year}"
    if period.start.month == period.end.month:
        return f"{period.start:%Y-%m}"
    return f"{period.start.year}Q{(period.start.month - 1) // 3 + 1}"
