"""portal-home (issue 15): gunicorn with 2 workers serves the public front door (with its live
blocks: coming activities, newest policies, model cases, news, the published service figures) and
the public policy list to anonymous visitors on 16 concurrent connections, half each, with N
registry subjects and N desk tickets in the database. Goal: p99 under 100 ms for each page, and
throughput at least 30% of a bare Django view returning "ok" served by the same gunicorn to the same
clients in the same run.

Both pages keep their blocks in Django's cache under the public version (``core.public_cache``);
the first request after a start, a bump or the TTL renders them from the database. The figures
published on the front door are aggregates over every ticket, cached for ten minutes
(``portal.figures``); their first computation at this scale is timed on its own (``figures_ms``).

Data at scale N: ``chuangfu seed --scale N/3`` (N/3 enterprises and 2N/3 people: N subjects),
desk-queue's N tickets, the demo policies, activities and portal content (``seed-policies``,
``seed-activities``, ``seed-portal``). With ``CHUANGFU_BENCH_PORTAL_DIR=/some/dir`` the seeded
site is kept there and reused by the next run at the same scale (migrated first).

Figure: requests per second of the mixed workload; baseline: the "ok" view. Clients and
measurement are desk-queue's (16 client processes; the workers' CPU milliseconds per request).
"""

import importlib.util
import json
import os
import shutil
import time
from pathlib import Path

DEFAULT_SCALE = 1_000_000
GOAL_P99_MS = 100
GOAL_RATIO = 0.30
PAGES = {"home": "/", "policies": "/policy/"}

FIGURES = """
import json, time
from chuangfu.portal import figures
t = time.perf_counter()
data = figures.headline()
print(json.dumps({"figures_ms": round((time.perf_counter() - t) * 1000, 1),
                  "figures": {i["code"]: i["value"] for i in data["items"]}}))
"""

COUNTS = """
import json
from chuangfu.desk.models import Ticket
from chuangfu.policies.models import Policy
from chuangfu.portal.models import Article, Case
from chuangfu.registry.models import Enterprise, Person
print(json.dumps({"people": Person.objects.count(), "enterprises": Enterprise.objects.count(),
                  "tickets": Ticket.objects.count(), "policies": Policy.objects.count(),
                  "articles": Article.objects.count(), "cases": Case.objects.count()}))
"""


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"portal_home_{name}", Path(__file__).with_name(f"{name}.py"))
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def _seeded_site(scale: int):
    """``(site, seed_seconds or None when reused, keep)``."""
    helpers, queue = _module("desk_burst"), _module("desk_queue")
    site, seed_file, seeded = helpers.kept_site("CHUANGFU_BENCH_PORTAL_DIR", "portal-home-", scale)
    if seeded is not None:
        return site, None, True
    started = time.perf_counter()
    site.manage("seed", "--scale", str(max(scale // 3, 10)), "--seed", "42")
    site.python(queue.SEED.format(scale=scale))
    for command in ("seed-policies", "seed-activities", "seed-portal"):
        site.manage(command)
    seconds = time.perf_counter() - started
    if seed_file is not None:
        seed_file.write_text("{}")
    return site, seconds, seed_file is not None


def run(scale: int) -> dict:
    queue = _module("desk_queue")
    site, seed_seconds, keep = _seeded_site(scale)
    try:
        counts = json.loads(site.python(COUNTS).strip().splitlines()[-1])
        load_before = [round(x, 2) for x in os.getloadavg()]
        base = site.serve(workers=2)
        for path in PAGES.values():
            _check(base, path)
        figures = json.loads(site.python(FIGURES).strip().splitlines()[-1])  # timed once, in a process of its own
        ok = [("ok", "GET", "/bench/ok", None, {})]
        pages = [(kind, "GET", path, None, {}) for kind, path in PAGES.items()]
        queue.load(base, ok, seconds=3)  # warm up
        baseline = queue.measured(site, base, ok)
        queue.load(base, pages, seconds=3)
        measured = queue.measured(site, base, pages)
        site.stop()
        p99 = {kind: measured["by_kind"][kind]["p99_ms"] for kind in PAGES}
        ratio = measured["rps"] / baseline["rps"] if baseline["rps"] else 0
        return {
            "value": measured["rps"],
            "unit": "requests/s (public home page + policy list, anonymous, 16 connections)",
            "baseline": baseline["rps"],
            "baseline_unit": "requests/s of a bare 'ok' view, same gunicorn and clients",
            "goal": f"p99 < {GOAL_P99_MS} ms for each page; throughput ≥ {GOAL_RATIO:.0%} of the 'ok' view",
            "meets": measured["errors"] == 0
            and all(v is not None and v < GOAL_P99_MS for v in p99.values())
            and ratio >= GOAL_RATIO,
            "details": {
                "scale": scale,
                **counts,
                **figures,
                "seed_seconds": round(seed_seconds, 1) if seed_seconds is not None else "reused",
                "load_average_before": load_before,
                "clients": queue.CLIENTS,
                "gunicorn_workers": 2,
                "seconds_per_phase": queue.SECONDS,
                "p99_ms": p99,
                "pages": measured,
                "ok_view": baseline,
            },
        }
    finally:
        site.stop()
        if not keep:
            shutil.rmtree(site.workdir, ignore_errors=True)


def _check(base: str, path: str) -> None:
    """The page renders with its blocks (a broken page would measure an error page)."""
    import urllib.request

    with urllib.request.urlopen(base + path, timeout=60) as response:
        html = response.read().decode()
    if response.status != 200 or "</html>" not in html:
        raise RuntimeError(f"{path} did not render: {response.status}")
    if path == "/" and "/cases/" not in html:
        raise RuntimeError("the front door shows no model case: the portal's demo content is missing")
