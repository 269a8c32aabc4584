"""The subsidies-contention benchmark, small: concurrent approve and disburse requests through
gunicorn on the same applications. Each is approved once and paid once, and no request fails.

The site runs on this suite's database, already migrated: on SQLite a file copy of the test
database, on PostgreSQL the test database itself (hence ``transactional_db``)."""
import importlib.util
import sqlite3
from pathlib import Path

import pytest
from django.db import connection

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "subsidies_contention.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("subsidies_contention_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_approvals_and_payments_through_gunicorn_happen_once_each(tmp_path):
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
    result = bench.run_backend(20, database_url, workers=2, workdir=tmp_path, migrated=True)
    assert result["server_errors"] == 0
    stored = result["stored"]
    n = bench.APPLICATIONS
    assert stored["statuses"] == {"disbursed": n}
    assert stored["payments_per_application"] == [1] * n and stored["grants_per_application"] == [1] * n
    assert stored["finalise_audits"] == n and stored["disburse_audits"] == n
    assert result["final_outcomes"]["finalise 200"] == n and result["final_outcomes"]["disburse 200"] == n
    assert result["meets"]
