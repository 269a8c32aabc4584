"""Boundary cases a reviewer brings from outside the project, each judged twice — per subject
(``rules.explain`` on the registry record) and set-based (``rules.frame``, as a full match runs) — with the
expected answer written out: ages on the birthday and the day after the last year, 29 February,
whole months since graduation and since unemployment registration at month ends, every fact that
can be missing, and a policy amended mid-year (version 1 until 30 June, version 2 from 1 July).
"""

import datetime

import pytest

from chuangfu.core.errors import DomainError
from chuangfu.policies import rules, selectors, services
from chuangfu.policies.models import Grant, Match, PolicyVersion, VersionStatus
from chuangfu.registry.models import Person
from tests import factories as f

from .conftest import make_policy, set_based, stored_match

pytestmark = pytest.mark.django_db
D = datetime.date


def both(rule, subject, on, policy_code="boundary"):
    """The result class of ``rule`` for ``subject`` on ``on``; both evaluations must agree on
    result, first open condition and number of open conditions."""
    kind = "person" if isinstance(subject, Person) else "enterprise"
    ctx = rules.Context(on=on, policy_code=policy_code)
    row = set_based(kind, rule, ctx)[subject.pk]
    explained = rules.explain(rule, rules.RecordSource(rules.load_subject(kind, subject.pk)), ctx)
    assert row == (explained.result, explained.open_index, explained.open_count), (rule, on)
    return explained.result


def born(day, **fields):
    return f.person(id_number=f.id_number(birth=day), birth_date=day, **fields)


def yes_no(met: bool) -> str:
    return "eligible" if met else "ineligible"


# --- age: "18 to 35" on the evaluation date -------------------------------------------------------

YOUTH = {"fact": "age", "op": "between", "value": [18, 35]}


@pytest.mark.parametrize(
    "on, expected",
    [
        (D(2008, 6, 14), "ineligible"),  # 17, the day before the 18th birthday
        (D(2008, 6, 15), "eligible"),  # 18 today
        (D(2025, 6, 15), "eligible"),  # 35 today
        (D(2026, 6, 14), "eligible"),  # still 35: the last day
        (D(2026, 6, 15), "ineligible"),  # 36 today, one day older than the last day of 35
    ],
)
def test_age_between_18_and_35_includes_both_birthdays_and_ends_on_the_36th(on, expected):
    assert both(YOUTH, born(D(1990, 6, 15)), on) == expected


@pytest.mark.parametrize(
    "rule",
    [
        {"fact": "age", "op": "lte", "value": 35},
        {"fact": "age", "op": "lt", "value": 36},
        {"not": {"fact": "age", "op": "gt", "value": 35}},
        {"not": {"fact": "age", "op": "gte", "value": 36}},
        {"not": {"fact": "age", "op": "outside", "value": [0, 35]}},
    ],
)
def test_every_way_of_writing_at_most_35_draws_the_line_on_the_same_day(rule):
    person = born(D(1990, 6, 15))
    assert both(rule, person, D(2026, 6, 14)) == "eligible"
    assert both(rule, person, D(2026, 6, 15)) == "ineligible"


def test_age_equal_to_35_holds_for_exactly_one_year():
    person, rule = born(D(1990, 6, 15)), {"fact": "age", "op": "eq", "value": 35}
    assert [both(rule, person, day) for day in (D(2025, 6, 14), D(2025, 6, 15), D(2026, 6, 14), D(2026, 6, 15))] == [
        "ineligible",
        "eligible",
        "eligible",
        "ineligible",
    ]
    ne = {"fact": "age", "op": "ne", "value": 35}
    assert [both(ne, person, day) for day in (D(2025, 6, 14), D(2025, 6, 15), D(2026, 6, 15))] == [
        "eligible",
        "ineligible",
        "eligible",
    ]


@pytest.mark.parametrize(
    "on, age",
    [
        (D(2023, 2, 28), 34),  # no 29 February in 2023: still 34 on the 28th
        (D(2023, 3, 1), 35),  # 35 on 1 March
        (D(2024, 2, 28), 35),
        (D(2024, 2, 29), 36),  # a leap year: the birthday itself
    ],
)
def test_someone_born_on_29_february_is_judged_by_the_birthday_or_1_march(on, age):
    person = born(D(1988, 2, 29))
    assert both({"fact": "age", "op": "eq", "value": age}, person, on) == "eligible"
    assert both({"fact": "age", "op": "lte", "value": 35}, person, on) == yes_no(age <= 35)


def test_an_evaluation_on_29_february_counts_birthdays_of_28_february_and_1_march_correctly():
    on = D(2024, 2, 29)
    rule = {"fact": "age", "op": "gte", "value": 30}
    assert both(rule, born(D(1994, 2, 28)), on) == "eligible"  # turned 30 yesterday
    assert both(rule, born(D(1994, 3, 1)), on) == "ineligible"  # turns 30 tomorrow


