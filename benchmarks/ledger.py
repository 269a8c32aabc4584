"""ledger: a town with 20 units, 2,000 tasks, 10,000 milestones and 100,000 progress reports (the
scale is the number of tasks; five milestones and fifty reports each). Gunicorn with 2 workers
serves, to 16 concurrent connections, the office's ledger page (first page, default filters, a
logged-in leader) and the plan's roll-up (``/api/governance/plans/<id>/rollup``: weighted progress
of the plan and of every lead unit). Goal: p99 under 100 ms for each, and throughput at least 15%
of a bare Django view returning "ok" served by the same gunicorn to the same clients in the same run.

Figure: requests per second of the mixed workload (half ledger, half roll-up); baseline: the "ok"
view. Clients, the load measurement and the reported details are desk-queue's (16 client
processes; the workers' CPU milliseconds per request, which do not depend on how busy a shared
machine is, beside the latency). Seeding writes the rows in bulk (no audit entries).
"""

import http.client
import importlib.util
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

DEFAULT_SCALE = 2_000
GOAL_P99_MS = 100
GOAL_RATIO = 0.15


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"ledger_bench_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SEED = """
import datetime, json, random
from django.db import connection, transaction
from django.utils import timezone
from chuangfu.core.models import Jurisdiction, Role, Unit, User
from chuangfu.governance.models import Milestone, Plan, ProgressReport, Task

TASKS = {scale}
rng = random.Random(20261207)
town = Jurisdiction.objects.get(code="310115114")
units = [Unit.objects.get_or_create(name=f"成员单位{{n:02d}}", jurisdiction=town)[0] for n in range(20)]
office = User.objects.create_user("bench-office", password="Bench-2026-office!", role=Role.LEADER,
                                  jurisdiction=town, display_name="压测办公室")
today = timezone.localdate()
statuses = ["not_started", "in_progress", "in_progress", "in_progress", "pending_close", "closed", "postponed"]
now = timezone.now()
with transaction.atomic():
    plan = Plan.objects.create(jurisdiction=town, year=today.year, title="压测工作计划")
    tasks = []
    for i in range(TASKS):
        start = today - datetime.timedelta(days=rng.randrange(30, 300))
        status = rng.choice(statuses)
        tasks.append(Task(
            plan=plan, jurisdiction=town, title=f"任务{{i:05d}} 推进创业服务", target="按计划完成",
            lead_unit=units[i % 20], weight=rng.randint(1, 5), starts_on=start,
            due_on=start + datetime.timedelta(days=rng.randrange(30, 400)), status=status,
            closed_on=today if status == "closed" else None,
            supervised_at=now if rng.random() < 0.05 else None, last_report_at=now, created_by=office,
        ))
    Task.objects.bulk_create(tasks, batch_size=2000)
    tasks = list(Task.objects.filter(plan=plan).order_by("id"))
    Task.co_units.through.objects.bulk_create(
        [Task.co_units.through(task_id=t.pk, unit_id=units[(i + 7) % 20].pk) for i, t in enumerate(tasks)], batch_size=5000
    )
    milestones, figures = [], []
    for t in tasks:
        span = (t.due_on - t.starts_on) / 5
        mine = [Milestone(task=t, title=f"节点{{k}}", due_on=t.starts_on + span * k, weight=rng.randint(1, 3),
                          percent_done=rng.randrange(0, 101)) for k in range(1, 6)]
        milestones += mine
        # the task's figure is its milestones' by weight, as the reporting service keeps it
        t.percent_done = round(sum(m.weight * m.percent_done for m in mine) / sum(m.weight for m in mine))
        figures.append(t)
    Milestone.objects.bulk_create(milestones, batch_size=5000)
    Task.objects.bulk_update(figures, ["percent_done"], batch_size=1000)
    ids = dict(Milestone.objects.filter(task__plan=plan).values_list("id", "task_id"))
    by_task = {{}}
    for mid, tid in ids.items():
        by_task.setdefault(tid, []).append(mid)
    reports = []
    for t in tasks:
        for k in range(50):
            reports.append(ProgressReport(task=t, milestone_id=rng.choice(by_task[t.pk]) if k % 2 else None,
                                          unit=t.lead_unit, author=None, text="本周按计划推进，已完成阶段目标。",
                                          percent=min(100, k * 2), created_at=now - datetime.timedelta(days=50 - k)))
            if len(reports) >= 20000:
                ProgressReport.objects.bulk_create(reports)
                reports.clear()
    ProgressReport.objects.bulk_create(reports)
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(json.dumps({{"plan": plan.pk, "tasks": len(tasks), "milestones": len(ids),
                  "reports": ProgressReport.objects.count(), "units": len(units)}}))
