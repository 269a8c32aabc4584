"""Premises and leases in rules (房租补贴), judged both ways with the answers written out: a lease
in force from its first day to its last, its term in whole months (1 January – 31 December is 12),
the area leased, registered (备案), in a carrier; no premises recorded is to be verified; the demo
rent subsidy over the registry and through the self-check."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from chuangfu.policies import rules
from chuangfu.policies.demo import ALL_DEMO_POLICIES, seed_policies
from chuangfu.policies.models import Policy
from chuangfu.registry.models import Carrier, CarrierKind, Premises
from tests import factories as f

from .test_boundaries import both

pytestmark = pytest.mark.django_db
D = datetime.date


def c(fact, op, value):
    return {"fact": fact, "op": op, "value": value}


def leased(start, end, area="50", registered=False, carrier=None, firm=None):
    firm = firm or f.enterprise()
    Premises.objects.create(
        enterprise=firm,
        address="唐镇某路",
        area=Decimal(area),
        lease_start=start,
        lease_end=end,
        lease_registered=registered,
        carrier=carrier,
    )
    return firm


A_YEAR = c("lease_months", "gte", 12)


@pytest.mark.parametrize(
    "on, expected",
    [
        (D(2024, 12, 31), "ineligible"),  # the day before the lease starts: none in force (0)
        (D(2025, 1, 1), "eligible"),  # its first day
        (D(2025, 12, 31), "eligible"),  # its last day
        (D(2026, 1, 1), "ineligible"),  # ended
    ],
)
def test_a_one_year_lease_is_in_force_from_its_first_day_to_its_last(on, expected):
    assert both(A_YEAR, leased(D(2025, 1, 1), D(2025, 12, 31)), on) == expected


def test_a_lease_a_day_short_of_a_year_and_no_premises_at_all():
    assert both(A_YEAR, leased(D(2025, 1, 15), D(2026, 1, 13)), D(2025, 6, 1)) == "ineligible"
    assert both(A_YEAR, leased(D(2025, 1, 15), D(2026, 1, 14)), D(2025, 6, 1)) == "eligible"
    assert both(A_YEAR, f.enterprise(), D(2025, 6, 1)) == "unknown"
    assert both(A_YEAR, leased(None, None), D(2025, 6, 1)) == "ineligible"  # owned: no lease


def test_area_registration_and_carrier_of_the_leases_in_force():
    incubator = Carrier.objects.create(kind=CarrierKind.INCUBATOR, name="孵化器", jurisdiction=f.town())
    firm = leased(D(2025, 1, 1), D(2026, 12, 31), area="30.6", registered=True, carrier=incubator)
    leased(D(2025, 1, 1), D(2025, 3, 31), area="100", firm=firm)  # ended before the date
    leased(D(2025, 6, 1), D(2027, 5, 31), area="19.5", firm=firm)
    on = D(2025, 7, 1)
    assert both(c("leased_area", "gte", 50), firm, on) == "eligible"  # 30.6 + 19.5 = 50.1 → 50
    assert both(c("leased_area", "gte", 51), firm, on) == "ineligible"
    assert both(c("lease_registered", "is", True), firm, on) == "eligible"
    assert both(c("leased_in_carrier", "is", True), firm, on) == "eligible"
    assert both(c("lease_months", "eq", 24), firm, on) == "eligible"  # the longer of 24 and 24 months
    assert both(c("leased_in_carrier", "is", True), firm, D(2027, 1, 1)) == "ineligible"


def test_the_demo_rent_subsidy_over_the_registry_and_through_the_self_check(client):
    assert seed_policies(ALL_DEMO_POLICIES) == len(ALL_DEMO_POLICIES)
    policy = Policy.objects.get(code="tz-startup-rent-subsidy")
    rule = policy.versions.get().rule
    town = f.town()
    firm = f.enterprise(
        jurisdiction=town,
        founded_on=D(2025, 3, 1),
        entity_type="company",
        is_small_micro=True,
        business_scope="软件开发；技术咨询",
    )
    leased(D(2025, 4, 1), D(2027, 3, 31), registered=True, firm=firm)
    ctx = rules.Context(on=D(2026, 6, 1), policy_code=policy.code)
    assert both(rule, firm, D(2026, 6, 1), policy.code) == "eligible"
    estate = f.enterprise(jurisdiction=town, founded_on=D(2025, 3, 1), business_scope="房地产开发经营")
    leased(D(2025, 4, 1), D(2027, 3, 31), registered=True, firm=estate)
    assert both(rule, estate, D(2026, 6, 1), policy.code) == "almost"
    explained = rules.explain(rule, rules.RecordSource(rules.load_subject("enterprise", estate.pk)), ctx)
    assert explained.open_condition.text == "经营范围不含“房地产开发”、“类金融”、“典当”"
    form = client.get(reverse("policy:self_check") + "?kind=enterprise").content.decode()
    assert 'name="lease_months"' in form and 'name="lease_registered"' in form and 'name="business_scope"' in form
