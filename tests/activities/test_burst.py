"""The activities-burst benchmark, small: real HTTP registrations through gunicorn from many
clients at once. Exactly the seats are confirmed, the rest wait in arrival order, and no
request fails.

The site runs on this suite's database, already migrated: on SQLite a file copy of the test
database, on PostgreSQL the test database itself (hence ``transactional_db``)."""
import importlib.util
import sqlite3
from pathlib import Path

import pytest
from django.db import connection

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "activities_burst.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("activities_burst_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_small_burst_through_gunicorn_confirms_exactly_the_seats_and_queues_the_rest_in_order(tmp_path):
    bench = load_benchmark()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(tmp_path / "chuangfu.sqlite3")
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        database_url = None
    else:
        settings = connection.settings_dict
        database_url = (f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
                        f"{settings['PORT'] or 5432}/{settings['NAME']}")
    result = bench.run_backend(60, database_url, clients=20, workers=2, workdir=tmp_path, migrated=True)
    assert result["server_errors"] == 0 and result["statuses"] == {302: 60}
    stored = result["stored"]
    assert stored["confirmed"] == 12 and stored["waitlisted"] == 48 and stored["other"] == []
    assert stored["positions_are_1_to_n"] and stored["in_arrival_order"] and stored["last_confirmed_before_first_waiting"]
    assert result["meets"]
