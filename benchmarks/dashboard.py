"""dashboard: the leader's assessment dashboard under load (issue 16). Data: ``_assessment``'s
(at scale N: N tickets, about N registry subjects, N/10 registrations, the ledger benchmark's ledger
at N/500 tasks), with the current year computed into the precomputed table first, as the nightly job
leaves it. Gunicorn with 2 workers serves the dashboard of the town for the current year to a
logged-in leader (the ledger's office account) on 16 concurrent connections: every indicator against
its target, the monthly trend, the snapshots and the block of tasks and tickets awaiting a decision
(counted live from the tickets and the ledger). Goal: p99 under 100 ms, and throughput at least 15%
of a bare Django view returning "ok" served by the same gunicorn to the same clients in the same run.

Figure: requests per second of the dashboard; baseline: the "ok" view. Clients and measurement are
desk-queue's (16 client processes; the workers' CPU milliseconds per request beside the latency).
"""

import importlib.util
import json
import os
import shutil
from pathlib import Path

DEFAULT_SCALE = 1_000_000
GOAL_P99_MS = 100
GOAL_RATIO = 0.15

COMPUTE = """
import json, time
from django.utils import timezone
from chuangfu.core.models import Jurisdiction
from chuangfu.indicators.services import compute_town_year
town = Jurisdiction.objects.get(code="310115114")
t = time.perf_counter()
rows = compute_town_year(town, timezone.localdate().year)
print(json.dumps({"values": rows, "compute_seconds": round(time.perf_counter() - t, 2)}))
"""


def _assessment():
    spec = importlib.util.spec_from_file_location("dashboard_assessment", Path(__file__).with_name("_assessment.py"))
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def run(scale: int) -> dict:
    assessment = _assessment()
    queue, ledger = assessment.module("desk_queue"), assessment.module("ledger")
    site, seeded, seed_seconds, keep = assessment.seeded_site(scale)
    try:
        computed = json.loads(site.python(COMPUTE).strip().splitlines()[-1])
        load_before = [round(x, 2) for x in os.getloadavg()]
        session_key = site.python(ledger.LOGIN).strip().splitlines()[-1]
        base = site.serve(workers=2)
        cookie = {"Cookie": f"sessionid={session_key}"}
        dashboard = [("dashboard", "GET", "/indicators/", None, cookie)]
        ledger._check(base, "/indicators/", cookie)
        ok = [("ok", "GET", "/bench/ok", None, {})]
        queue.load(base, ok, seconds=3)  # warm up
        baseline = queue.measured(site, base, ok)
        queue.load(base, dashboard, seconds=3)
        measured = queue.measured(site, base, dashboard)
        site.stop()
        p99 = measured["by_kind"]["dashboard"]["p99_ms"]
        ratio = measured["rps"] / baseline["rps"] if baseline["rps"] else 0
        return {
            "value": measured["rps"],
            "unit": "requests/s (the leader's assessment dashboard, 16 connections)",
            "baseline": baseline["rps"],
            "baseline_unit": "requests/s of a bare 'ok' view, same gunicorn and clients",
            "goal": f"p99 < {GOAL_P99_MS} ms; throughput ≥ {GOAL_RATIO:.0%} of the 'ok' view",
            "meets": measured["errors"] == 0 and p99 is not None and p99 < GOAL_P99_MS and ratio >= GOAL_RATIO,
            "details": {
                **seeded,
                **computed,
                "seed_seconds": round(seed_seconds, 1) if seed_seconds is not None else "reused",
                "load_average_before": load_before,
                "clients": queue.CLIENTS,
                "gunicorn_workers": 2,
                "seconds_per_phase": queue.SECONDS,
                "p99_ms": p99,
                "dashboard": measured,
                "ok_view": baseline,
            },
        }
    finally:
        site.stop()
        if not keep:
            shutil.rmtree(site.workdir, ignore_errors=True)
