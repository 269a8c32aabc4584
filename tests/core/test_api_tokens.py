"""Service accounts call the API with tokens: hashed at rest, scoped, expiring, revocable, audited."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from chuangfu.core import api_tokens
from chuangfu.core.models import ApiToken, AuditEntry, Role
from tests import factories as f

pytestmark = pytest.mark.django_db

PEOPLE = "/api/registry/persons"


def issue(*, operations=("registry.person_list", "registry.person_detail"), town=None, days=30, role=Role.DESK_STAFF):
    from chuangfu.core.views.tokens import api_operations

    return api_tokens.token_issue(
        actor=f.user(Role.ADMIN, town or f.town()),
        name="一网通办",
        jurisdiction=town or f.town(),
        role=role,
        operations=list(operations),
        days=days,
        known=set(api_operations()),
    )


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def error_schema(client):
    """The documented error shape, read from the served schema."""
    return client.get("/api/openapi.json").json()["components"]["schemas"]["ErrorOut"]


class jsonschema:
    TYPES = {"string": str, "object": dict, "integer": int, "array": list}

    @classmethod
    def validate(cls, body, schema):
        assert isinstance(body, dict)
        assert set(schema["required"]) <= set(body) <= set(schema["properties"]), body
        for key, value in body.items():
            assert isinstance(value, cls.TYPES[schema["properties"][key]["type"]]), (key, value)


def test_a_token_reads_its_towns_records_and_only_them(client):
    own = f.person("唐镇居民")
    other = f.person("张江居民", jurisdiction=f.town("310115125"))
    row, token = issue()
    listed = client.get(PEOPLE, **bearer(token))
    assert listed.status_code == 200
    names = [p["name"] for p in listed.json()["items"]]
    assert "唐镇居民" in names and "张江居民" not in names
    assert client.get(f"{PEOPLE}/{own.pk}", **bearer(token)).status_code == 200
    assert client.get(f"{PEOPLE}/{other.pk}", **bearer(token)).status_code == 404
    row.refresh_from_db()
    assert row.last_used_at is not None and row.uses >= 1


def test_only_a_hash_is_kept_and_issue_and_revoke_are_audited(client):
    row, token = issue()
    assert token.startswith(f"cf_{row.prefix}_")
    assert not ApiToken.objects.filter(key_hash__contains=token.split("_")[-1]).exists()
    assert token not in str(list(ApiToken.objects.values()))
    api_tokens.token_revoke(actor=f.user(Role.ADMIN), token=row)
    assert list(AuditEntry.objects.filter(object_id=str(row.pk)).values_list("action", flat=True).order_by("id")) == [
        "core.api_token.issued",
        "core.api_token.revoked",
    ]


def test_an_operation_outside_the_tokens_set_is_forbidden(client, error_schema):
    _row, token = issue(operations=["registry.person_detail"])
    response = client.get(PEOPLE, **bearer(token))
    assert response.status_code == 403
    body = response.json()
    jsonschema.validate(body, error_schema)
    assert body["code"] == "operation_not_allowed" and "registry.person_list" in body["message"]


@pytest.mark.parametrize("state", ["revoked", "expired", "garbage", "missing"])
def test_revoked_expired_and_unknown_tokens_get_401_in_the_error_shape(client, error_schema, state):
    row, token = issue()
    if state == "revoked":
        api_tokens.token_revoke(actor=None, token=row)
    elif state == "expired":
        ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    headers = {} if state == "missing" else bearer("cf_nothere_" + "x" * 40 if state == "garbage" else token)
    response = client.get(PEOPLE, **headers)
    assert response.status_code == 401
    jsonschema.validate(response.json(), error_schema)


def test_not_found_and_bad_input_answer_in_the_documented_shape(client, error_schema):
    _row, token = issue(operations=["registry.person_detail", "registry.person_create"])
    missing = client.get(f"{PEOPLE}/999999", **bearer(token))
    assert missing.status_code == 404
    jsonschema.validate(missing.json(), error_schema)
    bad = client.post(PEOPLE, data="{", content_type="application/json", **bearer(token))
    assert bad.status_code in (400, 422)
    jsonschema.validate(bad.json(), error_schema)
    wrong_type = client.post(
        PEOPLE, data={"name": ["not", "a", "name"]}, content_type="application/json", **bearer(token)
    )
    assert wrong_type.status_code in (400, 422)
    jsonschema.validate(wrong_type.json(), error_schema)


def test_a_token_is_throttled_with_429(client, settings, monkeypatch, error_schema):
    from chuangfu.api.urls import TokenRateThrottle

    monkeypatch.setattr(TokenRateThrottle, "RATE", 2)
    _row, token = issue()
    statuses = [client.get(PEOPLE, **bearer(token)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    jsonschema.validate(client.get(PEOPLE, **bearer(token)).json(), error_schema)


def test_the_schema_documents_the_bearer_scheme_and_every_error_response(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"] == {"type": "http", "scheme": "bearer"}
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert "registry.person_list" in {op["operationId"] for op in operations}
    for op in operations:
        expected = {"400", "404", "409", "422", "429"} | ({"401", "403"} if op.get("security") else set())
        assert expected <= set(op["responses"]), op["operationId"]
        for status in expected:
            ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorOut"), (op["operationId"], status)


def test_admins_issue_and_revoke_on_the_page_in_both_languages(client):
    admin = f.user(Role.ADMIN, f.town())
    client.force_login(admin)
    url = reverse("core:api_tokens")
    page = client.get(url).content.decode()
    assert "签发新令牌" in page and "registry.person_list" in page
    response = client.post(
        url,
        {
            "name": "区级平台",
            "jurisdiction": f.town().pk,
            "role": Role.DESK_STAFF,
            "days": 30,
            "operations": ["registry.person_list"],
        },
    )
    html = response.content.decode()
    row = ApiToken.objects.get()
    assert response.status_code == 200 and f"cf_{row.prefix}_" in html and "离开本页后将无法再次查看" in html
    assert f"cf_{row.prefix}_" in client.get(url).content.decode()  # listed by prefix…
    assert html.count(f"cf_{row.prefix}_") > client.get(url).content.decode().count(f"cf_{row.prefix}_") - 1
    client.post(reverse("core:api_token_revoke", args=[row.pk]))
    row.refresh_from_db()
    assert row.revoked_at is not None and not row.account.is_active
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ("Issue a new token" in english and "Revoked" in english) or "revoked" in english


def test_bad_input_on_the_page_saves_nothing(client):
    client.force_login(f.user(Role.ADMIN, f.town()))
    response = client.post(
        reverse("core:api_tokens"), {"name": "", "jurisdiction": f.town().pk, "role": Role.ADMIN, "days": 0}
    )
    assert response.status_code == 400 and not ApiToken.objects.exists()


@pytest.mark.parametrize("role", [Role.DESK_STAFF, Role.LEADER, Role.REVIEWER])
def test_only_administrators_manage_tokens(client, role):
    row, _token = issue()
    client.force_login(f.user(role, f.town()))
    assert client.get(reverse("core:api_tokens")).status_code == 403
    assert client.post(reverse("core:api_token_revoke", args=[row.pk])).status_code == 403
    other_admin = f.user(Role.ADMIN, f.town("310115125"))
    client.force_login(other_admin)
    assert client.post(reverse("core:api_token_revoke", args=[row.pk])).status_code == 404


def test_the_command_issues_lists_and_revokes(capsys):
    f.town()
    call_command(
        "api_token",
        "issue",
        "--name",
        "一网通办",
        "--jurisdiction",
        "310115114",
        "--role",
        "desk_staff",
        "--operation",
        "registry.person_list",
        "--days",
        "10",
    )
    token = capsys.readouterr().out.strip()
    assert api_tokens.authenticate(token) is not None
    call_command("api_token", "list")
    assert "一网通办" in capsys.readouterr().out
    call_command("api_token", "revoke", token.split("_")[1])
    assert api_tokens.authenticate(token) is None
