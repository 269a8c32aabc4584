"""A small burst of public submissions against a real gunicorn with 2 workers (the full-size run
is the desk-burst benchmark): every ticket stored once, numbers distinct, no server errors.
The site runs on this suite's database (see tests/site.py)."""

import sqlite3

import pytest
from django.db import connection

from chuangfu.core import crypto
from chuangfu.desk.models import Ticket
from tests.site import load_benchmark, share_test_database

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def stored(tmp_path) -> list[tuple[str, str]]:
    if connection.vendor == "sqlite":
        with sqlite3.connect(tmp_path / "chuangfu.sqlite3") as db:
            return db.execute("SELECT number, idempotency_key FROM desk_ticket").fetchall()
    return list(Ticket.objects.values_list("number", "idempotency_key"))


def test_a_burst_of_submissions_makes_one_ticket_each_with_distinct_numbers(tmp_path, category):
    bench = load_benchmark("desk_burst")
    site = bench.Site(tmp_path, database_url=share_test_database(tmp_path), data_key=crypto._key().decode())
    bodies = bench.submissions(100, town=category.jurisdiction.code, category=category.pk, prefix="t", duplicates_of=20)
    try:
        result = bench.burst(site.serve(workers=2), bodies, clients=10)
    finally:
        site.stop()
    assert result["server_errors"] == 0, result["errors"]
    assert set(result["statuses"]) <= {200, 201} and result["statuses"].get(201) == 100
    rows = stored(tmp_path)
    numbers = [number for number, _ in rows]
    assert len(rows) == 100 and len(set(numbers)) == 100
    first = next(number for number, key in rows if key == "t-0")
    assert result["numbers"].count(first) == 21  # the 20 repeats of the first key got the first ticket


def test_the_desk_queue_benchmarks_journeys_are_answered_as_a_browser_would_be(tmp_path, desk, make_ticket):
    """The desk-queue benchmark's five kinds against gunicorn, briefly: the queue page and its counts
    under the clerk's session, the lookup form and its POST with the token and cookie the GET gave,
    the status API — every one answered with what a browser would see (no error in any kind)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    bench, helpers = load_benchmark("desk_queue"), load_benchmark("desk_burst")
    samples = [(make_ticket(requester_mobile=f"1395555000{i}").number, f"1395555000{i}") for i in range(3)]
    session = SessionStore()
    session.update(
        {
            SESSION_KEY: str(desk.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[-1],
            HASH_SESSION_KEY: desk.get_session_auth_hash(),
        }
    )
    session.create()
    site = helpers.Site(tmp_path, database_url=share_test_database(tmp_path), data_key=crypto._key().decode())
    try:
        base = site.serve(workers=2)
        status, _, kept = bench._get(base, bench.QUEUE_PATH, {"Cookie": f"sessionid={session.session_key}"})
        assert status == 200 and "csrftoken" in kept
        mix = bench.journeys(base, [f"sessionid={session.session_key}; csrftoken={kept['csrftoken']}"], samples)
        result = bench.load(base, [*mix["queue"], *mix["lookup_html"], *mix["lookup_api"]], clients=2, seconds=2)
    finally:
        site.stop()
    assert set(result["by_kind"]) == set(bench.KINDS)
    assert result["errors"] == 0, result["by_kind"]
