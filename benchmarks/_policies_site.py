"""The seeded site the policies benchmarks share (``policies-match``, ``-explain``, ``-lists``,
``-rematch``): ``chuangfu seed --scale N/3`` (N/3 enterprises, 2N/3 people), the demo policies
plus the benchmark's own up to 20 (``policies_match.BENCH_POLICIES``: rules that use the facts of
decisions 21 and 28), and the registry rows those facts read that the seed does not write:
grants (one person in fifty), 4-digit industry classes, founders' shares, social-insurance
months (one person in four, up to 19 months back with gaps), credit (失信) records and, since
version 2, premises with their leases (one enterprise in three) for the bench policies that use
decision 39's facts (business-scope keywords and the priority groups' own facts are seeded).

Seeding a million subjects takes many minutes. With ``CHUANGFU_BENCH_POLICIES_DIR=/some/dir`` the
site (database, data key, seed record) is kept in that directory — on PostgreSQL the database is
``CHUANGFU_BENCH_DATABASE_URL``'s (default ``chuangfu_bench`` on the local server; its name must
contain "bench", as seeding it afresh empties it) and the directory keeps the key and the record —
and reused by the next run at the same scale; each run migrates it first. A site kept from an
older setup (its record's ``version`` below ``SEED_VERSION``) is not seeded again: it is migrated
and brought up to date by ``policies_match.upgrade`` (each step idempotent), and its record says
which steps ran (``upgrades``: {version: counts and seconds}). Without it a temporary directory is
used and removed.
"""

import importlib.util
import json
import math
import os
import shutil
import subprocess
import time
from pathlib import Path

# 1: decision 40's site; 2: premises and the bench policies with decision 39's facts; 3: the demo
# policies' windows to the day. A kept site of an older version is upgraded
# (``policies_match.UPGRADES``), one of an unknown version seeded again.
SEED_VERSION = 3
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/chuangfu_bench"


