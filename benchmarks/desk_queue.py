"""desk-queue: with 1,000,000 seeded tickets on SQLite, gunicorn with 2 workers serves the staff
queue (first page, default filters, a logged-in desk clerk) and the public status lookup to 16
concurrent connections. Goal: p99 under 100 ms for each, and throughput at least 15% of a bare
Django view returning "ok" served by the same gunicorn to the same clients in the same run.

Figure: requests per second of the mixed workload (half queue, half lookup); baseline: the "ok"
view. Load comes from 16 client processes (not threads), so the client does not share one GIL.
Latency depends on how busy the machine is (it may be shared); the details also give the load
average before the run and the gunicorn workers' CPU milliseconds per request, which do not.

Seeding a million tickets takes minutes. With ``CHUANGFU_BENCH_DESK_QUEUE_DIR=/some/dir`` the site
(database, data key, seeded clerk session and lookup samples) is kept in that directory and reused by
the next run at the same scale; each run still migrates it first, so new migrations are measured too.
Without it, a temporary directory is seeded and removed.
"""

import http.client
import importlib.util
import json
import multiprocessing
import os
import random
import shutil
import time
from pathlib import Path

DEFAULT_SCALE = 1_000_000
CLIENTS = 16
SECONDS = 20
GOAL_P99_MS = 100
GOAL_RATIO = 0.15