# --- months since graduation ----------------------------------------------------------------------

WITHIN_TWO_YEARS = {"fact": "months_since_graduation", "op": "lte", "value": 24}


@pytest.mark.parametrize(
    "graduated, on, expected",
    [
        (D(2024, 6, 30), D(2026, 6, 30), "eligible"),  # exactly 24 months
        (D(2024, 6, 30), D(2026, 7, 29), "eligible"),  # 24 months and 29 days: still 24 full months
        (D(2024, 6, 30), D(2026, 7, 30), "ineligible"),  # 25 full months
        (D(2024, 8, 31), D(2026, 9, 30), "eligible"),  # September has no 31st: still 24 full months
        (D(2024, 8, 31), D(2026, 10, 1), "ineligible"),  # 25 full months on 1 October
        (D(2024, 2, 29), D(2026, 2, 28), "eligible"),  # 23 full months: the 29th has not come
        (D(2024, 2, 29), D(2026, 3, 1), "eligible"),  # 24
        (D(2026, 7, 1), D(2026, 6, 30), "ineligible"),  # graduates tomorrow: not yet graduated
    ],
)
def test_months_since_graduation_are_whole_calendar_months(graduated, on, expected):
    assert both(WITHIN_TWO_YEARS, born(D(2000, 1, 1), graduation_date=graduated), on) == expected


def test_graduated_at_least_a_year_ago_is_reached_on_the_same_day_a_year_later():
    rule = {"fact": "months_since_graduation", "op": "gte", "value": 12}
    person = born(D(2000, 1, 1), graduation_date=D(2025, 7, 1))
    assert both(rule, person, D(2026, 6, 30)) == "ineligible"
    assert both(rule, person, D(2026, 7, 1)) == "eligible"


# --- unemployment: registered, and for how long ----------------------------------------------------

LONG_TERM_UNEMPLOYED = {
    "all": [
        {"fact": "registered_unemployed", "op": "is", "value": True},
        {"fact": "unemployment_months", "op": "gte", "value": 6},
    ]
}


@pytest.mark.parametrize(
    "on, expected",
    [
        (D(2025, 7, 14), "almost"),  # 5 full months: one condition short
        (D(2025, 7, 15), "eligible"),  # 6 full months
    ],
)
def test_unemployment_length_counts_whole_months_from_the_registration(on, expected):
    person = born(D(1995, 1, 1), employment_status="unemployed_registered", unemployment_registered_on=D(2025, 1, 15))
    assert both(LONG_TERM_UNEMPLOYED, person, on) == expected


def test_unemployment_registered_on_31_august_reaches_six_months_on_1_march():
    person = born(D(1995, 1, 1), employment_status="unemployed_registered", unemployment_registered_on=D(2025, 8, 31))
    assert both(LONG_TERM_UNEMPLOYED, person, D(2026, 2, 28)) == "almost"
    assert both(LONG_TERM_UNEMPLOYED, person, D(2026, 3, 1)) == "eligible"


def test_someone_employed_again_is_not_registered_unemployed_whatever_the_old_registration_date():
    person = born(D(1995, 1, 1), employment_status="employed", unemployment_registered_on=D(2024, 1, 1))
    assert both(LONG_TERM_UNEMPLOYED, person, D(2025, 1, 1)) == "almost"
    assert both({"fact": "registered_unemployed", "op": "is", "value": False}, person, D(2025, 1, 1)) == "eligible"


# --- missing facts: unknown, in both evaluations, whatever the operator or negation ---------------

# (fact, a condition on it, the subject fields that leave it missing)
MISSING_PERSON = [
    ({"fact": "hukou_kind", "op": "in", "value": ["local"]}, {"hukou_kind": ""}),
    ({"fact": "education", "op": "at_least", "value": "bachelor"}, {"education": ""}),
    ({"fact": "months_since_graduation", "op": "lte", "value": 24}, {"graduation_date": None}),
    ({"fact": "employment_status", "op": "not_in", "value": ["employed"]}, {"employment_status": ""}),
    ({"fact": "registered_unemployed", "op": "is", "value": True}, {"employment_status": ""}),
    ({"fact": "registered_unemployed", "op": "is", "value": False}, {"employment_status": ""}),
    ({"fact": "unemployment_months", "op": "gte", "value": 6}, {"unemployment_registered_on": None}),
]
MISSING_ENTERPRISE = [
    ({"fact": "months_since_founding", "op": "lte", "value": 36}, {"founded_on": None}),
    ({"fact": "founded_on", "op": "on_or_after", "value": "2024-01-01"}, {"founded_on": None}),
    ({"fact": "entity_type", "op": "in", "value": ["limited"]}, {"entity_type": ""}),
    ({"fact": "registration_status", "op": "in", "value": ["active"]}, {"registration_status": ""}),
    ({"fact": "industry_section", "op": "in", "value": ["I"]}, {"industry_section": ""}),
    ({"fact": "industry_division", "op": "not_in", "value": ["64"]}, {"industry_division": ""}),
    ({"fact": "insured_employees", "op": "gte", "value": 1}, {"insured_employees": None}),
    (
        {"fact": "legal_rep", "op": "satisfies", "value": {"fact": "age", "op": "lte", "value": 35}},
        {"legal_representative": None},
    ),
]


