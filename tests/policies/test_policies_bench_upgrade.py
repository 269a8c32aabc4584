"""A policies benchmark site kept from an older setup is brought up to date by idempotent steps
(benchmarks/policies_match.py ``upgrade``), not seeded again: the bench policies get today's rules
(their stored matches dropped), premises are written once however often the step runs."""

import sys
from collections import Counter
from pathlib import Path

import pytest
from django.utils import timezone

from chuangfu.policies.demo import seed_policies
from chuangfu.policies.models import Match, MatchRun, Policy, PolicyVersion, Result
from chuangfu.policies.services.matching import match_policies
from chuangfu.registry.models import Premises
from tests import factories as f

pytestmark = pytest.mark.django_db

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def bench():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import policies_match

        yield policies_match
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_an_old_site_gets_the_new_policies_and_premises_by_an_idempotent_step(bench):
    on = timezone.localdate()
    seed_policies()
    bench._generated_policies(bench.POLICIES - Policy.objects.count())
    enterprises = [f.enterprise() for _i in range(9)]
    kept = Premises.objects.create(enterprise=enterprises[0], address="员工录入的场地", area=50)
    # as a version-1 site: bench-07 with the rule of then, matched and stored
    old_rule = {"all": [{"fact": "insured_employees", "op": "gte", "value": 0}]}
    seventh = Policy.objects.get(code="bench-07")
    PolicyVersion.objects.filter(policy=seventh).update(rule=old_rule)
    Policy.objects.filter(pk=seventh.pk).update(title="小微企业稳岗补贴")
    # ... and the demo's first-startup subsidy with months for its windows, as seeded before version 3
    startup = Policy.objects.get(code="sh-first-startup-subsidy")
    PolicyVersion.objects.filter(policy=startup).update(
        rule={"all": [{"fact": "months_since_graduation", "op": "lte", "value": 24}]}
    )
    match_policies(policies=list(Policy.objects.all()), on=on)
    first = Policy.objects.get(code="bench-01")
    first_run = MatchRun.objects.get(policy=first).pk
    assert MatchRun.objects.filter(policy=seventh).exists()

    done = bench.upgrade(1)

    assert set(done) == {2, 3} and done[2]["bench_policies_changed"] == 1
    assert done[3]["demo_policies_changed"] == 1
    graduation = PolicyVersion.objects.get(policy=startup).rule["all"][1]["any"][0]["all"][1]
    assert (graduation["fact"], graduation["op"], graduation["value"]) == ("graduation_date", "within_years", 2)
    assert not MatchRun.objects.filter(policy=startup).exists()
    seventh.refresh_from_db()
    assert seventh.title == bench.BENCH_POLICIES[6][1]
    assert PolicyVersion.objects.get(policy=seventh).rule["all"][0]["fact"] == "leased_in_carrier"
    assert not Match.objects.filter(policy=seventh).exists() and not MatchRun.objects.filter(policy=seventh).exists()
    assert MatchRun.objects.get(policy=first).pk == first_run  # unchanged policies keep their run
    written = Premises.objects.exclude(pk=kept.pk)
    ids = set(written.values_list("enterprise_id", flat=True))
    assert done[2]["premises"] == written.count() > 0 and ids and all(i % 3 == 0 or i % 9 == 0 for i in ids)
    assert written.filter(lease_start__isnull=False, lease_end__gte=on, lease_start__lte=on).exists()
    # a multiset: an enterprise may have a lease with dates and one without, which do not sort
    rows = Counter(written.values_list("enterprise_id", "lease_start", "lease_end", "area", "lease_registered"))

    again = bench.upgrade(1)  # idempotent: nothing changes, the same rows
    assert again[2]["bench_policies_changed"] == 0 and again[2]["premises"] == done[2]["premises"]
    assert again[3]["demo_policies_changed"] == 0
    assert Counter(written.values_list("enterprise_id", "lease_start", "lease_end", "area", "lease_registered")) == rows
    assert Premises.objects.filter(pk=kept.pk).exists()  # staff's own rows are not the benchmark's
    assert bench.upgrade(3) == {}

    match_policies(policies=list(Policy.objects.all()), on=on)  # the upgraded site matches
    assert Match.objects.filter(result=Result.ELIGIBLE).exists()
