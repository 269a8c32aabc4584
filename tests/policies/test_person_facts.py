"""Person facts added for real policies, each judged both ways (per subject and over columns)
with the answer written out: gender; below the statutory retirement age on the date (the
reform's schedule by gender, group and birth month); 户籍地 at district, town and village level
(non-local hukou is within no place; a local person without a recorded place is unknown);
holding a residence permit and for how long."""

import datetime

import pytest

from chuangfu.core.models import Jurisdiction
from chuangfu.policies import rules
from chuangfu.registry.retirement import RetirementGroup
from tests import factories as f

from .conftest import village
from .test_boundaries import both

pytestmark = pytest.mark.django_db
D = datetime.date
BELOW = {"fact": "below_retirement_age", "op": "is", "value": True}


def person(birth, male=True, **fields):
    return f.person(id_number=f.id_number(birth=birth, male=male), birth_date=birth, **fields)


@pytest.mark.parametrize(
    "birth, male, group, on, expected",
    [
        (D(1965, 1, 10), True, "", D(2025, 1, 9), "eligible"),  # 60 years: before the reform he would retire
        (D(1965, 1, 10), True, "", D(2025, 2, 9), "eligible"),  # 60 years 1 month comes tomorrow
        (D(1965, 1, 10), True, "", D(2025, 2, 10), "ineligible"),  # 60 years 1 month today
        (D(1976, 9, 1), True, "", D(2039, 8, 31), "eligible"),  # 63 tomorrow
        (D(1976, 9, 1), True, "", D(2039, 9, 1), "ineligible"),
        (D(1975, 3, 5), False, RetirementGroup.FEMALE_WORKER, D(2025, 5, 4), "eligible"),  # 50 y 2 m tomorrow
        (D(1975, 3, 5), False, RetirementGroup.FEMALE_WORKER, D(2025, 5, 5), "ineligible"),
        (D(1975, 3, 5), False, RetirementGroup.FEMALE_CADRE, D(2025, 5, 5), "eligible"),  # 55 applies to her
        (D(1975, 3, 5), False, "", D(2025, 5, 5), "unknown"),  # her group is not recorded
        (D(1965, 1, 10), True, RetirementGroup.ELECTED, D(2020, 1, 1), "unknown"),  # chose flexible retirement
    ],
)
def test_below_the_statutory_retirement_age_follows_the_reform(birth, male, group, on, expected):
    assert both(BELOW, person(birth, male, retirement_group=group), on) == expected


def test_gender_is_a_fact_rules_can_use():
    woman = person(D(1990, 1, 1), male=False)
    assert both({"fact": "gender", "op": "in", "value": ["F"]}, woman, D(2026, 1, 1)) == "eligible"
    assert both({"fact": "gender", "op": "in", "value": ["M"]}, woman, D(2026, 1, 1)) == "ineligible"


def test_hukou_place_at_district_town_and_village_level():
    tangzhen = f.town()
    home = village(tangzhen)
    zhangjiang = Jurisdiction.objects.get(code="310115125")
    local = person(D(1990, 1, 1), hukou_kind="local", hukou_place=home)
    on = D(2026, 1, 1)
    for code, expected in [("310115", "eligible"), (tangzhen.code, "eligible"), (home.code, "eligible")]:
        assert both({"fact": "hukou_place", "op": "within", "value": code}, local, on) == expected
    assert both({"fact": "hukou_place", "op": "within", "value": zhangjiang.code}, local, on) == "ineligible"
    outsider = person(D(1990, 1, 1), hukou_kind="permit")
    assert both({"fact": "hukou_place", "op": "within", "value": "310115"}, outsider, on) == "ineligible"
    assert both({"fact": "hukou_place", "op": "not_within", "value": "310115"}, outsider, on) == "eligible"
    unrecorded = person(D(1990, 1, 1), hukou_kind="local")
    assert both({"fact": "hukou_place", "op": "within", "value": "310115"}, unrecorded, on) == "unknown"


def test_residence_permit_held_and_for_how_long():
    rule = {
        "all": [
            {"fact": "holds_residence_permit", "op": "is", "value": True},
            {"fact": "residence_permit_months", "op": "gte", "value": 6},
        ]
    }
    holder = person(D(1990, 1, 1), hukou_kind="permit", residence_permit_since=D(2025, 8, 31))
    assert both(rule, holder, D(2026, 2, 28)) == "almost"  # 5 whole months
    assert both(rule, holder, D(2026, 3, 1)) == "eligible"
    local = person(D(1990, 1, 1), hukou_kind="local")
    assert both(rule, local, D(2026, 3, 1)) == "ineligible"  # holds no permit: one condition fails, one unknown
    assert both(
        {"fact": "holds_residence_permit", "op": "is", "value": True}, person(D(1990, 1, 1)), D(2026, 1, 1)
    ) == ("unknown")


def test_the_new_facts_are_worded_in_plain_chinese():
    assert rules.describe(BELOW).text == "未达法定退休年龄"
    assert rules.describe({"fact": "hukou_place", "op": "within", "value": "310115114"}).text == "户籍地在唐镇"
    assert rules.describe({"fact": "residence_permit_months", "op": "gte", "value": 6}).text == (
        "居住证持证时长不小于 6 个月"
    )
