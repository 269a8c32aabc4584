"""A priority group's own facts in rules, judged both ways with the answers written out: the type
of a 就业困难人员, the grade of a disability ("at least 二级" is 二级 or 一级), a veteran discharged
within 3 years (the anniversary inside, the day after it not), months out of work of a 长期失业青年;
someone outside the group does not meet them, a member whose detail is blank is to be verified;
the wording, the editor, the satisfiability check and the self-check take them."""

import datetime

import pytest
from django.urls import reverse

from chuangfu.policies import editor, rules
from chuangfu.policies.rules.given import check_given
from chuangfu.registry.models import PersonGroup
from tests import factories as f

from .conftest import make_policy
from .test_boundaries import both

pytestmark = pytest.mark.django_db
D = datetime.date
ON = D(2026, 6, 1)


def member(group=None, **details):
    person = f.person()
    if group:
        PersonGroup.objects.create(person=person, group=group, **details)
    return person


def c(fact, op, value):
    return {"fact": fact, "op": op, "value": value}


def test_the_type_of_a_hard_to_employ_person():
    rule = c("hardship_type", "in", ["older", "low_income"])
    assert both(rule, member("hard_to_employ", hardship_type="older"), ON) == "eligible"
    assert both(rule, member("hard_to_employ", hardship_type="disabled"), ON) == "ineligible"
    assert both(rule, member("hard_to_employ"), ON) == "unknown"  # type not recorded
    assert both(rule, member(), ON) == "ineligible"  # not hard to employ at all
    assert both(c("hardship_type", "in", ["none"]), member("graduate"), ON) == "eligible"


@pytest.mark.parametrize(
    "grade, expected", [("1", "eligible"), ("2", "eligible"), ("3", "ineligible"), ("4", "ineligible"), ("", "unknown")]
)
def test_a_disability_of_at_least_the_second_grade(grade, expected):
    assert both(c("disability_grade", "at_least", "2"), member("disabled", disability_grade=grade), ON) == expected


def test_at_most_the_third_grade_and_non_disabled_people():
    assert both(c("disability_grade", "at_most", "3"), member("disabled", disability_grade="4"), ON) == "eligible"
    assert both(c("disability_grade", "at_most", "3"), member("disabled", disability_grade="2"), ON) == "ineligible"
    assert both(c("disability_grade", "at_least", "4"), member(), ON) == "ineligible"  # no grade at all
    assert both(c("disability_kind", "in", ["physical"]), member("disabled", disability_kind="physical"), ON) == (
        "eligible"
    )


@pytest.mark.parametrize(
    "discharged, expected",
    [
        (D(2023, 6, 1), "eligible"),  # three years ago today: the anniversary is inside
        (D(2023, 5, 31), "ineligible"),  # three years and a day
        (D(2026, 6, 1), "eligible"),  # today
        (D(2026, 6, 2), "ineligible"),  # not yet discharged
        (None, "unknown"),
    ],
)
def test_a_veteran_discharged_within_three_years(discharged, expected):
    assert both(c("discharged_on", "within_years", 3), member("veteran", discharged_on=discharged), ON) == expected


def test_a_non_veteran_meets_no_discharge_condition_and_its_negations_are_met():
    civilian = member("graduate")
    assert both(c("discharged_on", "within_years", 3), civilian, ON) == "ineligible"
    assert both(c("discharged_on", "on_or_after", "2000-01-01"), civilian, ON) == "ineligible"
    assert both({"not": c("discharged_on", "before", "2000-01-01")}, civilian, ON) == "eligible"
    explained = rules.explain(
        c("discharged_on", "within_years", 3),
        rules.RecordSource(rules.load_subject("person", civilian.pk)),
        rules.Context(on=ON),
    )
    assert explained.conditions[0].actual == "不是退役军人"