def helpers():
    spec = importlib.util.spec_from_file_location("desk_burst_helpers", Path(__file__).with_name("desk_burst.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SETUP = """
import json, sys
sys.path.insert(0, {benchmarks!r})
import policies_match
print(json.dumps(policies_match.setup()))
"""

UPGRADE = """
import json, sys
sys.path.insert(0, {benchmarks!r})
import policies_match
print(json.dumps(policies_match.upgrade({seeded})))
"""


def _empty_postgres(url: str) -> None:
    """Drop every table of the benchmark's PostgreSQL database (it is seeded afresh)."""
    import psycopg

    if "bench" not in url.rsplit("/", 1)[-1]:
        raise RuntimeError(f"refusing to empty {url}: a benchmark database's name contains 'bench'")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def site(scale: int, database: str = "sqlite"):
    """``(site, seeded record, seed seconds or None when reused, keep)``; the site is migrated."""
    from cryptography.fernet import Fernet

    h = helpers()
    kept = os.environ.get("CHUANGFU_BENCH_POLICIES_DIR", "")
    workdir = Path(kept) / database if kept else Path(__import__("tempfile").mkdtemp(prefix="policies-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    key_file, seed_file = workdir / "data-key.txt", workdir / f"seeded-{scale}.json"
    if not key_file.exists():
        key_file.write_text(Fernet.generate_key().decode())
    url = None
    if database == "postgresql":
        url = os.environ.get("CHUANGFU_BENCH_DATABASE_URL") or DEFAULT_PG
    s = h.Site(workdir, database_url=url, data_key=key_file.read_text().strip())
    s.env.update(DEBUG="0", LOG_LEVEL="WARNING")
    record = json.loads(seed_file.read_text()) if kept and seed_file.exists() else None
    if record is not None and record.get("version") == SEED_VERSION:
        s.manage("migrate", "--no-input", "-v", "0")
        return s, record, None, True
    if record is not None and record.get("version") in range(1, SEED_VERSION):
        s.manage("migrate", "--no-input", "-v", "0")
        script = UPGRADE.format(benchmarks=str(Path(__file__).parent), seeded=int(record["version"]))
        done = json.loads(s.python(script, timeout=7200).strip().splitlines()[-1])
        for counts in done.values():
            record.update({k: v for k, v in counts.items() if k != "seconds"})
        record["upgrades"] = {**record.get("upgrades", {}), **done}
        record["version"] = SEED_VERSION
        seed_file.write_text(json.dumps(record))
        return s, record, None, True
    for stale in [*workdir.glob("seeded-*.json"), *workdir.glob("chuangfu.sqlite3*")]:
        stale.unlink()
    if url:
        _empty_postgres(url)
    started = time.perf_counter()
    s.manage("migrate", "--no-input", "-v", "0")
    s.manage("seed", "--scale", str(max(1, math.ceil(scale / 3))), "--seed", "42", "-v", "0", timeout=7200)
    record = json.loads(s.python(SETUP.format(benchmarks=str(Path(__file__).parent))).strip().splitlines()[-1])
    if url:  # statistics, as autovacuum would have gathered them (it is off on some servers, this one's too)
        s.python(ANALYZE, timeout=3600)
    record.update(version=SEED_VERSION, scale=scale, database=database)
    seconds = time.perf_counter() - started
    if kept:
        seed_file.write_text(json.dumps(record))
    return s, record, seconds, bool(kept)


def finish(s, keep: bool) -> None:
    s.stop()
    if not keep:
        shutil.rmtree(s.workdir, ignore_errors=True)


def child(s, script: Path, *args: str, timeout: int = 7200) -> dict:
    """Run a benchmark's measuring part in the site's environment; its last stdout line is JSON."""
    import sys

    result = subprocess.run(
        [sys.executable, str(script), *args],
        env={**s.env, "PYTHONPATH": os.pathsep.join([str(Path(script).parent), s.env.get("PYTHONPATH", "")])},
        cwd=s.workdir,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise RuntimeError(f"{script.name} {' '.join(args)} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- in the site's environment: a staff member of the town, signed in ------------------------------

TOWN = "310115114"  # 唐镇, where most of the seeded subjects live

ANALYZE = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
"""

STAFF = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from chuangfu.core.models import Jurisdiction, Role, User
town = Jurisdiction.objects.get(code={town!r})
user = User.objects.filter(username="policybench").first() or User.objects.create_user(
    username="policybench", password=None, role=Role.DESK_STAFF, jurisdiction=town)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(json.dumps({{"session": session.session_key, "user": user.pk}}))
"""


def staff_session(s) -> str:
    """A desk clerk of the town (made once), and a fresh signed-in session: its key."""
    return json.loads(s.python(STAFF.format(town=TOWN)).strip().splitlines()[-1])["session"]


def workers_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by the gunicorn workers under ``master_pid`` (Linux)."""
    total = 0.0
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def get_all(s, base: str, paths: list[str], cookie: str = "", marker: bytes = b"") -> dict:
    """GET each path once, one after another on one kept-alive connection (a staff member's
    browser): latencies, errors, and the workers' CPU per request (which, unlike latency, does not
    depend on how busy a shared machine is). A page that is not 200 or lacks ``marker`` is an error."""
    import http.client
    from urllib.parse import urlsplit

    h = helpers()
    where = urlsplit(base)
    conn = http.client.HTTPConnection(where.hostname, where.port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    latencies, errors = [], []
    cpu_before = workers_cpu_seconds(s.server.pid)
    for path in paths:
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != 200 or marker not in body:
            errors.append(f"{path}: {response.status}")
    cpu = workers_cpu_seconds(s.server.pid) - cpu_before
    conn.close()
    return {
        "requests": len(paths),
        "errors": errors[:5],
        "error_count": len(errors),
        **h.percentiles(latencies),
        "worker_cpu_ms_per_request": round(cpu * 1000 / max(len(paths), 1), 2),
    }
