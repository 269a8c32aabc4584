"""Founders and shareholders as rule facts, judged both ways (``both``) with the answers written
out by hand: "an enterprise this person founded / holds at least N % of", where a holding whose
share is not recorded can only make the answer unknown; first-time founding (初次创业): none of the
legal representative's other foundings is older — a same-day founding does not count as older."""

import datetime
from decimal import Decimal

import pytest

from chuangfu.policies import rules
from chuangfu.registry.models import EnterprisePerson
from tests import factories as f

from .test_boundaries import both

pytestmark = pytest.mark.django_db
D = datetime.date
ON = D(2026, 6, 1)
FOUNDER, LEGAL_REP = EnterprisePerson.Relation.FOUNDER, EnterprisePerson.Relation.LEGAL_REPRESENTATIVE
SMALL_MICRO = {"all": [{"fact": "is_small_micro", "op": "is", "value": True}]}


def link(person, enterprise, relation=FOUNDER, share=None):
    EnterprisePerson.objects.create(
        person=person, enterprise=enterprise, relation=relation, share=None if share is None else Decimal(share)
    )


def holds(n, rule=SMALL_MICRO):
    return {"fact": "shareholding", "op": "satisfies", "value": rule, "args": {"share": n}}


@pytest.mark.parametrize(
    "share, n, expected",
    [
        ("30", 30, "eligible"),  # exactly 30 %
        ("29.99", 30, "ineligible"),
        ("100", 51, "eligible"),
        (None, 30, "unknown"),  # share not recorded
    ],
)
def test_holds_at_least_n_percent_of_a_small_micro_enterprise(share, n, expected):
    person = f.person()
    link(person, f.enterprise(is_small_micro=True), share=share)
    assert both(holds(n), person, ON) == expected


def test_an_unknown_share_never_makes_a_not_met_enterprise_met_and_a_known_one_decides():
    person = f.person()
    link(person, f.enterprise(is_small_micro=False), share=None)  # share unknown, but not small/micro
    assert both(holds(30), person, ON) == "ineligible"
    link(person, f.enterprise(is_small_micro=True), share="40")
    assert both(holds(30), person, ON) == "eligible"
    assert both({"not": holds(30)}, person, ON) == "ineligible"


def test_founded_an_enterprise_counts_legal_representative_and_founder_links_not_employees():
    founder, employee = f.person(), f.person()
    firm = f.enterprise(is_small_micro=True)
    link(founder, firm, relation=LEGAL_REP)
    link(employee, firm, relation=EnterprisePerson.Relation.EMPLOYEE)
    rule = {"fact": "founded_enterprise", "op": "satisfies", "value": SMALL_MICRO}
    assert both(rule, founder, ON) == "eligible"
    assert both(rule, employee, ON) == "ineligible"


FIRST = {"fact": "first_founding", "op": "is", "value": True}


def test_first_time_founding_by_founding_dates():
    person = f.person()
    first = f.enterprise(founded_on=D(2024, 3, 1), legal_representative=person)
    second = f.enterprise(founded_on=D(2025, 3, 1), legal_representative=person)
    same_day = f.enterprise(founded_on=D(2024, 3, 1), legal_representative=person)
    for enterprise in (first, second, same_day):
        link(person, enterprise, relation=LEGAL_REP)
    old_shareholding = f.enterprise(founded_on=D(2020, 1, 1))
    assert both(FIRST, first, ON) == "eligible"
    assert both(FIRST, second, ON) == "ineligible"
    assert both(FIRST, same_day, ON) == "eligible"  # founded the same day: not before it
    link(person, old_shareholding, share="5")  # a founder of an older company all along
    assert both(FIRST, first, ON) == "ineligible"


def test_first_time_founding_is_unknown_without_dates_or_representative():
    person = f.person()
    firm = f.enterprise(founded_on=D(2025, 1, 1), legal_representative=person)
    link(person, firm, relation=LEGAL_REP)
    link(person, f.enterprise(founded_on=None))  # another founding without a date
    assert both(FIRST, firm, ON) == "unknown"
    assert both(FIRST, f.enterprise(founded_on=D(2025, 1, 1)), ON) == "unknown"  # no legal representative
    alone = f.person()
    only = f.enterprise(founded_on=D(2025, 1, 1), legal_representative=alone)
    assert both(FIRST, only, ON) == "eligible"  # no link rows at all: nothing older


