"""The policy API: public reads and the self-check without login; staff-only subject policies,
matches and outreach lists, scoped to the actor's town; all in the OpenAPI schema."""

import datetime

import pytest

from chuangfu.core.models import Role
from chuangfu.policies import services
from tests import factories as f

from .conftest import make_policy

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def policy():
    return make_policy(
        code="young",
        title="青年补贴",
        rule={
            "all": [{"fact": "age", "op": "lte", "value": 35}, {"fact": "hukou_kind", "op": "in", "value": ["local"]}]
        },
    )


def young(**fields):
    return f.person(id_number=f.id_number(birth=D(1995, 1, 1)), birth_date=D(1995, 1, 1), **fields)


def test_published_policies_and_their_conditions_are_public(client, policy):
    make_policy(code="draft", title="草稿政策", status="draft")
    listed = client.get("/api/policies/").json()
    assert [p["code"] for p in listed] == ["young"]
    detail = client.get(f"/api/policies/{policy.pk}").json()
    assert detail["current_version"]["conditions"]["children"][0]["text"] == "年龄不超过 35 周岁"
    assert detail["versions"][0]["rule"]["all"][0] == {"fact": "age", "op": "lte", "value": 35}


def test_the_public_check_explains_every_condition_and_refuses_unknown_facts(client, policy):
    response = client.post(
        "/api/policies/check", {"kind": "person", "facts": {"age": 30}}, content_type="application/json"
    )
    (item,) = response.json()
    assert item["result"] == "unknown"
    assert item["open_conditions"] == ["户籍性质为本市户籍"]
    assert [c["status"] for c in item["conditions"]] == ["met", "unknown"]
    refused = client.post(
        "/api/policies/check", {"kind": "person", "facts": {"shoe": 42}}, content_type="application/json"
    )
    assert refused.status_code == 400 and refused.json()["message"] == "未知的条件项：shoe。"


def test_staff_read_a_subjects_policies_matches_and_outreach_in_their_town(client, policy, desk):
    person = young(hukou_kind="local")
    other = young(hukou_kind="local", jurisdiction=f.town("310115125"))
    services.policy_match(policy=policy, on=D.today())
    client.force_login(desk)
    (explained,) = client.get(f"/api/policies/subjects/person/{person.pk}").json()
    assert explained["result"] == "eligible"
    matches = client.get(f"/api/policies/{policy.pk}/matches").json()
    assert [m["subject_id"] for m in matches["items"]] == [person.pk]
    outreach = client.get(f"/api/policies/{policy.pk}/outreach").json()
    assert [m["subject_id"] for m in outreach["items"]] == [person.pk]
    assert client.get(f"/api/policies/subjects/person/{other.pk}").status_code == 404


def test_staff_endpoints_need_a_staff_login(client, policy):
    person = young()
    assert client.get(f"/api/policies/{policy.pk}/matches").status_code == 401
    client.force_login(f.user(role=Role.ENTREPRENEUR))
    assert client.get(f"/api/policies/{policy.pk}/matches").status_code == 403
    assert client.get(f"/api/policies/subjects/person/{person.pk}").status_code == 403


def test_the_policy_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/policies/",
        "/api/policies/check",
        "/api/policies/{policy_id}/outreach",
        "/api/policies/subjects/{kind}/{subject_id}",
    ):
        assert path in paths


def test_the_public_check_names_each_bad_value_in_the_callers_language(client, policy):
    facts = {"age": "abc", "hukou_kind": "martian", "represents": [{"insured_employees": -1}], "groups": "graduate"}
    refused = client.post("/api/policies/check", {"kind": "person", "facts": facts}, content_type="application/json")
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "bad_facts"
    assert "invalid literal" not in body["message"]
    assert "“年龄”应为 0 至 150 之间的整数，而不是“abc”。" in body["message"]
    assert "“户籍性质”的取值“martian”不在可选范围内" in body["message"]
    assert "第 1 家企业的“参保人数”应为 0 至 1000000 之间的整数" in body["message"]
    in_english = client.post(
        "/api/policies/check",
        {"kind": "person", "facts": {"age": "abc"}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()
    assert in_english["message"] == "“Age” must be a whole number from 0 to 150, not “abc”."


def test_the_public_check_judges_a_person_who_represents_several_enterprises(client):
    make_policy(
        code="founder",
        title="创办者补贴",
        rule={"fact": "represents", "op": "satisfies", "value": {"fact": "insured_employees", "op": "gte", "value": 3}},
    )
    facts = {"represents": [{"insured_employees": 1}, {"insured_employees": 5}]}
    (item,) = client.post(
        "/api/policies/check", {"kind": "person", "facts": facts}, content_type="application/json"
    ).json()
    assert item["result"] == "eligible"
    facts = {"represents": [{"insured_employees": 1}, {"insured_employees": 2}]}
    (item,) = client.post(
        "/api/policies/check", {"kind": "person", "facts": facts}, content_type="application/json"
    ).json()
    assert item["result"] == "ineligible"
