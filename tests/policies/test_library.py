"""Maintaining the library through the services: drafts, rule test cases gating publication,
amendments with their own validity, the version in force on a date, and the demo policies."""

import datetime

import pytest

from chuangfu.core.errors import DomainError
from chuangfu.core.models import AuditEntry, Role
from chuangfu.policies import rules, selectors, services
from chuangfu.policies.demo import DEMO_POLICIES, seed_policies
from chuangfu.policies.models import Match, Policy, PolicyVersion, RuleTestCase
from chuangfu.policies.summaries import summary_of
from tests import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date

POLICY = {
    "code": "tz-new",
    "level": "town",
    "title": "唐镇创业场租补贴",
    "category": "premises",
    "target": "person",
    "obtain_mode": "apply_here",
}
VERSION = {"effective_from": D(2024, 1, 1), "summary": "常住唐镇的青年创业者可申请场租补贴。", "benefit_kind": "fixed"}
RULE = {"all": [{"fact": "age", "op": "lte", "value": 35}, {"fact": "residence", "op": "within", "value": "310115114"}]}


def new_draft(actor, **version):
    draft = services.policy_create(
        actor=actor, policy_data={**POLICY, "jurisdiction": f.town()}, version_data={**VERSION, **version}
    )
    return services.version_set_rule(actor=actor, version=draft, rule=RULE)


def add_case(actor, version, name="30 岁的唐镇居民", expected="eligible", facts=None):
    return services.rule_case_save(
        actor=actor, version=version, name=name, expected=expected, facts=facts or {"age": 30, "residence": "310115114"}
    )


def test_staff_encode_a_town_policy_and_publish_it_once_its_test_cases_pass(desk, django_capture_on_commit_callbacks):
    draft = new_draft(desk)
    add_case(desk, draft)
    add_case(desk, draft, name="40 岁", expected="almost", facts={"age": 40, "residence": "310115114"})
    with django_capture_on_commit_callbacks(execute=True):
        published = services.version_publish(actor=desk, version=draft)
    assert published.status == "published" and published.published_by == desk
    assert AuditEntry.objects.filter(action="policies.version.publish").exists()


def test_publishing_with_a_failing_test_case_is_refused_and_says_which_and_why(desk):
    draft = new_draft(desk)
    add_case(desk, draft)
    add_case(desk, draft, name="张江镇居民也应符合", expected="eligible", facts={"age": 30, "residence": "310115125"})
    with pytest.raises(DomainError) as refused:
        services.version_publish(actor=desk, version=draft)
    message = str(refused.value.message)
    assert "有 1 个测试用例未通过" in message
    assert "“张江镇居民也应符合”预期符合，实际差一项：常住地在唐镇（不满足）" in message
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_publishing_without_any_test_case_is_refused(desk):
    draft = new_draft(desk)
    with pytest.raises(DomainError, match="至少添加一个测试用例"):
        services.version_publish(actor=desk, version=draft)


def test_a_published_version_cannot_be_changed(desk):
    draft = new_draft(desk)
    add_case(desk, draft)
    services.version_publish(actor=desk, version=draft)
    with pytest.raises(DomainError, match="已发布，不能再修改"):
        services.version_set_rule(actor=desk, version=draft, rule=RULE)
    with pytest.raises(DomainError, match="已发布"):
        services.version_update(actor=desk, version=draft, data={"summary": "改"})


def test_an_invalid_rule_saves_nothing(desk):
    draft = new_draft(desk)
    with pytest.raises(rules.RuleError):
        services.version_set_rule(
            actor=desk,
            version=draft,
            rule={"all": [{"fact": "age", "op": "gte", "value": 40}, {"fact": "age", "op": "lte", "value": 35}]},
        )
    draft.refresh_from_db()
    assert draft.rule == rules.validate_rule(RULE, "person")


def test_validity_ending_before_it_starts_is_refused(desk):
    with pytest.raises(DomainError, match="失效日期（2023-12-31）早于生效日期（2024-01-01）"):
        new_draft(desk, effective_to=D(2023, 12, 31))
    assert not Policy.objects.filter(code="tz-new").exists()


def test_a_town_cannot_maintain_a_district_policy(desk):
    with pytest.raises(DomainError, match="只能维护本辖区的政策"):
        services.policy_create(actor=desk, policy_data={**POLICY, "jurisdiction": f.district()}, version_data=VERSION)


def test_a_mid_year_amendment_takes_over_and_each_date_is_judged_by_the_version_then_in_force(desk):
    v1 = new_draft(desk)
    add_case(desk, v1)
    services.version_publish(actor=desk, version=v1)
    v2 = services.version_amend(actor=desk, policy=v1.policy)
    services.version_update(actor=desk, version=v2, data={"effective_from": D(2024, 7, 1)})
    services.version_set_rule(
        actor=desk, version=v2, rule={"all": [{"fact": "age", "op": "lte", "value": 40}, RULE["all"][1]]}
    )
    assert v2.test_cases.count() == 1  # copied from version 1
    services.version_publish(actor=desk, version=v2)
    v1.refresh_from_db()
    assert v1.effective_to == D(2024, 6, 30)

    policy = v1.policy
    assert selectors.version_in_force(policy, D(2024, 6, 30)).number == 1
    assert selectors.version_in_force(policy, D(2024, 7, 1)).number == 2
    person = f.person(id_number=f.id_number(birth=D(1986, 1, 1)), birth_date=D(1986, 1, 1))  # 38 in 2024
    for day, expected in ((D(2024, 3, 1), "almost"), (D(2024, 8, 1), "eligible")):
        explained = {e.policy.code: e.result for e in selectors.explain_subject("person", person.pk, day)}
        assert explained["tz-new"] == expected