def test_a_described_person_with_holdings_and_the_wording():
    ctx = rules.Context(on=ON)
    described = {"shareholding": [{"is_small_micro": True, "share": 30}, {"is_small_micro": True}]}
    assert rules.explain(holds(30), rules.GivenSource(described), ctx).result == "eligible"
    assert rules.explain(holds(31), rules.GivenSource(described), ctx).result == "unknown"
    assert rules.explain(holds(31), rules.GivenSource({"shareholding": []}), ctx).result == "ineligible"
    assert rules.describe(holds(30)).text == "持股不少于 30% 的企业中，至少有一家满足以下条件"
    with pytest.raises(rules.RuleError) as refused:
        rules.validate_rule({"all": [{**holds(30), "args": {}}]}, "person")
    assert "持股比例必须是 1 至 100 之间的整数" in refused.value.errors[0]


def test_the_self_check_asks_for_holdings_with_their_shares_and_employees_insured(client):
    from django.urls import reverse

    from .conftest import make_policy

    make_policy(code="holder", title="股东补贴", rule={"all": [holds(30)]})
    make_policy(
        code="insures",
        title="吸纳就业补贴",
        target="enterprise",
        rule={"all": [{"fact": "employees_insured", "op": "gte", "value": 2, "args": {"months": 6}}]},
    )
    form = client.get(reverse("policy:self_check")).content.decode()
    assert 'name="shareholding__share"' in form and 'name="shareholding__is_small_micro"' in form
    answers = {"kind": "person", "shareholding": "one", "shareholding__is_small_micro": "true"}
    unknown = client.post(reverse("policy:self_check"), answers).context["results"]
    assert [item.policy.code for item in unknown["unknown"]] == ["holder"]
    met = client.post(reverse("policy:self_check"), {**answers, "shareholding__share": "30"}).context["results"]
    assert [item.policy.code for item in met["eligible"]] == ["holder"]
    below = client.post(reverse("policy:self_check"), {**answers, "shareholding__share": "29.5"}).context["results"]
    assert [item.policy.code for item in below["eligible"]] == []
    firm = client.post(reverse("policy:self_check"), {"kind": "enterprise", "employees_insured": "2"})
    assert [item.policy.code for item in firm.context["results"]["eligible"]] == ["insures"]


def test_staff_write_a_shareholding_and_an_insurance_condition_in_the_editor(client):
    from django.urls import reverse

    from chuangfu.core.models import Role
    from chuangfu.policies.models import PolicyVersion

    from .conftest import make_policy

    policy = make_policy(code="holder-draft", status="draft", rule={})
    client.force_login(f.user(role=Role.DESK_STAFF))
    url = reverse("policies:rule_edit", args=[policy.pk, 1])
    fields = {
        "r.kind": "all",
        "r.0.fact": "shareholding",
        "r.0.op": "satisfies",
        "r.0.share": "30",
        "r.0.v.kind": "all",
        "r.0.v.0.fact": "employees_insured",
        "r.0.v.0.months": "6",
        "r.0.v.0.op": "gte",
        "r.0.v.0.value": "1",
    }
    drawn = client.post(url, {**fields, "action": "refresh"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="r.0.share" value="30"' in drawn and 'name="r.0.v.0.months" value="6"' in drawn
    assert "连续参保满 6 个月的职工人数不小于 1 人" in drawn
    assert client.post(url, {**fields, "action": "save"}).status_code == 302
    assert PolicyVersion.objects.get(policy=policy).rule == {
        "all": [
            {
                **holds(30),
                "value": {"all": [{"fact": "employees_insured", "op": "gte", "value": 1, "args": {"months": 6}}]},
            }
        ]
    }


def test_a_shareholding_that_no_enterprise_can_meet_is_refused_with_its_name():
    impossible = {
        "all": [
            {"fact": "is_small_micro", "op": "is", "value": True},
            {"fact": "is_small_micro", "op": "is", "value": False},
        ]
    }
    with pytest.raises(rules.RuleError) as refused:
        rules.validate_rule({"all": [holds(30, impossible)]}, "person")
    assert "要求持股的企业满足的条件无法同时成立" in refused.value.errors[0]
