"""Industry at any level of GB/T 4754-2017, judged both ways with the answers written out: a
condition may name a section (F), a division (52), a group (529) or a class (5292); an
enterprise recorded only to its division is "to be verified" against a group or class inside
that division and plainly outside one of another division."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from chuangfu.policies import rules
from chuangfu.registry import services
from tests import factories as f

from .test_boundaries import both

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 6, 1)


def industry(*codes, op="in"):
    return {"fact": "industry", "op": op, "value": list(codes)}


def firm(section="", division="", klass=""):
    return f.enterprise(industry_section=section, industry_division=division, industry_class=klass)


@pytest.mark.parametrize(
    "codes, expected",
    [
        (["5292"], "eligible"),
        (["529"], "eligible"),
        (["52"], "eligible"),
        (["F"], "eligible"),
        (["5291"], "ineligible"),
        (["51", "I"], "ineligible"),
        (["6513", "5292"], "eligible"),
    ],
)
def test_an_internet_retailer_against_codes_at_every_level(codes, expected):
    assert both(industry(*codes), firm("F", "52", "5292"), ON) == expected


def test_an_enterprise_known_only_to_its_division():
    retailer = firm("F", "52")
    assert both(industry("52"), retailer, ON) == "eligible"
    assert both(industry("5292"), retailer, ON) == "unknown"  # which class of 52 is not recorded
    assert both(industry("6513"), retailer, ON) == "ineligible"  # another division altogether
    assert both(industry("5292", op="not_in"), retailer, ON) == "unknown"
    assert both(industry("5292", "52"), retailer, ON) == "eligible"
    assert both(industry("F"), firm(), ON) == "unknown"


def test_the_class_sets_division_and_section_and_a_wrong_one_is_refused():
    admin = f.user(role=Role.ADMIN)
    enterprise = services.enterprise_create(
        actor=admin, uscc=f.uscc(), name="网店", jurisdiction=f.town(), industry_class="5292"
    )
    assert (enterprise.industry_section, enterprise.industry_division) == ("F", "52")
    with pytest.raises((DomainError, ValidationError)):
        services.enterprise_create(
            actor=admin, uscc=f.uscc(), name="错码", jurisdiction=f.town(), industry_class="9999"
        )


def test_wording_validation_and_a_described_enterprise():
    assert rules.describe(industry("F", "5292")).text == "行业（国民经济行业分类）属于F 批发和零售业、5292 互联网零售"
    with pytest.raises(rules.RuleError) as refused:
        rules.validate_rule(industry("5X", "99"), "enterprise")
    assert "不是 GB/T 4754-2017 的门类字母或 2 至 4 位代码" in refused.value.errors[0]
    assert rules.validate_rule(industry("f", "5292"), "enterprise") == industry("5292", "F")
    ctx = rules.Context(on=ON)
    assert rules.explain(industry("529"), rules.GivenSource({"industry": "5292"}), ctx).result == "eligible"
    assert rules.explain(industry("5292"), rules.GivenSource({"industry": "52"}), ctx).result == "unknown"
    assert rules.explain(industry("F"), rules.GivenSource({"industry": "65"}), ctx).result == "ineligible"
