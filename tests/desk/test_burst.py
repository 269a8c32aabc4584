"""A small burst of public submissions against a real gunicorn with 2 workers (the full-size run
is the desk-burst benchmark): every ticket stored once, numbers distinct, no server errors.

On SQLite the server runs on a file copy of the test database (the test database itself may be
in memory); on PostgreSQL on the test database itself (committed data, hence ``transaction``)."""
import importlib.util
import sqlite3
from pathlib import Path

import pytest
from django.db import connection

from chuangfu.core import crypto
from chuangfu.desk.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "desk_burst.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("desk_burst_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def site_on_test_database(bench, tmp_path):
    key = crypto._key().decode()
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(tmp_path / "chuangfu.sqlite3")
        connection.connection.backup(target)
        target.close()
        return bench.Site(tmp_path, data_key=key)
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return bench.Site(tmp_path, database_url=url, data_key=key)


def stored(tmp_path) -> list[tuple[str, str]]:
    if connection.vendor == "sqlite":
        with sqlite3.connect(tmp_path / "chuangfu.sqlite3") as db:
            return db.execute("SELECT number, idempotency_key FROM desk_ticket").fetchall()
    return list(Ticket.objects.values_list("number", "idempotency_key"))


def test_a_burst_of_submissions_makes_one_ticket_each_with_distinct_numbers(tmp_path, category):
    bench = load_bench()
    site = site_on_test_database(bench, tmp_path)
    bodies = bench.submissions(100, town=category.jurisdiction.code, category=category.pk, prefix="t",
                               duplicates_of=20)
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
