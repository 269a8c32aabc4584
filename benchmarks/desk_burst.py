"""desk-burst: 1,000 public submissions from 50 concurrent clients against gunicorn (2 workers),
on SQLite and on PostgreSQL. Goal: every submission stored, all numbers distinct, no 5xx.

Figure: tickets stored per second on SQLite; baseline: a bare Django view returning "ok", served
by the same gunicorn to the same clients in the same run. PostgreSQL runs too when a server is
reachable (``DATABASE_URL``, else postgres://postgres@127.0.0.1:5432); its figures are in details.

The helpers here (a throw-away site with its own settings, gunicorn, the client burst) are also
used by ``desk_queue.py`` and by the small burst test in tests/desk.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

DEFAULT_SCALE = 1000
CLIENTS = 50
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

BENCH_SETTINGS = """
from chuangfu.settings import *  # noqa: F401,F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "desk_bench_urls"
DESK_RATE_LIMITS = {name: (10**9, 3600) for name in ("submit_ip", "submit_mobile", "lookup_fail_ip",
                                                     "lookup_fail_number")}
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["console"], "level": "WARNING"}}
"""

BENCH_URLS = """
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from chuangfu.urls import urlpatterns as _platform


@csrf_exempt
def ok(request):
    return HttpResponse("ok")


