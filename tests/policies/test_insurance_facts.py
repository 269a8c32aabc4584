"""Social insurance in Shanghai as rule facts, with the answers worked out by hand and each judged
both ways (per subject and over columns, ``both``): a month counts once it is before the month of
the evaluation date; "continuous" is the run that ends last month; an enterprise "insures an
employee for 6 months" when it paid for that person in each of the last six months."""

import datetime

import pytest

from chuangfu.policies import rules
from chuangfu.registry.models import InsuranceMonth
from tests import factories as f

from .test_boundaries import both

pytestmark = pytest.mark.django_db
D = datetime.date


def insure(person, first: D, last: D, enterprise=None, uscc=None):
    """Months ``first`` … ``last`` (first days) paid for ``person``."""
    month = first
    while month <= last:
        InsuranceMonth.objects.create(
            person=person,
            month=month,
            enterprise=enterprise,
            employer_uscc=uscc if uscc is not None else (enterprise.uscc if enterprise else ""),
        )
        month = D(month.year + (month.month == 12), month.month % 12 + 1, 1)


SIX_MONTHS = {"fact": "insured_months", "op": "gte", "value": 6}
SIX_IN_A_ROW = {"fact": "insured_continuous_months", "op": "gte", "value": 6}


@pytest.mark.parametrize(
    "on, expected",
    [
        (D(2026, 6, 30), "ineligible"),  # January … May: five months before June
        (D(2026, 7, 1), "eligible"),  # January … June: six, on the first day of July
        (D(2026, 7, 31), "eligible"),
    ],
)
def test_six_months_insured_counts_months_before_the_month_of_the_date(on, expected):
    person = f.person()
    insure(person, D(2026, 1, 1), D(2026, 12, 1))  # also July … December: not counted before they end
    assert both(SIX_MONTHS, person, on) == expected
    assert both(SIX_IN_A_ROW, person, on) == expected


def test_a_gap_breaks_the_run_but_not_the_total():
    person = f.person()
    insure(person, D(2025, 1, 1), D(2025, 12, 1))  # twelve months
    insure(person, D(2026, 2, 1), D(2026, 5, 1))  # January 2026 missing; four months
    on = D(2026, 6, 10)
    assert both(SIX_MONTHS, person, on) == "eligible"  # 16 in all
    assert both(SIX_IN_A_ROW, person, on) == "ineligible"  # 4 in a row
    assert both({"fact": "insured_continuous_months", "op": "eq", "value": 4}, person, on) == "eligible"
    assert both({"fact": "insured_months", "op": "eq", "value": 16}, person, on) == "eligible"


def test_no_payment_last_month_means_no_run_and_two_employers_in_a_month_count_once():
    person, other = f.person(), f.enterprise()
    insure(person, D(2026, 1, 1), D(2026, 4, 1))
    insure(person, D(2026, 3, 1), D(2026, 4, 1), enterprise=other)  # the same months, a second employer
    on = D(2026, 6, 1)  # May unpaid
    assert both({"fact": "insured_continuous_months", "op": "eq", "value": 0}, person, on) == "eligible"
    assert both({"fact": "insured_months", "op": "eq", "value": 4}, person, on) == "eligible"


def test_a_person_the_extract_does_not_list_has_no_months_rather_than_unknown():
    person = f.person()
    assert both(SIX_MONTHS, person, D(2026, 6, 1)) == "ineligible"
    explained = rules.explain(
        SIX_MONTHS, rules.RecordSource(rules.load_subject("person", person.pk)), rules.Context(on=D(2026, 6, 1))
    )
    assert explained.root.actual == "0 个月"


EMPLOYS_ONE_FOR_6 = {"fact": "employees_insured", "op": "gte", "value": 1, "args": {"months": 6}}


def test_an_enterprise_insures_an_employee_for_six_months_in_a_row_up_to_last_month():
    firm, elsewhere = f.enterprise(), f.enterprise()
    employee, short, moved = f.person(), f.person(), f.person()
    insure(employee, D(2025, 12, 1), D(2026, 5, 1), enterprise=firm)  # December … May: six
    insure(short, D(2026, 1, 1), D(2026, 5, 1), enterprise=firm)  # five
    insure(moved, D(2025, 6, 1), D(2025, 11, 1), enterprise=elsewhere)  # six, but elsewhere …
    insure(moved, D(2025, 12, 1), D(2026, 5, 1), enterprise=firm)  # … then six here
    assert both(EMPLOYS_ONE_FOR_6, firm, D(2026, 5, 31)) == "ineligible"  # May not yet complete
    assert both(EMPLOYS_ONE_FOR_6, firm, D(2026, 6, 1)) == "eligible"
    two = {**EMPLOYS_ONE_FOR_6, "value": 2}
    assert both(two, firm, D(2026, 6, 1)) == "eligible"  # employee and moved
    assert both({**two, "value": 3}, firm, D(2026, 6, 1)) == "ineligible"  # short has five
    assert both({**two, "op": "eq", "value": 3, "args": {"months": 5}}, firm, D(2026, 6, 1)) == "eligible"
    assert both(two, firm, D(2026, 7, 1)) == "ineligible"  # June unpaid: nobody is insured now
    assert both(EMPLOYS_ONE_FOR_6, elsewhere, D(2026, 6, 1)) == "ineligible"


def test_first_time_founding_subsidy_with_insurance_conditions_a_hand_written_case():
    """首次创业一次性补贴 in part: the person's enterprise insures at least one person for 6 months."""
    rule = {
        "all": [
            {"fact": "hukou_kind", "op": "in", "value": ["local"]},
            {"fact": "represents", "op": "satisfies", "value": {"all": [EMPLOYS_ONE_FOR_6]}},
        ]
    }
    founder = f.person(hukou_kind="local")
    firm = f.enterprise(legal_representative=founder)
    insure(f.person(), D(2026, 1, 1), D(2026, 6, 1), enterprise=firm)
    assert both(rule, founder, D(2026, 7, 1)) == "eligible"
    assert both(rule, founder, D(2026, 6, 30)) == "almost"  # five complete months


def test_the_wording_the_check_and_the_described_subject():
    assert rules.describe(EMPLOYS_ONE_FOR_6).text == "连续参保满 6 个月的职工人数不小于 1 人"
    assert rules.describe(SIX_IN_A_ROW).text == "在沪连续参保月数不小于 6 个月"
    with pytest.raises(rules.RuleError) as refused:
        rules.validate_rule({"fact": "employees_insured", "op": "gte", "value": 1}, "enterprise")
    assert "连续参保月数必须是 1 至 600 之间的整数" in refused.value.errors[0]
    ctx = rules.Context(on=D(2026, 6, 1))
    assert (
        rules.explain(EMPLOYS_ONE_FOR_6, rules.GivenSource({"employees_insured": {"6": 1}}), ctx).result == "eligible"
    )
    assert rules.explain(EMPLOYS_ONE_FOR_6, rules.GivenSource({"employees_insured": {"3": 1}}), ctx).result == "unknown"
    with pytest.raises(rules.RuleError):
        rules.validate_rule({"all": [{**SIX_MONTHS, "op": "lt"}, SIX_MONTHS]}, "person")
