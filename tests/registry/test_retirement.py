"""Statutory retirement ages against rows of the comparison tables annexed to the NPC Standing
Committee decision of 2024-09-13 (渐进式延迟法定退休年龄): birth month → age → month of retirement."""

import datetime

import pytest

from chuangfu.registry.retirement import RetirementGroup, retirement_age_months, retirement_date

D = datetime.date
MALE, CADRE, WORKER = ("M", ""), ("F", RetirementGroup.FEMALE_CADRE), ("F", RetirementGroup.FEMALE_WORKER)


@pytest.mark.parametrize(
    "who, born, years, months, retires",
    [
        # 附件1 男职工 (原60周岁)
        (MALE, D(1964, 12, 1), 60, 0, D(2024, 12, 1)),
        (MALE, D(1965, 1, 1), 60, 1, D(2025, 2, 1)),
        (MALE, D(1965, 4, 1), 60, 1, D(2025, 5, 1)),
        (MALE, D(1965, 5, 1), 60, 2, D(2025, 7, 1)),
        (MALE, D(1966, 9, 1), 60, 6, D(2027, 3, 1)),
        (MALE, D(1976, 8, 1), 62, 11, D(2039, 7, 1)),
        (MALE, D(1976, 9, 1), 63, 0, D(2039, 9, 1)),
        (MALE, D(1990, 1, 1), 63, 0, D(2053, 1, 1)),
        # 附件2 原法定退休年龄55周岁的女职工
        (CADRE, D(1969, 12, 1), 55, 0, D(2024, 12, 1)),
        (CADRE, D(1970, 1, 1), 55, 1, D(2025, 2, 1)),
        (CADRE, D(1970, 5, 1), 55, 2, D(2025, 7, 1)),
        (CADRE, D(1981, 9, 1), 58, 0, D(2039, 9, 1)),
        # 附件3 原法定退休年龄50周岁的女职工
        (WORKER, D(1974, 12, 1), 50, 0, D(2024, 12, 1)),
        (WORKER, D(1975, 1, 1), 50, 1, D(2025, 2, 1)),
        (WORKER, D(1975, 3, 1), 50, 2, D(2025, 5, 1)),
        (WORKER, D(1984, 10, 1), 54, 11, D(2039, 9, 1)),
        (WORKER, D(1984, 11, 1), 55, 0, D(2039, 11, 1)),
    ],
)
def test_retirement_age_follows_the_decisions_tables(who, born, years, months, retires):
    gender, group = who
    assert retirement_age_months(born, gender, group) == years * 12 + months
    assert retirement_date(born, gender, group) == retires


def test_no_statutory_age_for_a_woman_of_unknown_group_or_anyone_who_chose_flexible_retirement():
    assert retirement_age_months(D(1975, 1, 1), "F", "") is None
    assert retirement_age_months(D(1975, 1, 1), "M", RetirementGroup.ELECTED) is None


def test_a_birthday_missing_from_the_retirement_month_is_reached_on_the_first_of_the_next():
    # born 31 July 1965: 60 years 2 months is reached when September has no 31st -> 1 October
    assert retirement_date(D(1965, 7, 31), "M", "") == D(2025, 10, 1)