@pytest.mark.parametrize(
    "since, expected",
    [(D(2025, 6, 1), "eligible"), (D(2025, 6, 2), "ineligible"), (D(2026, 7, 1), "ineligible"), (None, "unknown")],
)
def test_a_young_person_out_of_work_for_twelve_months(since, expected):
    rule = c("long_unemployed_months", "gte", 12)
    assert both(rule, member("long_unemployed_youth", unemployed_since=since), ON) == expected


def test_the_wording_of_the_new_conditions():
    assert rules.describe(c("disability_grade", "at_least", "2")).text == "残疾等级不低于二级"
    assert (
        rules.describe(c("hardship_type", "in", ["older"])).text
        == "就业困难人员类别为大龄失业人员（女满40周岁、男满50周岁）"
    )
    assert (
        rules.describe(c("discharged_on", "within_years", 3)).text
        == "退役日期在评估日前 3 年内（含满 3 年当日，不晚于评估日）"
    )


def test_the_editor_offers_only_grades_for_at_least_and_validation_refuses_none():
    node = editor.build({"all": [c("disability_grade", "at_least", "2")]}, "person").children[0]
    assert [code for code, _l in node.choices] == ["4", "3", "2", "1"]
    with pytest.raises(rules.RuleError) as error:
        rules.validate_rule(c("disability_grade", "at_least", "none"), "person")
    assert "不在可选范围内" in error.value.errors[0]


def test_the_satisfiability_check_knows_the_grades_and_non_members():
    with pytest.raises(rules.RuleError):
        rules.validate_rule(
            {"all": [c("disability_grade", "at_least", "2"), c("disability_grade", "in", ["3", "none"])]}, "person"
        )
    # a non-veteran meets both negations: not refused
    rules.validate_rule(
        {
            "all": [
                {"not": c("discharged_on", "before", "2020-01-01")},
                {"not": c("discharged_on", "on_or_after", "2020-01-01")},
            ]
        },
        "person",
    )


def test_the_self_check_asks_and_accepts_not_in_the_group(client):
    make_policy(code="vet", title="退役军人创业补贴", rule={"all": [c("discharged_on", "within_years", 3)]})
    form = client.get(reverse("policy:self_check")).content.decode()
    assert 'name="discharged_on"' in form and 'name="discharged_on__none"' in form
    results = client.post(reverse("policy:self_check"), {"kind": "person", "discharged_on__none": "on"}).context[
        "results"
    ]
    assert [item.policy.code for item in results["eligible"]] == []
    assert check_given({"discharged_on": "none", "long_unemployed_months": "none"}, "person", set(), set()) == []
    assert check_given({"disability_grade": "5"}, "person", set(), set())


def test_the_public_check_api_judges_the_new_facts_and_names_bad_values(client):
    make_policy(
        code="vet-rent",
        title="退役军人房租补贴",
        rule={
            "all": [
                c("discharged_on", "within_years", 3),
                {
                    "fact": "represents",
                    "op": "satisfies",
                    "value": {"all": [c("lease_months", "gte", 12), c("business_scope", "mentions_none", ["房地产"])]},
                },
            ]
        },
    )
    firm = {"lease_months": 24, "business_scope": "餐饮服务"}
    today = datetime.date.today()
    facts = {"discharged_on": (today - datetime.timedelta(days=100)).isoformat(), "represents": [firm]}
    (item,) = client.post(
        "/api/policies/check", {"kind": "person", "facts": facts}, content_type="application/json"
    ).json()
    assert item["result"] == "eligible"
    facts["discharged_on"] = "none"
    (item,) = client.post(
        "/api/policies/check", {"kind": "person", "facts": facts}, content_type="application/json"
    ).json()
    assert item["result"] == "almost"
    refused = client.post(
        "/api/policies/check",
        {"kind": "person", "facts": {"disability_grade": "五级", "represents": [{"lease_months": "一年"}]}},
        content_type="application/json",
    ).json()
    assert "“残疾等级”的取值“五级”不在可选范围内" in refused["message"]
    assert "第 1 家企业的“在租场地租期”应为 0 至 1200 之间的整数" in refused["message"]
