"""The pages: staff encode a policy through the forms (rule editor, test cases, publishing), the
subject panel, scoping by URL, and the public list, policy page and self-check."""

import datetime

import pytest
from django.urls import reverse

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from chuangfu.policies import services
from chuangfu.policies.demo import seed_policies
from chuangfu.policies.models import Match, Policy, PolicyVersion, RuleTestCase
from tests import factories as f

from .conftest import make_policy

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D.today()


def create_policy_through_the_form(client):
    response = client.post(
        reverse("policies:policy_create"),
        {
            "p-title": "唐镇创业场租补贴",
            "p-code": "tz-rent",
            "p-level": "town",
            "p-category": "premises",
            "p-target": "person",
            "p-jurisdiction": f.town().pk,
            "p-obtain_mode": "apply_here",
            "v-effective_from": "2025-01-01",
            "v-summary": "常住唐镇的青年创业者可申请场租补贴。",
            "v-benefit_kind": "fixed",
            "v-benefit_amount": "3000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Policy.objects.get(code="tz-rent")


def test_staff_encode_a_new_town_policy_through_the_forms_and_publish_it(client, desk):
    client.force_login(desk)
    policy = create_policy_through_the_form(client)
    rule_url = reverse("policies:rule_edit", args=[policy.pk, 1])
    # the editor starts with one condition; add a second one with htmx, then save both
    page = client.post(
        rule_url,
        {"r.kind": "all", "r.0.fact": "age", "r.0.op": "lte", "r.0.value": "35", "action": "add:r"},
        HTTP_HX_REQUEST="true",
    )
    assert 'name="r.1.fact"' in page.content.decode()
    saved = client.post(
        rule_url,
        {
            "r.kind": "all",
            "r.0.fact": "age",
            "r.0.op": "lte",
            "r.0.value": "35",
            "r.1.fact": "residence",
            "r.1.op": "within",
            "r.1.value": "310115114",
            "action": "save",
        },
    )
    assert saved.status_code == 302
    version = PolicyVersion.objects.get(policy=policy)
    assert version.rule == {
        "all": [{"fact": "age", "op": "lte", "value": 35}, {"fact": "residence", "op": "within", "value": "310115114"}]
    }
    case_url = reverse("policies:case_create", args=[policy.pk, 1])
    form = client.get(case_url).content.decode()
    assert 'name="age"' in form and 'name="residence"' in form
    client.post(case_url, {"name": "30 岁唐镇居民", "expected": "eligible", "age": "30", "residence": "310115114"})
    case = RuleTestCase.objects.get(version=version)
    assert case.facts == {"age": 30, "residence": "310115114"}
    response = client.post(reverse("policies:version_publish", args=[policy.pk, 1]))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "published"
    public = client.get(reverse("policy:detail", args=[policy.pk])).content.decode()
    assert "年龄不超过 35 周岁" in public and "常住地在唐镇" in public


def test_the_rule_editor_shows_every_error_and_saves_nothing(client, desk):
    client.force_login(desk)
    policy = create_policy_through_the_form(client)
    response = client.post(
        reverse("policies:rule_edit", args=[policy.pk, 1]),
        {
            "r.kind": "all",
            "r.0.fact": "age",
            "r.0.op": "gte",
            "r.0.value": "40",
            "r.1.fact": "age",
            "r.1.op": "lte",
            "r.1.value": "35",
            "r.2.fact": "months_since_graduation",
            "r.2.op": "lte",
            "r.2.value": "两年",
            "action": "save",
        },
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert "条件 1、条件 2 互相矛盾：年龄不小于 40 周岁且年龄不超过 35 周岁" in text
    assert "取值必须是整数，而不是“两年”" in text
    assert PolicyVersion.objects.get(policy=policy).rule == {}


def test_publishing_with_a_failing_test_case_shows_which_fails_and_why(client, desk):
    client.force_login(desk)
    policy = make_policy(
        code="tz-x",
        status="draft",
        cases=[("张江居民", "eligible", {"age": 30, "residence": "310115125"})],
        rule={
            "all": [
                {"fact": "age", "op": "lte", "value": 35},
                {"fact": "residence", "op": "within", "value": "310115114"},
            ]
        },
    )
    response = client.post(reverse("policies:version_publish", args=[policy.pk, 1]), follow=True)
    text = response.content.decode()
    assert "有 1 个测试用例未通过" in text and "“张江居民”预期符合，实际差一项" in text
    assert PolicyVersion.objects.get(policy=policy).status == "draft"


def test_a_persons_policy_panel_lists_eligible_and_almost_eligible_policies_with_the_missing_condition(client, desk):
    make_policy(
        code="young",
        title="青年补贴",
        rule={
            "all": [{"fact": "age", "op": "lte", "value": 35}, {"fact": "hukou_kind", "op": "in", "value": ["local"]}]
        },
    )
    make_policy(
        code="old",
        title="中年补贴",
        rule={
            "all": [{"fact": "age", "op": "gte", "value": 40}, {"fact": "hukou_kind", "op": "in", "value": ["local"]}]
        },
    )
    person = f.person(id_number=f.id_number(birth=D(1995, 1, 1)), birth_date=D(1995, 1, 1), hukou_kind="local")
    client.force_login(desk)
    text = client.get(reverse("policies:subject_panel", args=["person", person.pk])).content.decode()
    assert "青年补贴" in text and "中年补贴" in text
    assert "差一项" in text and "年龄不小于 40 周岁" in text


def test_another_towns_person_is_not_found(client, desk):
    person = f.person(jurisdiction=f.town("310115125"))
    client.force_login(desk)
    assert client.get(reverse("policies:subject_panel", args=["person", person.pk])).status_code == 404


def test_mentors_see_policies_but_not_who_matches(client):
    policy = make_policy()
    client.force_login(f.user(role=Role.MENTOR))
    assert client.get(reverse("policies:policy_detail", args=[policy.pk])).status_code == 200
    assert client.get(reverse("policies:match_list", args=[policy.pk])).status_code == 403


def test_a_full_match_runs_in_the_background_with_progress(client, desk, django_capture_on_commit_callbacks):
    make_policy()
    f.person(id_number=f.id_number(birth=D(1995, 1, 1)), birth_date=D(1995, 1, 1))
    client.force_login(desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("policies:match_start"))
    page = client.get(response["Location"]).content.decode()
    assert "已完成" in page and "已匹配 1 项政策" in page
    assert Match.objects.filter(result="eligible").count() == 1


# --- public ---------------------------------------------------------------------------------------


def test_searching_chuangye_butie_finds_the_one_off_startup_subsidy(client):
    seed_policies()
    text = client.get(reverse("policy:list"), {"q": "创业补贴"}).content.decode()
    assert "首次创业一次性补贴" in text
    assert "创业组织创业担保贷款" not in text  # 创业 but no 补贴


def test_an_unpublished_policy_is_not_public(client, desk):
    policy = make_policy(status="draft")
    assert client.get(reverse("policy:detail", args=[policy.pk])).status_code == 404
    assert "测试政策" not in client.get(reverse("policy:list")).content.decode()


def test_old_versions_stay_readable_on_the_public_page(client, desk):
    policy = make_policy(effective_to=D(2024, 6, 30))
    PolicyVersion.objects.create(
        policy=policy,
        number=2,
        status="published",
        effective_from=D(2024, 7, 1),
        summary="第二版",
        rule={"all": [{"fact": "age", "op": "lte", "value": 40}]},
    )
    current = client.get(reverse("policy:detail", args=[policy.pk])).content.decode()
    assert "年龄不超过 40 周岁" in current
    old = client.get(reverse("policy:version", args=[policy.pk, 1])).content.decode()
    assert "年龄不超过 35 周岁" in old and "不是今天有效的版本" in old


def test_the_anonymous_self_check_explains_results_and_almost_eligible_hints(client):
    seed_policies()
    form = client.get(reverse("policy:self_check")).content.decode()
    assert 'name="age"' in form and 'name="hukou_kind"' in form and 'name="represents__months_since_founding"' in form
    response = client.post(
        reverse("policy:self_check"),
        {
            "kind": "person",
            "age": "28",
            "hukou_kind": "local",
            "residence": "310115114",
            "organisations_founded": "1",
            "represents": "one",
            "represents__startup_organisation": "true",
            "represents__registration_status": "active",
            "represents__months_since_founding": "6",
        },
    )
    text = response.content.decode()
    assert "唐镇青年创业启航补贴（示例）" in text and "符合条件的政策" in text
    assert "差一项" in text


def test_the_self_check_lets_a_resident_describe_several_enterprises(client):
    make_policy(
        code="founder",
        title="创办者补贴",
        rule={"fact": "represents", "op": "satisfies", "value": {"fact": "insured_employees", "op": "gte", "value": 3}},
    )
    form = client.get(reverse("policy:self_check")).content.decode()
    assert 'name="represents__insured_employees"' in form and 'name="represents__3__insured_employees"' in form
    answers = {"kind": "person", "represents": "2", "represents__insured_employees": "1"}
    second_unanswered = client.post(reverse("policy:self_check"), answers).context["results"]
    assert [item.policy.code for item in second_unanswered["unknown"]] == ["founder"]
    both = client.post(reverse("policy:self_check"), {**answers, "represents__2__insured_employees": "4"}).context[
        "results"
    ]
    assert [item.policy.code for item in both["eligible"]] == ["founder"]
    one = client.post(reverse("policy:self_check"), {**answers, "represents": "one"}).context["results"]
    assert [item.policy.code for item in one["eligible"]] == []


def test_a_signed_in_entrepreneur_checks_against_their_registry_record(client):
    make_policy(code="young", title="青年补贴")
    account = f.user(role=Role.ENTREPRENEUR, username="e1")
    f.person(name="李创业", id_number=f.id_number(birth=D(1995, 1, 1)), birth_date=D(1995, 1, 1), account=account)
    client.force_login(account)
    offer = client.get(reverse("policy:self_check")).content.decode()
    assert reverse("policy:self_check_mine", args=["person"]) in offer and "李创业" in offer
    text = client.get(reverse("policy:self_check_mine", args=["person"])).content.decode()
    assert "青年补贴" in text and "符合" in text


def test_staff_pages_are_refused_to_entrepreneurs(client):
    policy = make_policy()
    client.force_login(f.user(role=Role.ENTREPRENEUR))
    assert client.get(reverse("policies:policy_detail", args=[policy.pk])).status_code == 403


def test_editing_a_published_version_is_not_offered(client, desk):
    policy = make_policy()
    client.force_login(desk)
    assert client.get(reverse("policies:rule_edit", args=[policy.pk, 1])).status_code == 404
    with pytest.raises(DomainError, match="已发布"):
        services.version_set_rule(actor=desk, version=policy.versions.get(), rule={})


def test_the_match_list_says_which_condition_each_almost_eligible_subject_misses(client, desk):
    policy = make_policy(
        code="young",
        title="青年补贴",
        rule={
            "all": [{"fact": "age", "op": "lte", "value": 35}, {"fact": "hukou_kind", "op": "in", "value": ["local"]}]
        },
    )
    f.person(id_number=f.id_number(birth=D(1980, 1, 1)), birth_date=D(1980, 1, 1), hukou_kind="local")
    services.policy_match(policy=policy, on=D(2025, 1, 1))
    client.force_login(desk)
    text = client.get(reverse("policies:match_list", args=[policy.pk]) + "?result=almost").content.decode()
    assert "差一项：年龄不超过 35 周岁" in text


def test_the_subject_page_reads_its_subject_once_and_its_facts_in_few_statements(client, desk):
    """The page names the subject from one narrow read (no deferred field loaded later) and reads
    its facts in batches: a person who represents an enterprise in three batches on PostgreSQL
    (one statement each on SQLite)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_policy(code="young", title="青年补贴", rule={"all": [{"fact": "age", "op": "lte", "value": 35}]})
    person = f.person(name="王小明", birth_date=D(1995, 1, 1))
    f.enterprise(name="小明科技", legal_representative=person)
    client.force_login(desk)
    url = reverse("policies:subject_panel", args=["person", person.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        text = client.get(url).content.decode()
    assert "王小明 可享受的政策" in text and "青年补贴" in text
    sql = [q["sql"] for q in queries.captured_queries]
    named = [s for s in sql if 'FROM "registry_person"' in s and '"registry_person"."id" =' in s]
    assert len(named) == 1 and '"registry_person"."id_number"' not in named[0]
    assert len(sql) <= 25, sql