def test_matching_on_a_date_outside_every_version_is_a_clear_error(desk):
    v1 = new_draft(desk, effective_to=D(2024, 12, 31))
    add_case(desk, v1)
    services.version_publish(actor=desk, version=v1)
    with pytest.raises(DomainError) as refused:
        services.policy_match(policy=v1.policy, on=D(2025, 3, 1))
    assert (
        str(refused.value.message)
        == "“唐镇创业场租补贴”在 2025-03-01 没有有效的版本（第1版 2024-01-01 至 2024-12-31）。"
    )


def test_an_amendment_starting_before_the_published_version_is_refused(desk):
    v1 = new_draft(desk)
    add_case(desk, v1)
    services.version_publish(actor=desk, version=v1)
    v2 = services.version_amend(actor=desk, policy=v1.policy)
    services.version_update(actor=desk, version=v2, data={"effective_from": D(2023, 6, 1)})
    with pytest.raises(DomainError, match="重叠"):
        services.version_publish(actor=desk, version=v2)


def test_only_editors_maintain_policies():
    leader = f.user(role=Role.LEADER)
    with pytest.raises(DomainError, match="没有维护这项政策的权限"):
        services.policy_create(actor=leader, policy_data={**POLICY, "jurisdiction": f.town()}, version_data=VERSION)


def test_the_demo_policies_load_once_with_passing_test_cases():
    assert seed_policies() == len(DEMO_POLICIES)
    assert seed_policies() == 0
    for version in PolicyVersion.objects.all():
        assert version.status == "published"
        results = selectors.rule_case_results(version)
        assert results and all(r.passed for r in results), [r.describe() for r in results]
    examples = set(Policy.objects.filter(is_example=True).values_list("code", flat=True))
    assert {"sh-startup-internship-subsidy", "sh-competition-award-subsidy", "tz-youth-startup-launch"} <= examples
    assert Policy.objects.filter(level="town", jurisdiction__code="310115114").exists()


def test_a_full_match_stores_eligible_almost_and_unknown_subjects_with_their_reason(desk):
    v1 = new_draft(desk)
    add_case(desk, v1)
    services.version_publish(actor=desk, version=v1)
    young = f.person(id_number=f.id_number(birth=D(1995, 1, 1)), birth_date=D(1995, 1, 1))
    older = f.person(id_number=f.id_number(birth=D(1980, 1, 1)), birth_date=D(1980, 1, 1))
    elsewhere = f.person(
        id_number=f.id_number(birth=D(1980, 1, 1)), birth_date=D(1980, 1, 1), jurisdiction=f.town("310115125")
    )
    counts = services.policy_match(policy=v1.policy, on=D(2025, 1, 1))
    assert counts == {"version": 1, "eligible": 1, "almost": 1, "unknown": 0}
    # The eligible are rows; the almost eligible are in the run's compact list, read as matches.
    assert [(m.person_id, m.result, summary_of(m)) for m in Match.objects.all()] == [
        (young.pk, "eligible", "符合全部条件")
    ]
    almost = selectors.match_list(actor=desk, policy=v1.policy, result="almost")
    assert [(m.person_id, m.result, summary_of(m), m.evaluated) for m in almost[0:10]] == [
        (older.pk, "almost", "差一项：年龄不超过 35 周岁", D(2025, 1, 1))
    ]
    assert selectors.match_counts(actor=desk, policy=v1.policy) == {"eligible": 1, "almost": 1, "unknown": 0}
    assert elsewhere.pk not in {m.person_id for m in almost[0:10]}


def test_a_change_to_a_person_rematches_them_through_the_queue(desk, django_capture_on_commit_callbacks):
    v1 = new_draft(desk)
    add_case(desk, v1)
    services.version_publish(actor=desk, version=v1)
    with django_capture_on_commit_callbacks(execute=True):
        person = f.person(
            id_number=f.id_number(birth=D(2000, 1, 1)), birth_date=D(2000, 1, 1), jurisdiction=f.town("310115125")
        )
    assert summary_of(Match.objects.get(person=person)) == "差一项：常住地在唐镇"
    with django_capture_on_commit_callbacks(execute=True):
        person.jurisdiction = f.town()
        person.save()
    match = Match.objects.get(person=person)
    assert match.result == "eligible" and match.version == v1


def test_rule_test_cases_refuse_unknown_facts(desk):
    draft = new_draft(desk)
    with pytest.raises(DomainError, match="未知的条件项"):
        add_case(desk, draft, facts={"shoe_size": 42})
    assert not RuleTestCase.objects.exists()


def test_one_subject_is_pre_checked_against_one_policy_condition_by_condition(desk):
    v1 = new_draft(desk)
    add_case(desk, v1)
    services.version_publish(actor=desk, version=v1)
    person = f.person(id_number=f.id_number(birth=D(1980, 1, 1)), birth_date=D(1980, 1, 1))
    explained = selectors.explain_policy_for(kind="person", subject_id=person.pk, policy=v1.policy, on=D(2025, 1, 1))
    assert explained.result == "almost"
    assert [(c.text, c.status, c.actual) for c in explained.explanation.conditions] == [
        ("年龄不超过 35 周岁", "not_met", "45 周岁"),
        ("常住地在唐镇", "met", "唐镇"),
    ]
    with pytest.raises(DomainError, match="没有有效的版本"):
        selectors.explain_policy_for(kind="person", subject_id=person.pk, policy=v1.policy, on=D(2023, 1, 1))
