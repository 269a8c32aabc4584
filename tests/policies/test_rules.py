"""The rules engine on hand-picked cases: boundary ages and dates, missing facts, Kleene logic,
"almost eligible", relations, validation errors in Chinese and the plain-Chinese wording."""

import datetime

import pytest

from chuangfu.policies import rules
from chuangfu.policies.models import Grant
from chuangfu.registry.models import Person, PersonGroup
from tests import factories as f

from .conftest import make_policy, set_based, village

pytestmark = pytest.mark.django_db
D = datetime.date


def evaluate(rule, subject, on, policy_code="test-policy"):
    """The result class from both evaluations, which must agree."""
    kind = "person" if isinstance(subject, Person) else "enterprise"
    ctx = rules.Context(on=on, policy_code=policy_code)
    row = set_based(kind, rule, ctx)[subject.pk]
    explanation = rules.explain(rule, rules.RecordSource(rules.load_subject(kind, subject.pk)), ctx)
    assert row == (explanation.result, explanation.open_index, explanation.open_count)
    return explanation


def person_born(day, **fields):
    return f.person(id_number=f.id_number(birth=day), birth_date=day, **fields)


AGE_AT_MOST_35 = {
    "all": [{"fact": "age", "op": "lte", "value": 35}, {"fact": "hukou_kind", "op": "in", "value": ["local"]}]
}


@pytest.mark.parametrize(
    "on, result",
    [
        (D(2025, 6, 14), "eligible"),  # 34, the day before the 35th birthday
        (D(2025, 6, 15), "eligible"),  # 35 today: "不超过 35 周岁" still holds
        (D(2026, 6, 14), "eligible"),  # the last day of being 35
        (D(2026, 6, 15), "almost"),  # 36 today
    ],
)
def test_age_at_most_35_holds_until_the_36th_birthday(on, result):
    person = person_born(D(1990, 6, 15), hukou_kind="local")
    assert evaluate(AGE_AT_MOST_35, person, on).result == result


def test_someone_born_on_29_february_turns_older_on_1_march_in_other_years():
    person = person_born(D(2000, 2, 29), hukou_kind="local")
    rule = {"fact": "age", "op": "gte", "value": 18}
    assert evaluate(rule, person, D(2018, 2, 28)).result == "ineligible"
    assert evaluate(rule, person, D(2018, 3, 1)).result == "eligible"


@pytest.mark.parametrize("on, result", [(D(2025, 3, 30), "ineligible"), (D(2025, 3, 31), "eligible")])
def test_a_full_year_since_founding_is_reached_on_the_same_day_next_year(on, result):
    enterprise = f.enterprise(founded_on=D(2024, 3, 31))
    assert evaluate({"fact": "months_since_founding", "op": "gte", "value": 12}, enterprise, on).result == result


def test_founded_on_31_january_is_a_full_month_old_only_on_1_march():
    enterprise = f.enterprise(founded_on=D(2025, 1, 31))
    rule = {"fact": "months_since_founding", "op": "gte", "value": 1}
    assert evaluate(rule, enterprise, D(2025, 2, 28)).result == "ineligible"  # February has no 31st
    assert evaluate(rule, enterprise, D(2025, 3, 1)).result == "eligible"


def test_missing_facts_make_the_result_unknown_and_name_the_condition():
    person = person_born(D(1995, 1, 1), hukou_kind="")  # 户籍 not recorded
    explanation = evaluate(AGE_AT_MOST_35, person, D(2025, 1, 1))
    assert explanation.result == "unknown"
    assert [c.text for c in explanation.open_conditions] == ["户籍性质为本市户籍"]
    assert explanation.open_conditions[0].actual == "无数据"


def test_a_subject_missing_one_fact_but_failing_another_is_ineligible_not_unknown():
    person = person_born(D(1980, 1, 1), hukou_kind="")
    rule = {
        "all": [
            {"fact": "age", "op": "lte", "value": 35},
            {"fact": "hukou_kind", "op": "in", "value": ["local"]},
            {"fact": "entrepreneurial_intent", "op": "is", "value": True},
        ]
    }
    assert evaluate(rule, person, D(2025, 1, 1)).result == "ineligible"


def test_any_group_is_met_by_one_known_condition_even_if_another_is_unknown():
    person = person_born(D(1995, 1, 1), hukou_kind="", graduation_date=None)
    PersonGroup.objects.create(person=person, group="hard_to_employ")
    rule = {
        "any": [
            {"fact": "months_since_graduation", "op": "lte", "value": 24},
            {"fact": "groups", "op": "has_any", "value": ["hard_to_employ"]},
        ]
    }
    assert evaluate(rule, person, D(2025, 1, 1)).result == "eligible"
    rule["any"][1]["value"] = ["veteran"]
    assert evaluate(rule, person, D(2025, 1, 1)).result == "unknown"
    assert evaluate({"not": rule}, person, D(2025, 1, 1)).result == "unknown"


def test_almost_eligible_names_the_one_condition_not_met():
    person = person_born(D(1985, 1, 1), hukou_kind="local")
    explanation = evaluate(AGE_AT_MOST_35, person, D(2025, 1, 1))
    assert explanation.result == "almost"
    assert explanation.open_condition.text == "年龄不超过 35 周岁"
    assert explanation.open_condition.actual == "40 周岁"


def test_an_enterprise_without_a_legal_representative_in_the_registry_is_unknown_for_a_rule_about_them():
    enterprise = f.enterprise(legal_representative=None)
    rule = {"fact": "legal_rep", "op": "satisfies", "value": {"fact": "hukou_kind", "op": "in", "value": ["local"]}}
    explanation = evaluate(rule, enterprise, D(2025, 1, 1))
    assert explanation.result == "unknown"
    assert explanation.conditions[0].actual == "未关联法定代表人"


