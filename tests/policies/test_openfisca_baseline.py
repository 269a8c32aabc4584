"""The policies-match benchmark's second baseline — openfisca-core computing the same rules after
the same read (benchmarks/_openfisca.py) — must compute the same thing as our engine, or its
time says nothing: on a small registry with facts missing, right at the demo rules' boundaries,
enterprises without a legal representative in the registry and people representing two
enterprises, every policy's eligible set from OpenFisca equals the one our full match stores."""

import datetime
import random
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from chuangfu.policies.demo import seed_policies
from chuangfu.policies.models import Grant, Match, Policy, Result
from chuangfu.policies.rules import dates
from chuangfu.policies.selectors import version_in_force
from chuangfu.policies.services.matching import match_policies
from chuangfu.registry.models import (
    Carrier,
    CarrierKind,
    Education,
    EmploymentStatus,
    Enterprise,
    EnterprisePerson,
    EntityType,
    HukouKind,
    PersonGroup,
    PriorityGroup,
    RegistrationStatus,
    Tag,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def baseline():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import _openfisca
        import policies_match

        yield _openfisca, policies_match
    finally:
        sys.path.remove(str(BENCHMARKS))


def _registry(rng: random.Random, on: datetime.date):
    places = [f.town(), f.district(), f.town("310115125")]
    carriers = [
        Carrier.objects.create(kind=kind, name=f"载体{kind}", jurisdiction=f.town())
        for kind in (CarrierKind.BASE, CarrierKind.INCUBATOR)
    ]
    tags = list(Tag.objects.all()) or [Tag.objects.create(code="innovation", name="科技创新")]

    def near_months(n_max):
        return dates.months_before(on, rng.randint(-2, n_max)) + datetime.timedelta(days=rng.randint(-1, 1))

    # The first person and the first enterprise satisfy the demo rules' relations (the baseline's
    # placeholders take their places in OpenFisca's arrays: a placeholder wrongly counted shows).
    people = [f.person(birth_date=dates.years_before(on, 28), hukou_kind="local", jurisdiction=places[0])]
    PersonGroup.objects.create(person=people[0], group="graduate")
    first = f.enterprise(
        founded_on=dates.months_before(on, 14),
        entity_type="sole_proprietor",
        is_small_micro=True,
        registration_status="active",
        jurisdiction=places[0],
        insured_employees=2,
        legal_representative=people[0],
    )
    EnterprisePerson.objects.create(enterprise=first, person=people[0], relation="legal_rep")
    f.enterprise(
        founded_on=dates.months_before(on, 14),
        entity_type="sole_proprietor",
        is_small_micro=True,
        registration_status="active",
        jurisdiction=places[0],
        insured_employees=2,
        legal_representative=None,
    )
    for _i in range(59):
        people.append(
            f.person(
                birth_date=dates.years_before(on, rng.randint(15, 66)) + datetime.timedelta(days=rng.randint(-1, 1)),
                hukou_kind=rng.choice(["", *HukouKind.values]),
                jurisdiction=rng.choice(places),
                education=rng.choice(["", *Education.values]),
                graduation_date=rng.choice([None, near_months(30)]),
                employment_status=rng.choice(["", *EmploymentStatus.values]),
                unemployment_registered_on=rng.choice([None, near_months(12)]),
                entrepreneurial_intent=rng.random() < 0.5,
            )
        )
        for group in rng.sample(PriorityGroup.values, rng.randint(0, 2)):
            PersonGroup.objects.create(person=people[-1], group=group)
    for i in range(45):
        # the first people represent two enterprises; some enterprises have no representative
        rep = people[i % 10] if i < 20 else rng.choice([None, None, *people])
        enterprise = f.enterprise(
            founded_on=rng.choice([None, near_months(40)]),
            entity_type=rng.choice(EntityType.values),
            is_small_micro=rng.random() < 0.6,
            registration_status=rng.choice(RegistrationStatus.values),
            jurisdiction=rng.choice(places),
            insured_employees=rng.choice([None, 0, 1, 2, 5]),
            carrier=rng.choice([None, *carriers]),
            legal_representative=rep,
        )
        enterprise.tags.set(rng.sample(tags, rng.randint(0, len(tags))))
        if rep is not None:
            EnterprisePerson.objects.create(enterprise=enterprise, person=rep, relation="legal_rep")
        if rng.random() < 0.3:
            EnterprisePerson.objects.create(enterprise=enterprise, person=rng.choice(people), relation="founder")
    for policy in Policy.objects.all():
        subjects = people if policy.target == "person" else list(Enterprise.objects.all())
        for subject in rng.sample(subjects, 4):
            Grant.objects.create(
                policy=policy, granted_on=near_months(48), source=Grant.Source.MANUAL, **{policy.target: subject}
            )


@pytest.mark.parametrize("seed", [1, 2])
def test_openfisca_finds_the_same_eligible_subjects_as_our_full_match(baseline, seed):
    _openfisca, policies_match = baseline
    seed_policies()
    policies_match._generated_policies(policies_match.POLICIES - Policy.objects.count())
    on = timezone.localdate()
    _registry(random.Random(seed), on)
    policies = list(Policy.objects.order_by("id"))
    match_policies(policies=policies, on=on)

    out = _openfisca.run(policies_match._keep, [(p, version_in_force(p, on)) for p in policies], on)

    found_any = 0
    for policy in policies:
        ids, eligible = out["eligible"][policy.code]
        theirs = {int(i) for i, ok in zip(ids, eligible) if ok}
        ours = set(
            Match.objects.filter(policy=policy, result=Result.ELIGIBLE).values_list(f"{policy.target}_id", flat=True)
        )
        assert theirs == ours, policy.code
        found_any += len(ours)
    assert found_any > 0  # the registry is not so odd that nobody is eligible for anything
