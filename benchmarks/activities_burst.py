"""activities-burst: 500 registrations from 50 concurrent clients for a 100-seat activity,
through gunicorn, on SQLite and on PostgreSQL. Goal: exactly 100 confirmed, 400 on the waiting
list in arrival order, no 5xx.

Each registration is a real browser-style exchange with the public page: the client (a
logged-in entrepreneur with a verified mobile, so no SMS code is needed) fetches the form for
its CSRF token, then all clients POST at once. Arrival order is the order in which
registrations took the activity's lock, recorded in ``created_at``: the waiting list must
follow it exactly (positions 1…400, no gaps or ties, never out of order).

Figure: registrations per second on SQLite; baseline: a bare Django view returning "ok", served
by the same gunicorn to the same clients in the same run. PostgreSQL runs too when a server
answers (``DATABASE_URL``, else postgres://postgres@127.0.0.1:5432); its figures are in details.
The throw-away site, gunicorn and scratch-database helpers are the desk benchmark's.
"""

import html
import http.cookiejar
import importlib.util
import json
import re
import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

DEFAULT_SCALE = 500
CLIENTS = 50
WORKERS = 4

_spec = importlib.util.spec_from_file_location("desk_burst_helpers", Path(__file__).with_name("desk_burst.py"))
site_tools = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(site_tools)

SETUP = """
import datetime, json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from chuangfu.core.models import Jurisdiction, Role, User
from chuangfu.activities.models import ActivityType, Audience
from chuangfu.activities.services import activities

town = Jurisdiction.objects.get(code="310115114")
now = timezone.now()
staff = User.objects.create(username="burst-staff", role=Role.DESK_STAFF, jurisdiction=town, password=make_password(None))
start = now + datetime.timedelta(days=3)
activity = activities.activity_create(actor=staff, details={
    "jurisdiction": town, "type": ActivityType.objects.get(code="service_day"), "title": "并发报名压力测试",
    "description": "", "starts_at": start, "ends_at": start + datetime.timedelta(hours=3), "place_carrier": None,
    "address": "唐镇", "host_carrier": None, "capacity": SEATS, "registration_opens_at": now - datetime.timedelta(days=1),
    "registration_closes_at": start, "audience": Audience.BOTH, "needs_approval": False, "offer_hold_hours": 12})
activities.activity_transition(activity=activity, actor=staff, name="publish")
unusable = make_password(None)
users = User.objects.bulk_create([
    User(username=f"burst{i:05d}", display_name=f"报名人{i}", role=Role.ENTREPRENEUR, mobile=f"137{i:08d}",
         mobile_verified_at=now, password=unusable) for i in range(COUNT)])
sessions = []
for user in User.objects.filter(username__startswith="burst0").order_by("username"):
    store = SessionStore()
    store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    sessions.append([store.session_key, user.display_name, user.mobile])
print(json.dumps({"activity": activity.pk, "sessions": sessions}))
"""

CHECK = """
import json
from chuangfu.activities.models import Registration
rows = list(Registration.objects.filter(activity_id=ACTIVITY).values_list("status", "waitlist_position", "created_at"))
waiting = sorted((position, created) for status, position, created in rows if status == "waitlisted")
print(json.dumps({
    "total": len(rows),
    "confirmed": sum(1 for status, _, _ in rows if status == "confirmed"),
    "other": sorted({status for status, _, _ in rows} - {"confirmed", "waitlisted"}),
    "waitlisted": len(waiting),
    "positions_are_1_to_n": [p for p, _ in waiting] == list(range(1, len(waiting) + 1)),
    "in_arrival_order": all(a[1] <= b[1] for a, b in zip(waiting, waiting[1:])),
    "last_confirmed_before_first_waiting": not waiting or max(
        c for s, _, c in rows if s == "confirmed") <= waiting[0][1],
}))
"""

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    """One person's browser: their session cookie, the form's CSRF token, one registration."""

    def __init__(self, base: str, session_key: str, name: str, mobile: str):
        self.base, self.name, self.mobile = base, name, mobile
        self.jar = http.cookiejar.CookieJar()
        self.jar.set_cookie(
            http.cookiejar.Cookie(
                0,
                "sessionid",
                session_key,
                None,
                False,
                "127.0.0.1",
                False,
                False,
                "/",
                True,
                False,
                None,
                True,
                None,
                None,
                {},
            )
        )
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.token = ""

    def prepare(self, path: str) -> None:
        with self.opener.open(self.base + path, timeout=60) as response:
            self.token = html.unescape(TOKEN.search(response.read().decode()).group(1))

    def register(self, path: str) -> tuple[int, float]:
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self.token, "name": self.name, "mobile": self.mobile}
        ).encode()
        request = urllib.request.Request(
            self.base + path, data=body, method="POST", headers={"Referer": self.base + path}
        )
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=120) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            status = 0
        return status, (time.perf_counter() - started) * 1000


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 to the ticket is the success answer; do not follow it


