"""The policies-match benchmark's second baseline — openfisca-core computing the same rules after
the same read (benchmarks/_openfisca.py) — must compute the same thing as our engine, or its
time says nothing: on a small registry with facts missing, right at the demo rules' boundaries,
enterprises without a legal representative in the registry and people representing two
enterprises, every policy's eligible set from OpenFisca equals the one our full match stores."""

import datetime
import random
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from chuangfu.policies import rules
from chuangfu.policies.demo import seed_policies
from chuangfu.policies.models import Grant, Match, Policy, Result
from chuangfu.policies.rules import dates
from chuangfu.policies.selectors import version_in_force
from chuangfu.policies.services import matching
from chuangfu.policies.services.matching import match_policies
from chuangfu.registry.industry import section_of_division
from chuangfu.registry.models import (
    Carrier,
    CarrierKind,
    CreditRecord,
    DisabilityGrade,
    DisabilityKind,
    Education,
    EmploymentStatus,
    Enterprise,
    EnterprisePerson,
    EntityType,
    HardshipType,
    HukouKind,
    InsuranceMonth,
    PersonGroup,
    Premises,
    PriorityGroup,
    RegistrationStatus,
    Tag,
)
from chuangfu.registry.retirement import RetirementGroup
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


SCOPES = [
    "",
    "软件开发；信息技术咨询服务",
    "互联网信息服务；网络技术服务",
    "APP开发；App运营",  # ASCII letters compare without case
    "房地产开发经营；物业管理",
    "餐饮服务；食品销售",
    "ｐｐ软件",  # full-width letters do not fold
]


def _group_details(rng: random.Random, group: str, on: datetime.date) -> dict:
    """A priority group's own facts, blank for some members (unknown), dates around the windows."""
    if rng.random() < 0.2:
        return {}
    if group == PriorityGroup.HARD_TO_EMPLOY:
        return {"hardship_type": rng.choice(HardshipType.values)}
    if group == PriorityGroup.DISABLED:
        return {
            "disability_grade": rng.choice(["", *DisabilityGrade.values]),
            "disability_kind": rng.choice(["", *DisabilityKind.values]),
        }
    if group == PriorityGroup.VETERAN:
        return {
            "discharged_on": dates.years_before(on, rng.randint(0, 7)) + datetime.timedelta(days=rng.randint(-1, 1))
        }
    if group == PriorityGroup.LONG_TERM_UNEMPLOYED_YOUTH:
        return {
            "unemployed_since": dates.months_before(on, rng.randint(6, 18))
            + datetime.timedelta(days=rng.randint(-1, 1))
        }
    return {}