def _check_missing(cond, subject):
    on = D(2025, 6, 1)
    assert both(cond, subject, on) == "unknown"
    assert both({"not": cond}, subject, on) == "unknown"
    # unknown and met is unknown; unknown and not met is not met (never "unknown" then)
    assert both({"all": [cond, {"not": cond}]}, subject, on) == "unknown"
    assert both({"any": [cond, {"not": cond}]}, subject, on) == "unknown"


@pytest.mark.parametrize(
    "cond, missing", MISSING_PERSON, ids=lambda v: v.get("fact", "") if isinstance(v, dict) else ""
)
def test_a_missing_person_fact_is_unknown_never_met_or_not_met(cond, missing):
    _check_missing(cond, born(D(1995, 1, 1), **missing))


@pytest.mark.parametrize(
    "cond, missing", MISSING_ENTERPRISE, ids=lambda v: v.get("fact", "") if isinstance(v, dict) else ""
)
def test_a_missing_enterprise_fact_is_unknown_never_met_or_not_met(cond, missing):
    _check_missing(cond, f.enterprise(**missing))


def test_a_missing_fact_inside_represents_is_unknown_unless_another_enterprise_settles_it():
    person = born(D(1995, 1, 1))
    f.enterprise(legal_representative=person, insured_employees=None)
    rule = {"fact": "represents", "op": "satisfies", "value": {"fact": "insured_employees", "op": "gte", "value": 1}}
    assert both(rule, person, D(2025, 6, 1)) == "unknown"
    f.enterprise(legal_representative=person, insured_employees=0)
    assert both(rule, person, D(2025, 6, 1)) == "unknown"  # one says no, the other is not known
    f.enterprise(legal_representative=person, insured_employees=2)
    assert both(rule, person, D(2025, 6, 1)) == "eligible"


def test_facts_that_are_always_known_are_never_unknown():
    """No priority group, no tag, no grant, no enterprise founded, not hosted: known answers."""
    person = born(D(1995, 1, 1))
    enterprise = f.enterprise(entity_type="company", is_small_micro=False)
    on = D(2025, 6, 1)
    assert both({"fact": "groups", "op": "has_any", "value": ["graduate"]}, person, on) == "ineligible"
    assert both({"fact": "organisations_founded", "op": "eq", "value": 0}, person, on) == "eligible"
    assert (
        both(
            {"fact": "granted", "op": "is", "value": False, "args": {"policy": "self", "within_months": None}},
            person,
            on,
        )
        == "eligible"
    )
    assert (
        both(
            {"fact": "represents", "op": "satisfies", "value": {"fact": "insured_employees", "op": "gte", "value": 1}},
            person,
            on,
        )
        == "ineligible"
    )
    assert both({"fact": "tags", "op": "has_none", "value": ["ecommerce"]}, enterprise, on) == "eligible"
    assert both({"fact": "carrier_kind", "op": "in", "value": ["none"]}, enterprise, on) == "eligible"
    assert both({"fact": "startup_organisation", "op": "is", "value": False}, enterprise, on) == "eligible"


def test_a_full_match_counts_subjects_with_missing_facts_as_unknown_and_leaves_them_off_the_outreach_list():
    from chuangfu.core.models import Role
    from chuangfu.policies import selectors

    policy = make_policy(
        code="boundary",
        rule={
            "all": [{"fact": "age", "op": "lte", "value": 35}, {"fact": "hukou_kind", "op": "in", "value": ["local"]}]
        },
    )
    known = born(D(1995, 1, 1), hukou_kind="local")
    unknown = born(D(1995, 1, 1), hukou_kind="")
    old_unknown = born(D(1960, 1, 1), hukou_kind="")  # too old: not met settles it, whatever 户籍 is
    counts = services.policy_match(policy=policy, on=D(2025, 6, 1))
    assert (counts["eligible"], counts["unknown"]) == (1, 1)
    stored = {p.pk: stored_match(policy=policy, kind="person", subject_id=p.pk) for p in (known, unknown, old_unknown)}
    assert {pk: m.result for pk, m in stored.items() if m} == {known.pk: "eligible", unknown.pk: "unknown"}
    assert stored[old_unknown.pk] is None
    desk = f.user(role=Role.DESK_STAFF)
    assert [m.person_id for m in selectors.outreach_list(actor=desk, policy=policy)] == [known.pk]


