"""The generated matrix: every URL pattern and every API operation × every role (and a superuser)
× own town / other town / anonymous, against the role table (``chuangfu.core.roles``).

- a role the row admits: neither 403 nor a redirect to sign in (nor a server error); with the
  other town's record in the path, 404 (a superuser, who sees every town, is exempt);
- a role the row does not admit: 403; an anonymous visitor: the sign-in redirect (pages) or 401;
- a row marked ``delegated`` (Django's admin site) is only checked for the roles it refuses.

Path parameters come from ``tests/access_world.py``: one record of every kind in each town. Every
request runs in a savepoint that is rolled back, so a POST cannot change what the next one sees.
"""

import copy
import json
import re
from collections import defaultdict

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client

from chuangfu.core.roles import table
from tests import factories as f
from tests.access_walk import operations, page_patterns
from tests.access_world import OTHER_TOWN, OWN_TOWN, Multipart, accounts, lookup, values

pytestmark = pytest.mark.django_db

_PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)|\{(?:\w+:)?(\w+)\}")


def _group(module: str) -> str:
    parts = module.split(".")
    return parts[1] if parts[0] == "chuangfu" else parts[0]


def _cases() -> dict[str, list]:
    cases = defaultdict(list)
    for p in page_patterns():
        cases[_group(p.pattern.lookup_str)].append(("page", p.view_name, p.route, "GET"))
    for op_id, method, path in operations():
        cases[op_id.split(".", 1)[0]].append(("operation", op_id, path.lstrip("/"), method))
    return cases


CASES = _cases()


def _fill(route: str, name: str, found: dict) -> str:
    def value(m):
        return str(lookup(found, name, m.group(1) or m.group(2) or m.group(3)))

    return "/" + _PARAM.sub(value, route).replace("^", "").replace("$", "")


def _request(client: Client, kind: str, method: str, url: str, body: dict):
    """One request in a rolled-back savepoint, the client's cookies restored afterwards."""
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            if kind == "operation" and isinstance(body, Multipart):
                response = client.post(url, dict(body))
            elif kind == "operation":
                response = client.generic(method, url, json.dumps(body), content_type="application/json")
            else:
                response = client.get(url)
                if response.status_code == 405:
                    response = client.post(url, {})
            transaction.set_rollback(True)
    except Exception as exc:  # a server error: reported with the case, not raised
        return f"server error {type(exc).__name__}: {exc}"
    finally:
        client.cookies = cookies
    return response


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def _check(kind, row, who, response, *, other: bool) -> str | None:
    """What is wrong with ``response``, or None."""
    if isinstance(response, str):
        return response
    status = response.status_code
    user = who[1]
    if row.delegated and user is not None and row.admits(user):
        return None
    if who[0] == "superuser" and not isinstance(response, str) and status < 500:
        # The table admits a superuser everywhere; a service may still refuse one (a progress report
        # needs a unit), so only a server error counts against it.
        return None
    if not row.admits(user):
        if user is None:
            ok = status == 401 if kind == "operation" else _is_login_redirect(response)
            return None if ok else f"anonymous: expected {'401' if kind == 'operation' else 'sign-in'}, got {status}"
        return None if status == 403 else f"expected 403, got {status}"
    # A public page may send a visitor on to sign in itself (logout, a flow that needs an account).
    if status in (401, 403) or (_is_login_redirect(response) and not row.public):
        return f"admitted by the table but got {status}"
    if status >= 500:
        return f"server error {status}"
    if other and status != 404:
        return f"another town's record: expected 404, got {status}"
    return None


@pytest.mark.parametrize("group", sorted(CASES))
def test_role_matrix(group):
    own_town, other_town = f.town(OWN_TOWN), f.town(OTHER_TOWN)
    people = accounts(own_town)
    own, other = values(own_town, people), values(other_town, accounts(other_town))
    clients = [("anonymous", None, Client())]
    for role, user in people.items():
        client = Client()
        client.force_login(user)
        clients.append((role, user, client))

    failures, requests = [], 0
    for kind, name, route, method in CASES[group]:
        row = table().page(name) if kind == "page" else table().operation(name)
        if row is None:
            failures.append(f"{name}: no row in the role table")
            continue
        try:
            own_url, other_url = _fill(route, name, own), _fill(route, name, other)
            own_body, other_body = lookup(own, name, "body", {}), lookup(other, name, "body", {})
        except KeyError as exc:
            failures.append(str(exc.args[0]))
            continue
        for who in clients:
            role, user, client = who
            response = _request(client, kind, method, own_url, own_body)
            requests += 1
            problem = _check(kind, row, who, response, other=False)
            if problem:
                failures.append(f"{method} {own_url} ({name}) as {role}: {problem}")
            varies = other_url != own_url and row.scoped and not row.public and role != "superuser"
            if varies and user is not None and row.admits(user) and not row.delegated:
                response = _request(client, kind, method, other_url, other_body)
                requests += 1
                problem = _check(kind, row, who, response, other=True)
                if problem:
                    failures.append(f"{method} {other_url} ({name}) as {role}: {problem}")
    assert requests, group
    assert not failures, f"{len(failures)} of {requests} requests:\n" + "\n".join(failures)
