"""Never more confirmed than seats, also when many people register at the same moment.

The threads run in another process against the same database, each on its own connection:
on SQLite a file copy of the test database (the test database itself may live in memory),
on PostgreSQL the test database itself (committed data, hence ``transactional_db``)."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from chuangfu.activities.models import RegistrationStatus as RS
from chuangfu.core import crypto

from . import builders

WORKER = Path(__file__).with_name("burst_worker.py")


def run_burst(activity, *, count: int, threads: int, tmp_path) -> dict:
    env = {**os.environ, "CHUANGFU_DATA_KEY": crypto._key().decode(), "CHUANGFU_VAR_DIR": str(tmp_path)}
    env.pop("CHUANGFU_TEST_SQLITE", None)
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        target = sqlite3.connect(tmp_path / "chuangfu.sqlite3")
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
    else:
        settings = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    result = subprocess.run(
        [sys.executable, str(WORKER), str(activity.pk), str(count), str(threads)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_registrations_confirm_exactly_the_capacity(tmp_path):
    activity = builders.activity(capacity=10)
    outcome = run_burst(activity, count=40, threads=20, tmp_path=tmp_path)
    assert outcome["errors"] == []
    statuses = [status for _, status, _ in outcome["registrations"]]
    assert len(statuses) == 40
    assert statuses.count(RS.CONFIRMED) == 10
    assert statuses.count(RS.WAITLISTED) == 30
    positions = sorted(position for _, status, position in outcome["registrations"] if status == RS.WAITLISTED)
    assert positions == list(range(1, 31))  # one place each, no gaps, no ties
