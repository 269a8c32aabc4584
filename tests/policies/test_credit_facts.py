"""On a dishonesty list (失信) as a dated fact, judged both ways with the answers written out:
listed from the day of listing, off the list from the day of removal; a record that ended before
the date, or starts after it, does not count; a subject with no record is not listed."""

import datetime

import pytest

from chuangfu.policies import rules
from chuangfu.registry.models import CreditRecord
from tests import factories as f

from .test_boundaries import both

pytestmark = pytest.mark.django_db
D = datetime.date
CLEAN = {"fact": "credit_listed", "op": "is", "value": False}


@pytest.mark.parametrize(
    "on, expected",
    [
        (D(2025, 3, 9), "eligible"),  # the day before listing
        (D(2025, 3, 10), "ineligible"),  # listed that day
        (D(2026, 3, 9), "ineligible"),  # the last day on the list
        (D(2026, 3, 10), "eligible"),  # removed that day
    ],
)
def test_clean_credit_on_the_date(on, expected):
    person = f.person()
    CreditRecord.objects.create(person=person, listed_on=D(2025, 3, 10), removed_on=D(2026, 3, 10))
    assert both(CLEAN, person, on) == expected


def test_an_enterprise_still_listed_and_one_never_listed():
    listed, clean = f.enterprise(), f.enterprise()
    CreditRecord.objects.create(enterprise=listed, listed_on=D(2024, 1, 1), authority="区法院")
    rule = {"fact": "enterprise_credit_listed", "op": "is", "value": True}
    assert both(rule, listed, D(2030, 1, 1)) == "eligible"
    assert both(rule, clean, D(2030, 1, 1)) == "ineligible"


def test_a_guaranteed_loan_rule_with_clean_credit_of_the_legal_representative():
    """创业担保贷款 in part: the enterprise and its legal representative are not listed."""
    rep = f.person()
    firm = f.enterprise(legal_representative=rep)
    rule = {
        "all": [
            {"fact": "enterprise_credit_listed", "op": "is", "value": False},
            {"fact": "legal_rep", "op": "satisfies", "value": {"all": [CLEAN]}},
        ]
    }
    assert both(rule, firm, D(2026, 6, 1)) == "eligible"
    CreditRecord.objects.create(person=rep, listed_on=D(2026, 6, 1))
    assert both(rule, firm, D(2026, 6, 1)) == "almost"
    explained = rules.explain(
        rule, rules.RecordSource(rules.load_subject("enterprise", firm.pk)), rules.Context(on=D(2026, 6, 1))
    )
    assert explained.open_condition.children[0].actual == "在失信名单中"
    assert rules.describe(CLEAN).text == "不在失信名单中"
