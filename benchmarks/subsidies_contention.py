"""subsidies-contention: 50 concurrent approve (公示期满核准) and disburse (拨付) requests against the
same 10 applications, through gunicorn, on SQLite and on PostgreSQL. Goal: each application
approved exactly once and paid exactly once (one payment, one grant, one audit entry of each), no 5xx.

Setup (not timed): a fresh site; one policy with an application form; 10 applications brought to
公示中 through the declared transitions and published in a notice whose period is over; five
reviewers of the town, each with a session. Then ``scale`` requests (default 50) leave at the same
moment from as many clients, two in five ``finalise`` and three in five ``disburse``, spread evenly
over the 10 applications, through the staff API
(``POST /api/subsidies/applications/{id}/transitions/{name}``, session + CSRF). A disburse that
arrives before its application is approved is told so (409 ``not_approved``) and asks again a
moment later, as a reviewer would; every other refusal is final (409: someone else did it, naming who).

Figure: requests answered per second over the burst (retries included); baseline: a bare Django
view returning "ok", served by the same gunicorn to the same clients in the same run.
The throw-away site, gunicorn and scratch-database helpers are the desk benchmark's.
"""

import importlib.util
import json
import secrets
import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

DEFAULT_SCALE = 50
APPLICATIONS = 10
WORKERS = 4
RETRY_PAUSE = 0.05
MAX_RETRIES = 200

_spec = importlib.util.spec_from_file_location("desk_burst_helpers", Path(__file__).with_name("desk_burst.py"))
site_tools = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(site_tools)

SETUP = """
import datetime, json
from decimal import Decimal
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from chuangfu.core.identifiers import birth_date_from_id, compose_id_number, gender_from_id
from chuangfu.core.models import Jurisdiction, Role, User
from chuangfu.core.workflow import fire
from chuangfu.policies.models import Policy, PolicyVersion
from chuangfu.registry.models import Person
from chuangfu.subsidies.models import Application, ApplicationCounter, ApplicationForm
from chuangfu.subsidies.services import notices
from chuangfu.subsidies.workflows import APPLICATION

town = Jurisdiction.objects.get(code="310115114")
unusable = make_password(None)
policy = Policy.objects.create(code="contention-grant", level="town", category="startup", target="person",
                               title="并发测试创业补贴", jurisdiction=town)
version = PolicyVersion.objects.create(policy=policy, number=1, status="published", summary="并发测试",
                                       effective_from=datetime.date(2024, 1, 1), rule={"all": []})
form = ApplicationForm.objects.create(version=version, amount_kind="fixed", amount_value=Decimal("5000"))
reviewers = [User.objects.create(username=f"contention-r{i}", display_name=f"审核{i}", role=Role.REVIEWER,
                                 jurisdiction=town, password=unusable) for i in range(5)]
first, second = reviewers[0], reviewers[1]
today = timezone.localdate()
applications = []
for i in range(APPLICATIONS):
    account = User.objects.create(username=f"contention-a{i}", display_name=f"申请人{i}", role=Role.ENTREPRENEUR,
                                  mobile=f"136{i:08d}", password=unusable)
    number = compose_id_number("310115", datetime.date(1995, 1, 1), 2 * i + 1)
    person = Person.objects.create(name=f"申请人{i}", id_number=number, birth_date=birth_date_from_id(number),
                                   gender=gender_from_id(number), jurisdiction=town, account=account)
    a = Application.objects.create(policy=policy, version=version, form=form, jurisdiction=town, person=person,
                                   created_by=account, data={}, computed_amount=Decimal(4000 + i))
    fire(APPLICATION, a, "submit", actor=account, changes={"number": ApplicationCounter.next_number(today),
                                                            "submitted_by": account, "submitted_on": today})
    fire(APPLICATION, a, "accept", actor=first)
    fire(APPLICATION, a, "first_approve", actor=first, changes={"first_reviewer": first})
    applications.append(fire(APPLICATION, a, "second_approve", actor=second, changes={"second_reviewer": second}))
batch = notices.notice_batch_create(actor=first, title="并发测试公示", applications=applications, days=5)
notices.notice_batch_publish(actor=first, batch=batch, today=today - datetime.timedelta(days=30))
sessions = []
for user in reviewers:
    store = SessionStore()
    store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    sessions.append(store.session_key)
print(json.dumps({"applications": [[a.pk, str(a.amount)] for a in applications], "sessions": sessions}))
"""

CHECK = """
import json
from collections import Counter
from chuangfu.core.models import AuditEntry
from chuangfu.policies.models import Grant
from chuangfu.subsidies.models import Application, Disbursement
ids = IDS
apps = Application.objects.filter(pk__in=ids)
numbers = list(apps.values_list("number", flat=True))
audit = Counter(AuditEntry.objects.filter(action__in=["subsidies.application.finalise", "subsidies.application.disburse"],
                                          object_id__in=[str(i) for i in ids]).values_list("action", flat=True))
print(json.dumps({
    "statuses": dict(Counter(apps.values_list("status", flat=True))),
    "payments_per_application": sorted(Counter(Disbursement.objects.filter(application_id__in=ids)
                                               .values_list("application_id", flat=True)).values()),
    "grants_per_application": sorted(Counter(Grant.objects.filter(reference__in=numbers)
                                             .values_list("reference", flat=True)).values()),
    "finalise_audits": audit.get("subsidies.application.finalise", 0),
    "disburse_audits": audit.get("subsidies.application.disburse", 0),
}))
"""


