"""Whole years and whole months between dates, and the cut-off dates that turn "at least N
months since X" into a plain comparison on X — which is how the set-based evaluation tests them.

``months_between(a, d) >= n`` holds exactly when ``a <= months_before(d, n)``; the same for
years. The property tests check this equivalence on generated dates.
"""

import calendar
import datetime


def months_between(start: datetime.date, day: datetime.date) -> int:
    """Full months from ``start`` to ``day`` (a month is complete on the same day-of-month)."""
    return (day.year - start.year) * 12 + day.month - start.month - (1 if day.day < start.day else 0)


def years_between(start: datetime.date, day: datetime.date) -> int:
    """Full years (周岁): someone born on 29 February turns a year older on 1 March in other years."""
    return day.year - start.year - (1 if (day.month, day.day) < (start.month, start.day) else 0)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved back ``months`` calendar months, the day clamped to the month's end."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def years_before(day: datetime.date, years: int) -> datetime.date:
    return months_before(day, years * 12)
