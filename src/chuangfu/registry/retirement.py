"""Statutory retirement age (法定退休年龄) by gender, group and birth month, including the gradual
reform in force from 2025-01-01 (渐进式延迟法定退休年龄, NPC Standing Committee decision of
2024-09-13; ../shared/REFERENCE.md §8).

Before the reform: men 60; women in managerial and professional posts (女干部) 55; other women
(女工人) 50. The reform raises them over fifteen years by one month per period of birth months:

* men 60 → 63 and women 55 → 58: one month for every four months of birth, from those born
  in January 1965 (men) and January 1970 (women 55);
* women 50 → 55: one month for every two months of birth, from those born in January 1975.

So a man born January–April 1965 retires at 60 years 1 month, May–August 1965 at 60 years 2
months, … and from September 1976 at 63. The schedules are data (``SCHEDULES``); the tests
check them against rows of the decision's comparison tables. Someone who has chosen early or
flexible retirement is outside the rule, and a woman whose group is not recorded has no
statutory age we can compute: both give ``None``.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class RetirementGroup(models.TextChoices):
    """Which statutory schedule applies: for men there is one (blank is enough); for women it
    depends on the post, and blank means not known."""

    FEMALE_CADRE = "female_cadre", _("女职工·管理和专业技术岗位（原55周岁）")
    FEMALE_WORKER = "female_worker", _("女职工·其他岗位（原50周岁）")
    ELECTED = "elected", _("已选择弹性提前或延迟退休（不按本规则）")


@dataclass(frozen=True)
class Schedule:
    base_years: int
    first_cohort: tuple[int, int]  # (year, month) of the first birth month that retires later
    months_per_step: int  # birth months per month of delay
    max_delay: int  # months


SCHEDULES = {
    "male": Schedule(60, (1965, 1), 4, 36),
    RetirementGroup.FEMALE_CADRE: Schedule(55, (1970, 1), 4, 36),
    RetirementGroup.FEMALE_WORKER: Schedule(50, (1975, 1), 2, 60),
}


def schedule_for(gender: str, group: str) -> Schedule | None:
    if group == RetirementGroup.ELECTED or gender not in ("M", "F"):
        return None
    if gender == "M":
        return SCHEDULES["male"]
    return SCHEDULES.get(group)


def delay_months(schedule: Schedule, birth_year: int, birth_month: int) -> int:
    """Months added to the base age for someone born in that month (0 before the first cohort)."""
    k = (birth_year - schedule.first_cohort[0]) * 12 + birth_month - schedule.first_cohort[1]
    if k < 0:
        return 0
    return min(schedule.max_delay, k // schedule.months_per_step + 1)


def retirement_age_months(birth: datetime.date, gender: str, group: str) -> int | None:
    """The statutory retirement age in months, or ``None`` when no rule applies or is known."""
    schedule = schedule_for(gender, group)
    if schedule is None or birth is None:
        return None
    return schedule.base_years * 12 + delay_months(schedule, birth.year, birth.month)


def retirement_date(birth: datetime.date, gender: str, group: str) -> datetime.date | None:
    """The first day on which the person has reached the statutory age in whole months: the
    birthday that many months on, or the 1st of the next month when that month lacks the day
    (born 31 January, one month on is reached on 1 March — as whole months are counted)."""
    months = retirement_age_months(birth, gender, group)
    if months is None:
        return None
    year, month = divmod(birth.year * 12 + birth.month - 1 + months, 12)
    month += 1
    if birth.day <= calendar.monthrange(year, month)[1]:
        return datetime.date(year, month, birth.day)
    return datetime.date(year + month // 12, month % 12 + 1, 1)
