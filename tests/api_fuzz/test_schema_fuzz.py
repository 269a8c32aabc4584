"""schemathesis over the whole API, anonymous and as each role with an API token.

For every operation in ``/api/openapi.json`` and every caller, schemathesis generates requests
(valid and invalid) from the schema and checks each answer: no server error, a status the schema
documents for the operation, the documented content type and a body that matches its schema.
Records of every kind exist in the caller's town and in another town (``tests/access_world``), so
generated ids sometimes name real rows. Bounded by ``FUZZ_EXAMPLES`` (examples per operation and
caller, default 5) so that the step stays within minutes; ``make test-api`` runs it as its own CI
step."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from chuangfu.core import api_tokens
from chuangfu.core.models import Role
from tests import factories as f
from tests.access_world import OTHER_TOWN, OWN_TOWN, accounts, values

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
# Tokens are issued to service accounts of the staff roles but the administrator (core.api_tokens).
CALLERS = ["anonymous", *[str(r) for r in api_tokens.SERVICE_ROLES]]


@pytest.fixture(autouse=True)
def _one_connection_for_the_test():
    """schemathesis calls the WSGI application itself, whose request signals close the database
    connection after each request; inside the test's transaction that would close it under the
    test (PostgreSQL: "the connection is closed"). Django's test client disconnects them the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _schema():
    from chuangfu.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


def _headers(caller: str, town) -> dict:
    if caller == "anonymous":
        return {}
    from chuangfu.core.views.tokens import api_operations

    known = set(api_operations())
    _row, token = api_tokens.token_issue(
        actor=f.user(Role.ADMIN, town),
        name=f"fuzz-{caller}",
        jurisdiction=town,
        role=caller,
        operations=sorted(known),
        days=1,
        known=known,
    )
    return {"Authorization": f"Bearer {token}"}


def _summary(exc: BaseException) -> str:
    """The failed checks' titles and the call that reproduces them (the full report is long)."""
    lines = [line.strip(" |") for line in str(exc).splitlines()]
    keep = [line for line in lines if line.startswith(("- ", "[", "curl ")) or "Reproduce" in line]
    return "\n  ".join(keep[:12]) or str(exc)[:600]


@pytest.mark.parametrize("caller", CALLERS)
def test_every_operation_answers_as_its_schema_says(caller):
    own_town, other_town = f.town(OWN_TOWN), f.town(OTHER_TOWN)
    values(own_town, accounts(own_town))
    values(other_town, accounts(other_town))
    headers = _headers(caller, own_town)
    failures: list[str] = []
    operations = 0
    for result in _schema().get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except Exception as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {_summary(exc)}")
    assert operations > 50
    assert not failures, f"{len(failures)} of {operations} operations failed as {caller}:\n\n" + "\n\n".join(failures)