def _helpers():
    spec = importlib.util.spec_from_file_location("desk_burst_helpers", Path(__file__).with_name("desk_burst.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SEED = """
import json, random, datetime, os
from django.db import connection, transaction
from django.utils import timezone
from chuangfu.core.crypto import encrypt, lookup_hash
from chuangfu.core.models import Jurisdiction, Role, Unit, User
from chuangfu.core.workdays import add_working_days
from django.contrib.contenttypes.models import ContentType
from chuangfu.desk.models import Category, Ticket

SCALE = {scale}
rng = random.Random(20261127)
tang = Jurisdiction.objects.get(code="310115114")
zhang = Jurisdiction.objects.get(code="310115125")
units = [Unit.objects.get_or_create(name=n, jurisdiction=tang)[0] for n in
         ("市场监管所", "总工会", "团委", "妇联", "社区事务受理服务中心", "经济发展办公室", "投资发展集团", "残联",
          "退役军人办公室", "招商中心")]
desk = User.objects.create_user("bench-desk", password="Bench-2026-desk!", role=Role.DESK_STAFF,
                                jurisdiction=tang, unit=units[4], display_name="压测窗口")
cats = {{j.pk: list(Category.objects.filter(jurisdiction=j)) for j in (tang, zhang)}}
mobiles = [f"139{{i:08d}}" for i in range(2000)]
cipher = [(encrypt(m), lookup_hash(m)) for m in mobiles]
texts = ["想了解一次性创业补贴的申请条件", "营业执照经营范围变更需要什么材料", "园区有没有空余工位可以租",
         "创业担保贷款的额度和利率", "招聘应届生有没有社保补贴", "想报名创业培训课程"]
fields = [f for f in Ticket._meta.concrete_fields if f.column != "id"]
columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
marks = ", ".join(["%s"] * len(fields))
sql = f"INSERT INTO desk_ticket ({{columns}}) VALUES ({{marks}})"
ticket_type = ContentType.objects.get_for_model(Ticket).pk
ev_sql = ("INSERT INTO core_timelineevent (subject_type_id, subject_id, jurisdiction_id, at, actor_id, actor_repr, "
          "unit_id, action, label, note, public, public_note, from_state, to_state) VALUES (%s, %s, NULL, %s, NULL, "
          "%s, NULL, 'submitted', '受理', '', %s, %s, '', 'received')")
now = timezone.now()
start = now - datetime.timedelta(days=700)
step = (now - start) / SCALE
adapt = connection.ops.adapt_datetimefield_value
samples = []
batch, events = [], []
counters = {{}}

def flush():
    with connection.cursor() as cursor:
        cursor.executemany(sql, batch)
    batch.clear()

with transaction.atomic():
    for i in range(SCALE):
        received = start + step * i
        day = timezone.localdate(received)
        counters[day] = counters.get(day, 0) + 1
        town = tang if rng.random() < 0.9 else zhang
        cat = rng.choice(cats[town.pk])
        age = (now - received).days
        if age > 10:
            status = "revisited" if rng.random() < 0.1 else "closed"
        else:
            status = rng.choice(["received", "dispatched", "accepted", "in_progress", "answered", "closed"])
        lead = rng.choice(units) if town is tang and status != "received" else None
        m = rng.randrange(len(mobiles))
        answered = status in ("answered", "closed", "revisited")
        values = dict(
            number=f"{{day:%Y%m%d}}{{counters[day]:05d}}", jurisdiction_id=town.pk, category_id=cat.pk,
            channel=rng.choice(["web", "web", "walk_in", "phone", "12345"]), hotline_order_no="",
            requester_name="张三", requester_mobile=cipher[m][0], requester_mobile_hash=cipher[m][1],
            requester_uscc="", requester_enterprise_name="", requester_account_id=None, person_id=None,
            enterprise_id=None, description=rng.choice(texts), content_hash=f"{{i:064x}}", idempotency_key=None,
            status=status, lead_unit_id=lead.pk if lead else None, suggested_unit_id=None, suggestion_reason="",
            first_handler_id=desk.pk if lead else None, answered_by_unit_id=lead.pk if (lead and answered) else None,
            answer="已答复" if answered else "", received_at=adapt(received), received_on=day,
            accept_due=day + datetime.timedelta(days=1), answer_due=day + datetime.timedelta(days=7),
            dispatched_at=adapt(received) if lead else None, accepted_at=None,
            answered_at=adapt(received + datetime.timedelta(days=3)) if answered else None,
            closed_at=adapt(received + datetime.timedelta(days=4)) if status in ("closed", "revisited") else None,
            revisited_at=None, accepted_in_time=True if lead else None, answered_in_time=True if answered else None,
            answer_working_days=3 if answered else None, paused_since=None, paused_days=0, extension_days=0,
            extension_pending_days=None, extension_reason="", return_count=0, supervised=False, supervised_at=None,
            merged_into_id=None, revisit_outcome="", rating_reminded_at=None,
        )
        batch.append([values[f.attname] if f.attname in values else f.get_default() for f in fields])
        if i % 997 == 0 and len(samples) < 500:
            samples.append((values["number"], mobiles[m]))
        if len(batch) >= 20000:
            flush()
    if batch:
        flush()
    ids = dict(Ticket.objects.filter(number__in=[n for n, _ in samples]).values_list("number", "pk"))
    with connection.cursor() as cursor:
        cursor.executemany(
            ev_sql, [[ticket_type, ids[n], adapt(now), "诉求人", True, "您的诉求已受理。"] for n, _ in samples]
        )
    from chuangfu.desk.models import TicketCounter
    TicketCounter.objects.bulk_create([TicketCounter(day=d, seq=c) for d, c in counters.items()])
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(json.dumps({{"samples": samples}}))
"""

# A fresh session for the seeded clerk on every run (a kept one would have expired after 8 hours).
LOGIN = """
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from chuangfu.core.models import User
desk = User.objects.get(username="bench-desk")
session = SessionStore()
session[SESSION_KEY] = str(desk.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
session[HASH_SESSION_KEY] = desk.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def _client(base: str, specs: list, deadline: float, results, seed: int) -> None:
    """One client process: requests round-robin over ``specs`` until ``deadline``."""
    host, port = base.replace("http://", "").split(":")
    rng = random.Random(seed)
    out = []
    while time.monotonic() < deadline:
        kind, method, path, body, headers = specs[rng.randrange(len(specs))]
        t = time.perf_counter()
        try:
            conn = http.client.HTTPConnection(host, int(port), timeout=30)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
            conn.close()
        except OSError:
            status = 0
        out.append((kind, (time.perf_counter() - t) * 1000, status))
    results.put(out)


def _workers_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by the gunicorn workers under ``master_pid`` (Linux)."""
    total = 0.0
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")
    return total


def measured(site, base: str, specs: list) -> dict:
    """``load`` plus the workers' CPU milliseconds per request: unlike latency, that figure does not
    depend on how busy the (shared) machine is."""
    before = _workers_cpu_seconds(site.server.pid)
    result = load(base, specs)
    used = _workers_cpu_seconds(site.server.pid) - before
    result["worker_cpu_ms_per_request"] = round(used * 1000 / result["requests"], 2) if result["requests"] else None
    return result


def load(base: str, specs: list, *, clients: int = CLIENTS, seconds: float = SECONDS) -> dict:
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    deadline = time.monotonic() + seconds
    procs = [ctx.Process(target=_client, args=(base, specs, deadline, results, i)) for i in range(clients)]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    rows = [row for _ in procs for row in results.get()]
    elapsed = time.perf_counter() - t0
    for p in procs:
        p.join()
    helpers = _helpers()
    by_kind = {}
    for kind in sorted({k for k, _, _ in rows}):
        mine = [r for r in rows if r[0] == kind]
        by_kind[kind] = {
            "requests": len(mine),
            "errors": sum(1 for r in mine if r[2] != 200),
            **helpers.percentiles([ms for _, ms, _ in mine]),
        }
    return {
        "rps": round(len(rows) / elapsed, 1),
        "requests": len(rows),
        "by_kind": by_kind,
        "errors": sum(1 for r in rows if r[2] != 200),
    }


def _seeded_site(helpers, scale: int):
    """The site to measure, seeded with ``scale`` tickets: kept in ``CHUANGFU_BENCH_DESK_QUEUE_DIR``
    and reused when that directory already holds a seed of this scale, else made afresh.
    Returns ``(site, seeded, seed_seconds or None when reused, keep)``."""
    site, seed_file, seeded = helpers.kept_site("CHUANGFU_BENCH_DESK_QUEUE_DIR", "desk-queue-", scale)
    if seeded is not None:
        return site, seeded, None, True
    t = time.perf_counter()
    seeded = json.loads(site.python(SEED.format(scale=scale)).strip().splitlines()[-1])
    seed_seconds = time.perf_counter() - t
    if seed_file is not None:
        seed_file.write_text(json.dumps(seeded))
    return site, seeded, seed_seconds, seed_file is not None


def run(scale: int) -> dict:
    helpers = _helpers()
    site, seeded, seed_seconds, keep = _seeded_site(helpers, scale)
    load_before = [round(x, 2) for x in os.getloadavg()]  # the machine may be shared: say how busy it was
    workdir = site.workdir
    try:
        session_key = site.python(LOGIN).strip().splitlines()[-1]
        base = site.serve(workers=2)
        cookie = {"Cookie": f"sessionid={session_key}"}
        queue = [("queue", "GET", "/desk/", None, cookie)]
        lookups = [
            (
                "lookup",
                "POST",
                "/api/desk/public/status",
                json.dumps({"number": n, "mobile": m}),
                {"Content-Type": "application/json"},
            )
            for n, m in seeded["samples"]
        ]
        probe = http.client.HTTPConnection(base.replace("http://", "").split(":")[0], int(base.rsplit(":", 1)[1]))
        probe.request("GET", "/desk/", headers=cookie)
        first = probe.getresponse()
        first.read()
        if first.status != 200:
            raise RuntimeError(f"staff queue did not render for the seeded clerk: {first.status}")
        load(base, [("ok", "GET", "/bench/ok", None, {})], seconds=3)  # warm up
        baseline = measured(site, base, [("ok", "GET", "/bench/ok", None, {})])
        load(base, queue + lookups[:1], seconds=3)  # warm up the pages too
        mixed = measured(site, base, queue * len(lookups) + lookups)  # half and half
        site.stop()
        p99 = {kind: mixed["by_kind"][kind]["p99_ms"] for kind in ("queue", "lookup")}
        ratio = mixed["rps"] / baseline["rps"] if baseline["rps"] else 0
        return {
            "value": mixed["rps"],
            "unit": "requests/s (staff queue + status lookup, 16 connections)",
            "baseline": baseline["rps"],
            "baseline_unit": "requests/s of a bare 'ok' view, same gunicorn and clients",
            "goal": f"p99 < {GOAL_P99_MS} ms for queue and lookup; throughput ≥ {GOAL_RATIO:.0%} of the 'ok' view",
            "meets": mixed["errors"] == 0
            and all(v is not None and v < GOAL_P99_MS for v in p99.values())
            and ratio >= GOAL_RATIO,
            "details": {
                "tickets": scale,
                "seed_seconds": round(seed_seconds, 1) if seed_seconds is not None else "reused",
                "load_average_before": load_before,
                "clients": CLIENTS,
                "gunicorn_workers": 2,
                "seconds_per_phase": SECONDS,
                "p99_ms": p99,
                "mixed": mixed,
                "ok_view": baseline,
            },
        }
    finally:
        site.stop()
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