def _leases(rng: random.Random, enterprise, carriers, on: datetime.date) -> None:
    """None, one or two premises: owned, ended, not begun, ending or starting on the date, in force
    around 12 months and 20 m²."""
    for _i in range(rng.choice([0, 0, 1, 1, 1, 2])):
        kind = rng.choice(["owned", "ended", "future", "ends_today", "starts_today", "live", "live", "live"])
        start = end = None
        if kind == "ended":
            start, end = on - datetime.timedelta(days=500), on - datetime.timedelta(days=rng.choice([1, 30]))
        elif kind == "future":
            start, end = on + datetime.timedelta(days=1), on + datetime.timedelta(days=400)
        elif kind == "ends_today":  # a year to the day: 12 months
            start, end = dates.months_before(on, 12) + datetime.timedelta(days=1), on
        elif kind == "starts_today":
            start, end = on, dates.months_before(on, -12) - datetime.timedelta(days=rng.choice([1, 2]))
        elif kind == "live":
            start = on - datetime.timedelta(days=rng.randint(0, 200))
            end = dates.months_before(start, -rng.choice([6, 11, 12, 13, 24])) - datetime.timedelta(
                days=rng.choice([0, 1, 2])
            )
            end = max(end, on)
        Premises.objects.create(
            enterprise=enterprise,
            address="测试路1号",
            carrier=rng.choice([None, *carriers]),
            area=rng.choice([Decimal("9.99"), Decimal("19.5"), 20, Decimal("20.01"), 150, 999]),
            lease_start=start,
            lease_end=end,
            lease_registered=rng.random() < 0.6,
        )


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
                retirement_group=rng.choice(["", *RetirementGroup.values]),
                hukou_place=rng.choice([None, *places]),
                residence_permit_since=rng.choice([None, near_months(12)]),
                **({"gender": ""} if rng.random() < 0.1 else {}),
            )
        )
        for group in rng.sample(PriorityGroup.values, rng.randint(0, 2)):
            PersonGroup.objects.create(person=people[-1], group=group, **_group_details(rng, group, on))
    for i in range(45):
        klass = rng.choice(["", "", "5292", "5299", "6510", "6511"])
        division = klass[:2] or rng.choice(["", "52", "65", "10"])
        # the first people represent two enterprises; some enterprises have no representative
        rep = people[i % 10] if i < 20 else rng.choice([None, None, *people])
        enterprise = f.enterprise(
            founded_on=rng.choice([None, near_months(40)]),
            industry_class=klass,
            industry_division=division,
            industry_section=section_of_division(division) or "" if division else "",
            entity_type=rng.choice(EntityType.values),
            is_small_micro=rng.random() < 0.6,
            registration_status=rng.choice(RegistrationStatus.values),
            jurisdiction=rng.choice(places),
            insured_employees=rng.choice([None, 0, 1, 2, 5]),
            carrier=rng.choice([None, *carriers]),
            legal_representative=rep,
            business_scope=rng.choice(SCOPES),
        )
        _leases(rng, enterprise, carriers, on)
        enterprise.tags.set(rng.sample(tags, rng.randint(0, len(tags))))
        if rep is not None:
            EnterprisePerson.objects.create(enterprise=enterprise, person=rep, relation="legal_rep")
        if rng.random() < 0.5:  # founders and shareholders, some shares unknown, around the 30 % threshold
            EnterprisePerson.objects.create(
                enterprise=enterprise,
                person=rng.choice([rep, *people[:20]]) if rep else rng.choice(people),
                relation="founder",
                share=rng.choice([None, 10, Decimal("29.99"), 30, 50]),
            )
        employees = rng.sample(people, rng.randint(0, 4))
        for person in employees:  # insured for a run of months up to last month (or with a gap)
            last = rng.randint(0, 2)
            for back in range(last, last + rng.randint(1, 14)):
                if rng.random() < 0.9:
                    InsuranceMonth.objects.get_or_create(
                        person=person,
                        month=dates.months_before(on, back + 1).replace(day=1),
                        employer_uscc=enterprise.uscc,
                        defaults={"enterprise": enterprise},
                    )
        if rng.random() < 0.15:
            CreditRecord.objects.create(
                enterprise=enterprise,
                listed_on=on - datetime.timedelta(days=rng.randint(-2, 300)),
                removed_on=rng.choice([None, on, on + datetime.timedelta(days=3)]),
            )
    for person in rng.sample(people, 12):
        CreditRecord.objects.create(
            person=person,
            listed_on=on - datetime.timedelta(days=rng.randint(-2, 300)),
            removed_on=rng.choice([None, on, on + datetime.timedelta(days=5)]),
        )
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
    seen = []

    class Recorded(rules.Frames):  # the match's own frames, kept to compare with what OpenFisca read
        def __init__(self):
            super().__init__()
            seen.append(self)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(matching.rules, "Frames", Recorded)
        match_policies(policies=policies, on=on)

    out = _openfisca.run([(p, version_in_force(p, on)) for p in policies], on)
    # OpenFisca was fed the match's own read, decision 39's facts included
    assert policies_match._same_read(out["read"], seen[0]) == []
    assert {"group_details", "premises", "scope_keywords", "scope_known"} <= set(out["read"])
    assert out["read"]["premises"] is not None and out["read"]["scope_keywords"]

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
    # the 20 policies use the facts of decisions 21 and 28, which OpenFisca therefore computes too
    used = policies_match._facts_used([(p, version_in_force(p, on)) for p in policies])
    assert {
        "graduation_date",
        "hukou_place",
        "below_retirement_age",
        "holds_residence_permit",
        "gender",
        "residence_permit_months",
        "insured_months",
        "insured_continuous_months",
        "employees_insured",
        "founded_enterprise",
        "shareholding",
        "first_founding",
        "industry",
        "credit_listed",
        "enterprise_credit_listed",
        # decision 39's
        "business_scope",
        "hardship_type",
        "disability_grade",
        "disability_kind",
        "discharged_on",
        "long_unemployed_months",
        "lease_months",
        "leased_area",
        "lease_registered",
        "leased_in_carrier",
    } <= used


@pytest.mark.parametrize("seed", [3, 4])
def test_openfisca_agrees_with_the_columns_condition_by_condition(baseline, seed):
    """Each top-level condition of the benchmark's own policies (and its negation) alone: on a
    small registry most of those policies find nobody, so their parts are compared one by one,
    OpenFisca's "met" against the match's column evaluation."""
    from types import SimpleNamespace

    from chuangfu.policies import rules
    from chuangfu.policies.rules.nodes import top_conditions

    _openfisca, policies_match = baseline
    seed_policies()
    policies_match._generated_policies(len(policies_match.BENCH_POLICIES))
    on = timezone.localdate()
    _registry(random.Random(seed), on)
    pairs = []
    for policy in Policy.objects.filter(code__startswith="bench-").order_by("id"):
        rule = version_in_force(policy, on).rule
        for i, top in enumerate(top_conditions(rule)):
            for negated in (False, True):
                code = f"{policy.code}.{i}{'n' if negated else ''}"
                pairs.append(
                    (
                        SimpleNamespace(code=code, target=policy.target),
                        SimpleNamespace(rule={"not": top} if negated else top),
                    )
                )
    out = _openfisca.run(pairs, on)
    frames = rules.Frames()
    ctx = rules.Context(on=on).for_policy("")
    met_somewhere = not_met_somewhere = 0
    for policy, version in pairs:
        ids, eligible = out["eligible"][policy.code]
        frame = frames.get(policy.target)
        met, _not_met = rules.frame.evaluate(version.rule, ctx, frame)
        assert list(ids) == list(frame.ids)
        assert list(eligible) == list(met), policy.code
        met_somewhere += bool(met.any())
        not_met_somewhere += bool((~met).any())
    assert met_somewhere > len(pairs) // 2 and not_met_somewhere > len(pairs) // 2