def test_a_person_qualifies_through_the_enterprise_they_represent():
    person = person_born(D(1995, 1, 1))
    f.enterprise(legal_representative=person, founded_on=D(2022, 1, 1), insured_employees=0)
    good = f.enterprise(legal_representative=person, founded_on=D(2024, 1, 1), insured_employees=3)
    rule = {
        "fact": "represents",
        "op": "satisfies",
        "value": {
            "all": [
                {"fact": "months_since_founding", "op": "lt", "value": 24},
                {"fact": "insured_employees", "op": "gte", "value": 1},
            ]
        },
    }
    explanation = evaluate(rule, person, D(2025, 1, 1))
    assert explanation.result == "eligible"
    assert explanation.conditions[0].actual == good.name


def test_granted_before_counts_only_grants_inside_the_window_and_before_the_date():
    person = person_born(D(1995, 1, 1))
    policy = make_policy(code="once-only")
    Grant.objects.create(policy=policy, person=person, granted_on=D(2022, 6, 1), source="manual")
    never_again = {"fact": "granted", "op": "is", "value": False, "args": {"policy": "self", "within_months": None}}
    assert evaluate(never_again, person, D(2022, 5, 31), "once-only").result == "eligible"
    assert evaluate(never_again, person, D(2022, 6, 1), "once-only").result == "ineligible"
    not_in_36_months = {**never_again, "args": {"policy": "self", "within_months": 36}}
    assert evaluate(not_in_36_months, person, D(2025, 5, 31), "once-only").result == "ineligible"
    assert evaluate(not_in_36_months, person, D(2025, 6, 1), "once-only").result == "eligible"  # 36 full months


def test_residence_within_a_town_includes_its_villages_but_not_other_towns():
    inside = person_born(D(1995, 1, 1), jurisdiction=village())
    elsewhere = person_born(D(1995, 1, 1), jurisdiction=f.town("310115125"))
    rule = {"fact": "residence", "op": "within", "value": "310115114"}
    assert evaluate(rule, inside, D(2025, 1, 1)).result == "eligible"
    assert evaluate(rule, elsewhere, D(2025, 1, 1)).result == "ineligible"


# --- validation -----------------------------------------------------------------------------------


def errors_of(rule, subject="person"):
    with pytest.raises(rules.RuleError) as caught:
        rules.validate_rule(rule, subject)
    return caught.value.errors


def test_a_rule_naming_an_unknown_fact_is_refused_in_chinese():
    assert errors_of({"fact": "zodiac", "op": "eq", "value": 1}) == ["条件 1：未知的条件项“zodiac”。"]


def test_a_value_of_the_wrong_type_is_refused():
    (error,) = errors_of({"all": [{"fact": "age", "op": "lte", "value": "thirty"}]})
    assert error == "条件 1（年龄）：取值必须是整数，而不是“thirty”。"
    (error,) = errors_of({"fact": "hukou_kind", "op": "in", "value": ["martian"]})
    assert "不在可选范围内" in error


def test_contradictory_bounds_in_one_all_group_are_refused():
    (error,) = errors_of(
        {"all": [{"fact": "age", "op": "gte", "value": 40}, {"fact": "age", "op": "lte", "value": 35}]}
    )
    assert error == "条件 1、条件 2 互相矛盾：年龄不小于 40 周岁且年龄不超过 35 周岁，没有对象能同时满足。"


def test_the_same_bounds_in_an_any_group_are_not_a_contradiction():
    rules.validate_rule(
        {"any": [{"fact": "age", "op": "gte", "value": 40}, {"fact": "age", "op": "lte", "value": 35}]}, "person"
    )


def test_a_date_range_ending_before_it_starts_is_refused():
    (error,) = errors_of({"fact": "founded_on", "op": "between", "value": ["2024-05-31", "2024-01-01"]}, "enterprise")
    assert error == "条件 1（成立日期）：日期范围的结束日期（2024-01-01）早于开始日期（2024-05-31）。"


def test_an_enterprise_fact_in_a_person_rule_is_refused():
    (error,) = errors_of({"fact": "insured_employees", "op": "gte", "value": 1})
    assert "这是企业的条件，不能用于面向个人的规则" in error


def test_every_problem_is_reported_at_once():
    errors = errors_of(
        {
            "all": [
                {"fact": "zodiac", "op": "eq", "value": 1},
                {"fact": "age", "op": "has_any", "value": []},
                {"any": []},
            ]
        }
    )
    assert len(errors) == 3


def test_plain_chinese_wording_of_a_rule():
    rule = rules.validate_rule(
        {
            "all": [
                {"fact": "age", "op": "between", "value": [18, 35]},
                {
                    "any": [
                        {"fact": "groups", "op": "has_any", "value": ["graduate", "veteran"]},
                        {"fact": "registered_unemployed", "op": "is", "value": True},
                    ]
                },
                {"fact": "residence", "op": "within", "value": "310115114"},
            ]
        },
        "person",
    )
    described = rules.describe(rule)
    assert described.text == "同时满足以下全部条件"
    assert [c.text for c in described.children] == ["年龄在 18 至 35 周岁之间", "满足以下任一条件", "常住地在唐镇"]
    assert [c.text for c in described.children[1].children] == [
        "重点人群包括高校毕业生、退役军人中的任一项",
        "已登记失业",
    ]
