"""The role table: every URL and API operation has a row, and the table is enforced centrally."""

import pytest
from django.urls import reverse

from chuangfu.core.models import Role
from chuangfu.core.roles import ANYONE, Table, operation, operation_allowed, page, table
from tests import factories
from tests.access_walk import operations, page_patterns

pytestmark = pytest.mark.django_db


def test_every_url_pattern_has_a_row():
    missing = [f"{p.view_name} ({p.route})" for p in page_patterns() if table().page(p.view_name) is None]
    assert not missing, "URL patterns without a row in the role table (add them to <app>/access.py): " + ", ".join(
        missing
    )


def test_every_api_operation_has_a_row():
    missing = [f"{op_id} ({method} {path})" for op_id, method, path in operations() if table().operation(op_id) is None]
    assert not missing, "API operations without a row in the role table (add them to <app>/access.py): " + ", ".join(
        missing
    )


def test_rows_name_real_urls_and_operations():
    """A row for a URL or operation that no longer exists is a stale row."""
    names = {p.view_name for p in page_patterns()}
    namespaces = {n.split(":", 1)[0] for n in names if ":" in n}
    stale = [
        name
        for name in table().pages
        if name not in names
        and not (name.endswith(":*") and name[:-2] in namespaces)
        and name != "django.views.static.serve"  # routed only when DEBUG serves uploads
    ]
    stale += [op for op in table().operations if op not in {o for o, _m, _p in operations()}]
    assert not stale, f"rows without a URL or operation: {stale}"


def test_two_rows_for_one_url_are_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        Table([page("desk:queue", ANYONE), page("desk:queue", Role.ADMIN)])
    with pytest.raises(ImproperlyConfigured):
        page("desk:queue", "clerk")


def test_a_signed_in_role_outside_the_row_gets_403(client):
    client.force_login(factories.user(Role.MENTOR))
    response = client.get(reverse("subsidy_reports:figures"))
    assert response.status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("subsidy_reports:figures"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_url_without_a_row_is_refused(client, monkeypatch):
    rows = {k: v for k, v in table().pages.items() if k != "subsidy_reports:figures"}
    monkeypatch.setattr(table(), "pages", rows)
    client.force_login(factories.user(Role.ADMIN))
    assert client.get(reverse("subsidy_reports:figures")).status_code == 403


def test_api_refuses_a_role_outside_the_row_before_reading_input(client):
    client.force_login(factories.user(Role.CARRIER_OPERATOR))
    response = client.get("/api/registry/persons?limit=not-a-number")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_api_public_operation_needs_a_public_row(client, monkeypatch):
    """An operation opened with ``auth=None`` still answers to the table."""
    assert client.get("/api/policies/").status_code == 200
    monkeypatch.setitem(table().operations, "policies.list_policies", operation("policies.list_policies", Role.ADMIN))
    assert client.get("/api/policies/").status_code == 401


def test_a_token_passes_only_for_its_operations():
    reviewer = factories.user(Role.REVIEWER)
    assert operation_allowed(reviewer, "subsidies.application_list")
    assert operation_allowed(reviewer, "subsidies.application_list", token_operations={"subsidies.application_list"})
    assert not operation_allowed(reviewer, "subsidies.application_list", token_operations={"subsidies.notice_list"})
    assert not operation_allowed(reviewer, "registry.person_create", token_operations={"registry.person_create"})
    assert not operation_allowed(reviewer, "no_such_operation")