# --- a policy amended mid-year ----------------------------------------------------------------------

V1_RULE = {"all": [{"fact": "age", "op": "lte", "value": 35}, {"fact": "hukou_kind", "op": "in", "value": ["local"]}]}
V2_RULE = {
    "all": [
        {"fact": "age", "op": "lte", "value": 40},
        {"fact": "hukou_kind", "op": "in", "value": ["local", "permit"]},
        {"fact": "granted", "op": "is", "value": False, "args": {"policy": "self", "within_months": None}},
    ]
}


@pytest.fixture
def amended():
    """Version 1 (at most 35, 本市户籍) 2025-01-01 to 2025-06-30; version 2 (at most 40, 本市 or
    居住证, never granted) from 2025-07-01."""
    policy = make_policy(code="boundary", rule=V1_RULE, effective_from=D(2025, 1, 1), effective_to=D(2025, 6, 30))
    PolicyVersion.objects.create(
        policy=policy,
        number=2,
        status=VersionStatus.PUBLISHED,
        effective_from=D(2025, 7, 1),
        summary="修订",
        rule=V2_RULE,
    )
    return policy


def _judged(policy, subject, on):
    """The result for ``subject`` by the version in force on ``on``, both ways, and through the
    services (the subject's page and the stored match)."""
    version = selectors.version_in_force(policy, on)
    result = both(version.rule, subject, on, policy.code)
    explained = selectors.explain_policy_for(kind="person", subject_id=subject.pk, policy=policy, on=on)
    assert (explained.version.number, explained.result) == (version.number, result)
    listed = {e.policy.code: (e.version.number, e.result) for e in selectors.explain_subject("person", subject.pk, on)}
    assert listed[policy.code] == (version.number, result)
    services.policy_match(policy=policy, on=on)
    match = stored_match(policy=policy, kind="person", subject_id=subject.pk)
    stored = (match.version.number, match.result) if match else None
    assert stored == (None if result == "ineligible" else (version.number, result))
    return version.number, result


@pytest.mark.parametrize(
    "birth, hukou, on_30_june, on_1_july",
    [
        (D(1987, 1, 1), "local", (1, "almost"), (2, "eligible")),  # 38: too old for v1, not for v2
        (D(1995, 1, 1), "permit", (1, "almost"), (2, "eligible")),  # 居住证: only v2 accepts it
        (D(1995, 1, 1), "local", (1, "eligible"), (2, "eligible")),
        (D(1980, 1, 1), "nonlocal", (1, "ineligible"), (2, "ineligible")),
        (D(1995, 1, 1), "", (1, "unknown"), (2, "unknown")),
    ],
)
def test_30_june_is_judged_by_version_1_and_1_july_by_version_2(amended, birth, hukou, on_30_june, on_1_july):
    person = born(birth, hukou_kind=hukou)
    assert _judged(amended, person, D(2025, 6, 30)) == on_30_june
    assert _judged(amended, person, D(2025, 7, 1)) == on_1_july


def test_a_grant_under_version_1_counts_as_granted_before_under_version_2(amended):
    person = born(D(1995, 1, 1), hukou_kind="local")
    Grant.objects.create(policy=amended, person=person, granted_on=D(2025, 5, 20), source="manual")
    assert _judged(amended, person, D(2025, 6, 30)) == (1, "eligible")  # version 1 does not ask
    assert _judged(amended, person, D(2025, 7, 1)) == (2, "almost")


@pytest.mark.parametrize("on", [D(2024, 12, 31)])
def test_matching_or_checking_on_a_date_before_every_version_is_a_clear_error(amended, on):
    message = "“测试政策”在 2024-12-31 没有有效的版本（第1版 2025-01-01 至 2025-06-30；第2版 2025-07-01 起）。"
    with pytest.raises(DomainError) as refused:
        services.policy_match(policy=amended, on=on)
    assert str(refused.value.message) == message
    person = born(D(1995, 1, 1), hukou_kind="local")
    with pytest.raises(DomainError) as refused:
        selectors.explain_policy_for(kind="person", subject_id=person.pk, policy=amended, on=on)
    assert str(refused.value.message) == message
    assert not Match.objects.exists()
    # a subject's list of policies simply has none for that day (nothing to explain, nothing wrong)
    assert [e.policy.code for e in selectors.explain_subject("person", person.pk, on)] == []