class Reviewer:
    """One reviewer's browser session: session cookie plus a CSRF cookie and header."""

    def __init__(self, base: str, session_key: str):
        self.base = base
        self.csrf = secrets.token_hex(16)  # a 32-character secret: Django accepts it unmasked in the header
        self.cookie = f"sessionid={session_key}; csrftoken={self.csrf}"

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Cookie": self.cookie,
                "X-CSRFToken": self.csrf,
                "Referer": self.base + "/",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                return exc.code, json.loads(raw)
            except ValueError:
                return exc.code, {"raw": raw[:200].decode(errors="replace")}
        except OSError as exc:
            return 0, {"error": str(exc)}


def plan(scale: int, applications: list) -> list[tuple[str, int, str]]:
    """``scale`` requests, two in five approvals and three in five payments, spread over the applications."""
    rounds = -(-scale // len(applications))
    approving_rounds = max(1, round(rounds * 2 / 5))
    requests = []
    for n in range(scale):
        pk, amount = applications[n % len(applications)]
        requests.append(("finalise" if n // len(applications) < approving_rounds else "disburse", pk, amount))
    return requests


def run_backend(
    scale: int, database_url: str | None, *, workers: int = WORKERS, workdir: Path | None = None, migrated: bool = False
) -> dict:
    """One burst against a fresh site (see ``activities_burst.run_backend`` for ``workdir``/``migrated``)."""
    own_workdir = workdir is None
    workdir = Path(workdir or tempfile.mkdtemp(prefix="subsidies-contention-"))
    site = site_tools.Site(workdir, database_url=database_url)
    try:
        if not migrated:
            site.manage("migrate", "--no-input", "-v", "0")
        setup = json.loads(site.python(SETUP.replace("APPLICATIONS", str(APPLICATIONS))).strip().splitlines()[-1])
        url = site.serve(workers=workers)
        site_tools.get_throughput(url + "/bench/ok", clients=scale, requests=min(200, scale * 4))  # warm every worker
        baseline = site_tools.get_throughput(url + "/bench/ok", clients=scale, requests=scale * 4)
        reviewers = [Reviewer(url, key) for key in setup["sessions"]]
        requests = plan(scale, setup["applications"])
        go = threading.Event()
        answers, lock = [], threading.Lock()

        def one(index_and_request):
            index, (name, pk, amount) = index_and_request
            reviewer = reviewers[index % len(reviewers)]
            body = (
                {"amount": amount, "paid_on": time.strftime("%Y-%m-%d"), "reference": f"ZF{pk:06d}-{index:03d}"}
                if name == "disburse"
                else {}
            )
            go.wait()
            for _ in range(MAX_RETRIES):
                started = time.perf_counter()
                status, data = reviewer.post(f"/api/subsidies/applications/{pk}/transitions/{name}", body)
                with lock:
                    answers.append((name, status, data.get("code", ""), (time.perf_counter() - started) * 1000))
                if not (status == 409 and data.get("code") == "not_approved"):
                    return name, status, data.get("code", "")
                time.sleep(RETRY_PAUSE)
            return name, status, "gave_up"

        with ThreadPoolExecutor(max_workers=scale) as pool:
            futures = [pool.submit(one, item) for item in enumerate(requests)]
            t0 = time.perf_counter()
            go.set()
            finals = [f.result() for f in futures]
            elapsed = time.perf_counter() - t0
        site.stop()
        ids = [pk for pk, _ in setup["applications"]]
        stored = json.loads(site.python(CHECK.replace("IDS", json.dumps(ids))).strip().splitlines()[-1])
        outcomes = Counter(f"{name} {status} {code}".strip() for name, status, code in finals)
        server_errors = sum(1 for _, status, _, _ in answers if status >= 500 or status == 0)
        n = len(ids)
        meets = (
            stored["statuses"] == {"disbursed": n}
            and stored["payments_per_application"] == [1] * n
            and stored["grants_per_application"] == [1] * n
            and stored["finalise_audits"] == n
            and stored["disburse_audits"] == n
            and server_errors == 0
            and outcomes.get("finalise 200") == n
            and outcomes.get("disburse 200") == n
        )
        return {
            "requests_per_s": round(len(answers) / elapsed, 1),
            "ok_view_rps": round(baseline["rps"], 1),
            "seconds": round(elapsed, 2),
            "requests": scale,
            "answers_incl_retries": len(answers),
            "final_outcomes": dict(outcomes),
            "server_errors": server_errors,
            **site_tools.percentiles([ms for *_, ms in answers]),
            "stored": stored,
            "meets": meets,
        }
    finally:
        site.stop()
        if own_workdir:
            shutil.rmtree(workdir, ignore_errors=True)


def run(scale: int) -> dict:
    details = {
        "clients": scale,
        "gunicorn_workers": WORKERS,
        "applications": APPLICATIONS,
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
        "value": sqlite["requests_per_s"],
        "unit": "answered requests/s (SQLite, retries included)",
        "baseline": sqlite["ok_view_rps"],
        "baseline_unit": "requests/s of a bare 'ok' view, same gunicorn and clients",
        "goal": f"{scale} concurrent approve and disburse requests on {APPLICATIONS} applications: each approved "
        "once and paid once (one payment, one grant), no 5xx, on SQLite and PostgreSQL",
        "meets": sqlite["meets"] and details["postgresql"].get("meets", False),
        "details": details,
    }
