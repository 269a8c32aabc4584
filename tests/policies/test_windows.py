"""Windows counted from the evaluation date, to the day and by calendar year, each judged both
ways (per subject and over columns) with the answer written out: "founded within 3 years"
includes the third anniversary and not the day before it; "within 36 months" is the same
window in months; "graduated in the current year or the two before" (当年及之后2年) runs from
1 January two years back to the evaluation date; a date after the evaluation date is "not
yet" — outside every window, and no "months since" comparison holds for it."""

import datetime

import pytest

from chuangfu.policies import rules
from tests import factories as f

from .test_boundaries import born, both

pytestmark = pytest.mark.django_db
D = datetime.date


def founded(day):
    return f.enterprise(founded_on=day)


WITHIN_3_YEARS = {"fact": "founded_on", "op": "within_years", "value": 3}


@pytest.mark.parametrize(
    "founded_on, on, expected",
    [
        (D(2023, 6, 15), D(2026, 6, 15), "eligible"),  # the third anniversary itself
        (D(2023, 6, 14), D(2026, 6, 15), "ineligible"),  # three years and a day
        (D(2026, 6, 15), D(2026, 6, 15), "eligible"),  # founded on the day
        (D(2026, 6, 16), D(2026, 6, 15), "ineligible"),  # founded tomorrow: not yet
        (D(2021, 2, 28), D(2024, 2, 29), "eligible"),  # 29 February: three years back is 28 February
        (D(2021, 2, 27), D(2024, 2, 29), "ineligible"),
    ],
)
def test_founded_within_3_years_includes_the_anniversary_exactly(founded_on, on, expected):
    assert both(WITHIN_3_YEARS, founded(founded_on), on) == expected


def test_within_36_months_is_the_same_window_and_its_negation_is_the_rest():
    rule = {"fact": "founded_on", "op": "within_months", "value": 36}
    negated = {"not": rule}
    for day, inside in [(D(2023, 6, 15), True), (D(2023, 6, 14), False), (D(2026, 6, 16), False)]:
        enterprise = founded(day)
        assert both(rule, enterprise, D(2026, 6, 15)) == ("eligible" if inside else "ineligible")
        assert both(negated, enterprise, D(2026, 6, 15)) == ("ineligible" if inside else "eligible")


@pytest.mark.parametrize(
    "graduated, on, expected",
    [
        (D(2024, 1, 1), D(2026, 12, 31), "eligible"),  # two calendar years back, first day
        (D(2023, 12, 31), D(2026, 1, 1), "ineligible"),  # three calendar years back
        (D(2026, 6, 30), D(2026, 7, 1), "eligible"),  # this year, already graduated
        (D(2026, 6, 30), D(2026, 3, 1), "ineligible"),  # this year, but not yet graduated
    ],
)
def test_graduated_in_the_current_year_or_the_two_before(graduated, on, expected):
    rule = {"fact": "graduation_date", "op": "in_calendar_years", "value": 2}
    assert both(rule, born(D(2000, 1, 1), graduation_date=graduated), on) == expected


def test_a_founding_date_after_the_evaluation_date_meets_no_months_since_comparison():
    enterprise = founded(D(2026, 7, 1))
    on = D(2026, 6, 1)
    for op, value in [("lte", 36), ("lt", 36), ("gte", 0), ("between", [0, 12]), ("eq", 0), ("ne", 5)]:
        rule = {"fact": "months_since_founding", "op": op, "value": value}
        assert both(rule, enterprise, on) == "ineligible", op
        assert both({"not": rule}, enterprise, on) == "eligible", op
    explained = rules.explain(
        {"fact": "months_since_founding", "op": "lte", "value": 36},
        rules.RecordSource(rules.load_subject("enterprise", enterprise.pk)),
        rules.Context(on=on),
    )
    assert explained.root.actual == "尚未发生（日期晚于评估日）"


def test_a_described_subject_can_say_not_yet():
    rule = {"fact": "months_since_founding", "op": "lte", "value": 36}
    explained = rules.explain(
        rule, rules.GivenSource({"months_since_founding": "not_yet"}), rules.Context(on=D.today())
    )
    assert explained.result == "ineligible"


def test_windows_are_worded_and_validated():
    assert rules.describe(WITHIN_3_YEARS).text == "成立日期在评估日前 3 年内（含满 3 年当日，不晚于评估日）"
    current = {"fact": "graduation_date", "op": "in_calendar_years", "value": 2}
    assert rules.describe(current).text == "毕业日期在评估日所在年度或之前 2 个年度内（不晚于评估日）"
    this_year = {"fact": "graduation_date", "op": "in_calendar_years", "value": 0}
    assert rules.describe(this_year).text == "毕业日期在评估日所在年度内（不晚于评估日）"
    with pytest.raises(rules.RuleError) as refused:
        rules.validate_rule({"fact": "founded_on", "op": "within_years", "value": 0}, "enterprise")
    assert "取值必须是 1 至 150 之间的整数" in refused.value.errors[0]
    with pytest.raises(rules.RuleError):
        rules.validate_rule({"fact": "founded_on", "op": "within_years", "value": "3"}, "enterprise")


def test_staff_write_a_window_in_the_rule_editor(client):
    from django.urls import reverse

    from chuangfu.core.models import Role
    from chuangfu.policies.models import PolicyVersion

    from .conftest import make_policy

    policy = make_policy(code="young-firm", target="enterprise", status="draft", rule={})
    client.force_login(f.user(role=Role.DESK_STAFF))
    url = reverse("policies:rule_edit", args=[policy.pk, 1])
    fields = {"r.kind": "all", "r.0.fact": "founded_on", "r.0.op": "within_years", "r.0.value": "3"}
    drawn = client.post(url, {**fields, "action": "refresh"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="r.0.value" value="3"' in drawn and "成立日期在评估日前 3 年内" in drawn
    assert client.post(url, {**fields, "action": "save"}).status_code == 302
    assert PolicyVersion.objects.get(policy=policy).rule == {
        "all": [{"fact": "founded_on", "op": "within_years", "value": 3}]
    }