def run_backend(
    scale: int,
    database_url: str | None,
    *,
    clients: int = CLIENTS,
    workers: int = WORKERS,
    workdir: Path | None = None,
    migrated: bool = False,
) -> dict:
    """One burst against a fresh site. ``workdir`` may hold an already migrated SQLite
    database (``chuangfu.sqlite3``), or ``database_url`` name a migrated one: then pass
    ``migrated=True`` (the test suite does, to skip the migrations)."""
    seats = max(scale // 5, 1)
    own_workdir = workdir is None
    workdir = Path(workdir or tempfile.mkdtemp(prefix="activities-burst-"))
    site = site_tools.Site(workdir, database_url=database_url)
    try:
        if not migrated:
            site.manage("migrate", "--no-input", "-v", "0")
        setup = json.loads(
            site.python(SETUP.replace("SEATS", str(seats)).replace("COUNT", str(scale))).strip().splitlines()[-1]
        )
        path = f"/events/{setup['activity']}/register/"
        url = site.serve(workers=workers)
        site_tools.get_throughput(url + "/bench/ok", clients=clients, requests=min(200, scale))  # warm every worker
        baseline = site_tools.get_throughput(url + "/bench/ok", clients=clients, requests=scale)
        people = [Client(url, *session) for session in setup["sessions"]]
        with ThreadPoolExecutor(max_workers=clients) as pool:
            list(pool.map(lambda c: c.prepare(path), people))
        go = threading.Event()

        def one(client):
            go.wait()
            return client.register(path)

        with ThreadPoolExecutor(max_workers=clients) as pool:
            futures = [pool.submit(one, c) for c in people]
            t0 = time.perf_counter()
            go.set()
            results = [f.result() for f in futures]
            elapsed = time.perf_counter() - t0
        site.stop()
        stored = json.loads(site.python(CHECK.replace("ACTIVITY", str(setup["activity"]))).strip().splitlines()[-1])
        statuses = Counter(status for status, _ in results)
        server_errors = sum(n for status, n in statuses.items() if status >= 500 or status == 0)
        meets = (
            stored["confirmed"] == seats
            and stored["waitlisted"] == scale - seats
            and not stored["other"]
            and stored["positions_are_1_to_n"]
            and stored["in_arrival_order"]
            and stored["last_confirmed_before_first_waiting"]
            and server_errors == 0
            and statuses.get(302) == scale
        )
        return {
            "registrations_per_s": round(scale / elapsed, 1),
            "ok_view_rps": round(baseline["rps"], 1),
            "seconds": round(elapsed, 2),
            "seats": seats,
            "statuses": dict(statuses),
            "server_errors": server_errors,
            **site_tools.percentiles([ms for _, ms in results]),
            "stored": stored,
            "meets": meets,
        }
    finally:
        site.stop()
        if own_workdir:
            shutil.rmtree(workdir, ignore_errors=True)


def run(scale: int) -> dict:
    seats = max(scale // 5, 1)
    details = {
        "clients": CLIENTS,
        "gunicorn_workers": WORKERS,
        "registrations": scale,
        "seats": seats,
        "sqlite": run_backend(scale, None),
    }
    server = site_tools.postgres_server_url()
    if server:
        with site_tools.scratch_postgres(server) as url:
            details["postgresql"] = run_backend(scale, url)
    else:
        details["postgresql"] = {"skipped": "no PostgreSQL server answered"}
    sqlite = details["sqlite"]
    return {
        "value": sqlite["registrations_per_s"],
        "unit": "registrations/s (SQLite)",
        "baseline": sqlite["ok_view_rps"],
        "baseline_unit": "requests/s of a bare 'ok' view, same gunicorn and clients",
        "goal": f"{scale} registrations from {CLIENTS} clients for {seats} seats: exactly {seats} confirmed, "
        f"{scale - seats} waitlisted in arrival order, no 5xx, on SQLite and PostgreSQL",
        "meets": sqlite["meets"] and details["postgresql"].get("meets", False),
        "details": details,
    }
