"""A rule that can match nobody is refused when saved, with the reason — contradictions anywhere
in the tree (nested groups, negations, relations), not only between siblings; a rule that some
subject could meet is never refused."""

import pytest

from chuangfu.policies import rules
from chuangfu.registry.models import Tag

pytestmark = pytest.mark.django_db


def c(fact, op, value, **args):
    cond = {"fact": fact, "op": op, "value": value}
    if args:
        cond["args"] = args
    return cond


def refused(rule, subject="person") -> list[str]:
    with pytest.raises(rules.RuleError) as error:
        rules.validate_rule(rule, subject)
    return error.value.errors


def accepted(rule, subject="person"):
    rules.validate_rule(rule, subject)


AGE_30 = c("age", "eq", 30)


def test_equal_and_not_equal_to_the_same_value():
    (reason,) = refused({"all": [AGE_30, c("age", "ne", 30)]})
    assert reason == "条件 1、条件 2 互相矛盾：年龄为 30 周岁且年龄不为 30 周岁，没有对象能同时满足。"


def test_a_condition_with_its_own_negation_whatever_the_fact():
    Tag.objects.get_or_create(code="ecommerce", defaults={"name": "电商"})
    for cond, subject in [
        (AGE_30, "person"),
        (c("groups", "has_all", ["graduate", "veteran"]), "person"),
        (c("residence", "within", "310115114"), "person"),
        (c("hukou_kind", "in", ["local"]), "person"),
        (c("granted", "is", False, policy="self", within_months=12), "person"),
        (c("founded_on", "within_years", 3), "enterprise"),
        (c("tags", "has_any", ["ecommerce"]), "enterprise"),
    ]:
        reasons = refused({"all": [cond, {"not": cond}]}, subject)
        assert len(reasons) == 1, reasons
        (reason,) = reasons
        assert "互相矛盾" in reason and "并非“" in reason, reason


def test_contradictions_across_nested_groups_and_negations():
    rule = {"all": [c("age", "gte", 40), {"any": [{"all": [c("age", "lte", 35)]}, {"not": c("age", "gt", 20)}]}]}
    reasons = refused(rule)
    assert reasons == [
        "条件 1、条件 2.1.1 互相矛盾：年龄不小于 40 周岁且年龄不超过 35 周岁，没有对象能同时满足。",
        "条件 1、条件 2.2 互相矛盾：年龄不小于 40 周岁且并非“年龄大于 20 周岁”，没有对象能同时满足。",
    ]


def test_disjoint_ranges_and_choices():
    refused({"all": [c("age", "between", [18, 35]), {"all": [c("age", "between", [40, 50])]}]})
    refused({"all": [c("education", "at_least", "master"), c("education", "in", ["college", "bachelor"])]})
    refused({"all": [c("residence", "within", "310115114"), c("residence", "within", "310115125")]})
    refused({"all": [c("groups", "has_all", ["graduate"]), c("groups", "has_none", ["graduate", "veteran"])]})


def test_the_legal_representatives_conditions_meet_the_subjects_own_relation():
    rule = {
        "all": [
            c("legal_rep", "satisfies", c("age", "lte", 35)),
            {"not": c("legal_rep", "satisfies", c("age", "lt", 40))},
        ]
    }
    (reason,) = refused(rule, "enterprise")
    assert "法定代表人年龄不超过 35 周岁" in reason


def test_represents_needs_one_enterprise_meeting_the_condition_and_none_of_the_refused():
    wanted = c("represents", "satisfies", c("insured_employees", "gte", 1))
    refused({"all": [wanted, {"not": c("represents", "satisfies", c("insured_employees", "gte", 0))}]})
    # two different enterprises may meet two conditions that one could not
    accepted({"all": [wanted, c("represents", "satisfies", c("insured_employees", "eq", 0))]})


def test_months_since_a_date_not_yet_reached_meets_negations():
    # "not at most 36 months" and "not at least 1 month": an enterprise founded after the date
    accepted(
        {"all": [{"not": c("months_since_founding", "lte", 36)}, {"not": c("months_since_founding", "gte", 1)}]},
        "enterprise",
    )
    refused({"all": [c("months_since_founding", "gte", 40), c("months_since_founding", "lte", 36)]}, "enterprise")


def test_windows_nest_and_exclude_each_other_but_absolute_dates_depend_on_the_day():
    refused({"all": [c("founded_on", "within_months", 6), {"not": c("founded_on", "within_years", 1)}]}, "enterprise")
    accepted({"all": [c("founded_on", "within_years", 3), {"not": c("founded_on", "within_months", 6)}]}, "enterprise")
    accepted({"all": [c("founded_on", "before", "2000-01-01"), c("founded_on", "within_years", 3)]}, "enterprise")


def test_satisfiable_rules_are_accepted():
    accepted({"any": [c("age", "gte", 40), c("age", "lte", 35)]})
    accepted({"all": [c("age", "gte", 18), c("age", "lte", 35), {"not": AGE_30}]})
    accepted({"all": [c("groups", "has_any", ["graduate", "veteran"]), c("groups", "has_none", ["graduate"])]})