"""

LOGIN = """
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from chuangfu.core.models import User
office = User.objects.get(username="bench-office")
session = SessionStore()
session[SESSION_KEY] = str(office.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
session[HASH_SESSION_KEY] = office.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def _check(base: str, path: str, headers: dict) -> None:
    host, port = base.replace("http://", "").split(":")
    probe = http.client.HTTPConnection(host, int(port))
    probe.request("GET", path, headers=headers)
    response = probe.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{path} did not answer the seeded office: {response.status}")


def run(scale: int) -> dict:
    helpers = _module("desk_burst")
    queue = _module("desk_queue")
    workdir = Path(tempfile.mkdtemp(prefix="ledger-"))
    from cryptography.fernet import Fernet

    site = helpers.Site(workdir, data_key=Fernet.generate_key().decode())
    try:
        site.manage("migrate", "--no-input", "-v", "0")
        t = time.perf_counter()
        seeded = json.loads(site.python(SEED.format(scale=scale)).strip().splitlines()[-1])
        seed_seconds = time.perf_counter() - t
        load_before = [round(x, 2) for x in os.getloadavg()]
        session_key = site.python(LOGIN).strip().splitlines()[-1]
        base = site.serve(workers=2)
        cookie = {"Cookie": f"sessionid={session_key}"}
        ledger_page = ("ledger", "GET", "/governance/", None, cookie)
        rollup = ("rollup", "GET", f"/api/governance/plans/{seeded['plan']}/rollup", None, cookie)
        for _, _, path, _, headers in (ledger_page, rollup):
            _check(base, path, headers)
        ok = [("ok", "GET", "/bench/ok", None, {})]
        queue.load(base, ok, seconds=3)  # warm up
        baseline = queue.measured(site, base, ok)
        queue.load(base, [ledger_page, rollup], seconds=3)
        mixed = queue.measured(site, base, [ledger_page, rollup])
        site.stop()
        p99 = {kind: mixed["by_kind"][kind]["p99_ms"] for kind in ("ledger", "rollup")}
        ratio = mixed["rps"] / baseline["rps"] if baseline["rps"] else 0
        return {
            "value": mixed["rps"],
            "unit": "requests/s (office's ledger page + plan roll-up, 16 connections)",
            "baseline": baseline["rps"],
            "baseline_unit": "requests/s of a bare 'ok' view, same gunicorn and clients",
            "goal": f"p99 < {GOAL_P99_MS} ms for ledger and roll-up; throughput ≥ {GOAL_RATIO:.0%} of the 'ok' view",
            "meets": mixed["errors"] == 0
            and all(v is not None and v < GOAL_P99_MS for v in p99.values())
            and ratio >= GOAL_RATIO,
            "details": {
                **seeded,
                "seed_seconds": round(seed_seconds, 1),
                "load_average_before": load_before,
                "clients": queue.CLIENTS,
                "gunicorn_workers": 2,
                "seconds_per_phase": queue.SECONDS,
                "p99_ms": p99,
                "mixed": mixed,
                "ok_view": baseline,
            },
        }
    finally:
        site.stop()
        shutil.rmtree(workdir, ignore_errors=True)
