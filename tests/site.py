"""What the burst tests share: a benchmark module, and this suite's test database made reachable
to the site the benchmark starts under gunicorn in its own processes.

On SQLite the site serves a file copy of the test database (the test database itself may be in
memory); on PostgreSQL the test database itself, so the tests that use it mark themselves
``django_db(transaction=True, serialized_rollback=True)``: what they write is committed where the
site can see it, and the suite's data comes back afterwards."""

import importlib.util
import sqlite3
from pathlib import Path
from types import ModuleType

from django.db import connection

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load_benchmark(name: str) -> ModuleType:
    """``benchmarks/<name>.py`` as a module (benchmarks/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"{name}_bench", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def share_test_database(workdir: Path) -> str | None:
    """The ``database_url`` for a site working in ``workdir`` to serve this suite's test database:
    on SQLite None, after copying the database to ``workdir/chuangfu.sqlite3``, where the site
    looks when it has no URL; on PostgreSQL the test database's URL."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(Path(workdir) / "chuangfu.sqlite3")
        connection.connection.backup(target)
        target.close()
        return None
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