# Named as the health check, so the role table admits it as it admits /healthz (anyone): a bare
# view the platform's own middleware lets through. ``reverse("healthz")`` still gives /healthz
# (of two patterns with one name, reverse() takes the last).
urlpatterns = [path("bench/ok", ok, name="healthz"), *_platform]
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """A platform instance in ``workdir`` (its own var dir, data key and database) for load tests."""

    def __init__(self, workdir: Path, *, database_url: str | None = None, data_key: str | None = None):
        from cryptography.fernet import Fernet

        self.workdir = Path(workdir)
        (self.workdir / "desk_bench_settings.py").write_text(BENCH_SETTINGS)
        (self.workdir / "desk_bench_urls.py").write_text(BENCH_URLS)
        self.env = {
            **os.environ,
            "CHUANGFU_VAR_DIR": str(self.workdir),
            "DJANGO_SETTINGS_MODULE": "desk_bench_settings",
            "PYTHONPATH": os.pathsep.join([str(self.workdir), os.environ.get("PYTHONPATH", "")]),
            "CHUANGFU_DATA_KEY": data_key or Fernet.generate_key().decode(),
            "CHUANGFU_ENV": "development",
            "CHUANGFU_SMS_BACKEND": "chuangfu.core.notifications.sms.LocmemSmsBackend",
        }
        for name in ("DATABASE_URL", "CHUANGFU_TEST_SQLITE", "REDIS_URL"):
            self.env.pop(name, None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.server = None
        self.url = ""

    def manage(self, *args: str, timeout: int = 3600) -> str:
        result = subprocess.run(
            [str(BIN / "chuangfu"), *args],
            env=self.env,
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise RuntimeError(f"chuangfu {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def python(self, code: str, timeout: int = 3600) -> str:
        """Run ``code`` with Django set up in the site's environment; returns stdout."""
        script = "import django\ndjango.setup()\n" + code
        result = subprocess.run(
            [sys.executable, "-c", script],
            env=self.env,
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise RuntimeError(f"site script failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def serve(self, workers: int = 2, settings_module: str = "") -> str:
        port = free_port()
        env = {**self.env, "DJANGO_SETTINGS_MODULE": settings_module} if settings_module else self.env
        self.server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "chuangfu.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            env=env,
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=open(self.workdir / "gunicorn.log", "w"),  # noqa: SIM115 (kept open for the server's life)
        )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180  # a shared, busy machine can take a minute to import the platform twice
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/bench/ok", timeout=2) as response:
                    answer = response.geturl(), response.read()
            except OSError:
                if self.server.poll() is not None:
                    break
                time.sleep(0.2)
                continue
            if answer != (self.url + "/bench/ok", b"ok"):  # a redirect (to the sign-in page) is no baseline
                self.stop()
                raise RuntimeError(f"the bare view did not answer 'ok': {answer[0]} {answer[1][:200]!r}")
            return self.url
        self.stop()
        raise RuntimeError("gunicorn did not start:\n" + (self.workdir / "gunicorn.log").read_text()[-3000:])

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.server.kill()
        self.server = None


def kept_site(env_var: str, prefix: str, scale: int) -> tuple["Site", "Path | None", "dict | None"]:
    """A site for a benchmark whose data takes long to seed. With the directory ``env_var`` names,
    the site lives there and is reused when it already holds a seed of ``scale``; otherwise it is
    made in a fresh temporary directory. Either way it is migrated.

    Returns ``(site, seed_file, seeded)``: ``seed_file`` is where to record a new seed (None when
    nothing is kept); ``seeded`` is the kept seed's record, or None when the caller must seed."""
    from cryptography.fernet import Fernet

    kept = os.environ.get(env_var, "")
    workdir = Path(kept) if kept else Path(tempfile.mkdtemp(prefix=prefix))
    workdir.mkdir(parents=True, exist_ok=True)
    key_file, seed_file = workdir / "data-key.txt", workdir / f"seeded-{scale}.json"
    if not key_file.exists():
        key_file.write_text(Fernet.generate_key().decode())
    site = Site(workdir, data_key=key_file.read_text().strip())
    if kept and seed_file.exists():
        site.manage("migrate", "--no-input", "-v", "0")
        return site, seed_file, json.loads(seed_file.read_text())
    for stale in [*workdir.glob("seeded-*.json"), *workdir.glob("chuangfu.sqlite3*")]:  # start from empty
        stale.unlink()
    site.manage("migrate", "--no-input", "-v", "0")
    return site, (seed_file if kept else None), None


def _post_json(url: str, body: dict, timeout: float = 60) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        try:
            return exc.code, json.loads(raw)
        except ValueError:
            return exc.code, {"raw": raw[:200].decode(errors="replace")}


def submissions(n: int, *, town: str, category: int, prefix: str = "b", duplicates_of: int = 0) -> list[dict]:
    """``n`` distinct public requests (distinct mobiles and keys); ``duplicates_of`` more repeat the first key."""
    bodies = [
        {
            "town": town,
            "category": category,
            "description": f"压力测试诉求 {prefix}-{i}：创业补贴怎么申请",
            "requester_name": "测试",
            "requester_mobile": f"13{(i * 7919) % 10**9:09d}",
            "idempotency_key": f"{prefix}-{i}",
        }
        for i in range(n)
    ]
    return bodies + [dict(bodies[0]) for _ in range(duplicates_of)]


def burst(base_url: str, bodies: list[dict], *, clients: int) -> dict:
    """POST every body to the public create endpoint from ``clients`` threads at once."""
    url = base_url + "/api/desk/public/tickets"
    start = threading.Event()

    def one(body):
        start.wait()
        try:
            return _post_json(url, body)
        except Exception as exc:  # a refused or dropped connection is a result to report, not a crash
            return 0, {"error": f"{type(exc).__name__}: {exc}"}

    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(one, body) for body in bodies]
        t0 = time.perf_counter()
        start.set()
        results = [f.result() for f in futures]
        elapsed = time.perf_counter() - t0
    statuses = Counter(status for status, _ in results)
    numbers = [body.get("number") for status, body in results if status in (200, 201)]
    return {
        "elapsed": elapsed,
        "statuses": dict(statuses),
        "numbers": numbers,
        "server_errors": sum(n for status, n in statuses.items() if status >= 500 or status == 0),
        "errors": [body for status, body in results if status not in (200, 201)][:5],
    }


def get_throughput(url: str, *, clients: int, requests: int, headers: dict | None = None) -> dict:
    """``requests`` GETs of ``url`` from ``clients`` threads: requests per second and latencies (ms)."""
    latencies, failures = [], Counter()
    lock = threading.Lock()

    def one(_):
        t = time.perf_counter()
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=60) as r:
                r.read()
                status = r.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            status = 0
        with lock:
            latencies.append((time.perf_counter() - t) * 1000)
            if status != 200:
                failures[status] += 1

    with ThreadPoolExecutor(max_workers=clients) as pool:
        t0 = time.perf_counter()
        list(pool.map(one, range(requests)))
        elapsed = time.perf_counter() - t0
    return {"rps": requests / elapsed, "failures": dict(failures), **percentiles(latencies)}


def percentiles(latencies: list[float]) -> dict:
    ordered = sorted(latencies)
    if not ordered:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None}
    return {
        "p50_ms": round(ordered[len(ordered) // 2], 2),
        "p95_ms": round(ordered[max(int(len(ordered) * 0.95) - 1, 0)], 2),
        "p99_ms": round(ordered[max(int(len(ordered) * 0.99) - 1, 0)], 2),
    }


def town_and_category(site: Site) -> tuple[str, int]:
    out = site.python(
        "from chuangfu.desk.models import Category\n"
        "c = Category.objects.filter(jurisdiction__code='310115114', name='补贴申领').first()\n"
        "print(c.jurisdiction.code, c.pk)\n"
    )
    code, pk = out.split()
    return code, int(pk)


def stored_numbers(site: Site) -> tuple[int, int]:
    out = site.python(
        "from chuangfu.desk.models import Ticket\n"
        "numbers = list(Ticket.objects.values_list('number', flat=True))\n"
        "print(len(numbers), len(set(numbers)))\n"
    )
    count, distinct = out.split()
    return int(count), int(distinct)


def postgres_server_url() -> str | None:
    """A PostgreSQL server to create a scratch database on, or None when none answers."""
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    if not url.startswith("postgres"):
        return None
    try:
        import psycopg

        with psycopg.connect(_with_db(url, "postgres"), connect_timeout=3):
            return url
    except Exception:
        return None


def _with_db(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


@contextlib.contextmanager
def scratch_postgres(server_url: str):
    import psycopg

    name = f"chuangfu_bench_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(_with_db(server_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_db(server_url, name)
    finally:
        with psycopg.connect(_with_db(server_url, "postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_backend(scale: int, database_url: str | None) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="desk-burst-"))
    site = Site(workdir, database_url=database_url)
    try:
        site.manage("migrate", "--no-input", "-v", "0")
        town, category = town_and_category(site)
        url = site.serve(workers=2)
        get_throughput(url + "/bench/ok", clients=CLIENTS, requests=200)  # warm both workers
        baseline = get_throughput(url + "/bench/ok", clients=CLIENTS, requests=scale)
        result = burst(url, submissions(scale, town=town, category=category), clients=CLIENTS)
        site.stop()
        count, distinct = stored_numbers(site)
        return {
            "tickets_per_s": round(scale / result["elapsed"], 1),
            "ok_view_rps": round(baseline["rps"], 1),
            "stored": count,
            "distinct_numbers": distinct,
            "distinct_in_responses": len(set(result["numbers"])),
            "statuses": result["statuses"],
            "server_errors": result["server_errors"],
            "seconds": round(result["elapsed"], 2),
            "sample_errors": result["errors"],
            "meets": count == scale and distinct == scale and result["server_errors"] == 0,
        }
    finally:
        site.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def run(scale: int) -> dict:
    details = {"clients": CLIENTS, "gunicorn_workers": 2, "submissions": scale, "sqlite": run_backend(scale, None)}
    server = postgres_server_url()
    if server:
        with scratch_postgres(server) as url:
            details["postgresql"] = run_backend(scale, url)
    else:
        details["postgresql"] = {"skipped": "no PostgreSQL server answered"}
    sqlite = details["sqlite"]
    meets = sqlite["meets"] and details["postgresql"].get("meets", False)
    return {
        "value": sqlite["tickets_per_s"],
        "unit": "tickets/s (SQLite)",
        "baseline": sqlite["ok_view_rps"],
        "baseline_unit": "requests/s of a bare 'ok' view, same gunicorn and clients",
        "goal": f"{scale} submissions from {CLIENTS} clients: {scale} tickets, {scale} distinct numbers, no 5xx, "
        "on SQLite and PostgreSQL",
        "meets": meets,
        "details": details,
    }
