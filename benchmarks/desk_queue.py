"""desk-queue: with 1,000,000 seeded tickets on SQLite, gunicorn with 2 workers serves what a clerk's
browser and a requester's browser ask for, to 16 concurrent connections:

- a clerk's queue load: the staff queue page (first page, default filters) and, at once after it,
  the tab counts the page asks for by htmx (``/desk/?counts=1&queue=open``), under one of several
  clerks' own sessions;
- the public status lookup as a page: GET the form (a visitor with no cookie), then POST it with the
  ``csrftoken`` cookie and the form's ``csrfmiddlewaretoken``, a real ticket number and the mobile
  the requester gave;
- the same lookup through the status API.

Goal (issue 11): p99 under 100 ms for every kind of request; throughput of the mix at least 15% of a
bare Django view returning "ok" served by the same gunicorn to the same clients in the same run; and
the workers' CPU per request of the mix at most 5 times the bare view's.

Figure: requests per second of the mix (the three journeys equally often, so each of the five kinds
of request is a fifth of it); baseline: the "ok" view. Each kind is also measured alone, for its own
throughput and CPU per request against the bare view's. Load comes from 16 client processes (not
threads), so the client does not share one GIL. Latency depends on how busy the machine is (it may
be shared); the details give the load average before and after, and the workers' CPU milliseconds
per request, which does not.

The data: 1,000,000 tickets received over 700 days (a tenth in another town), their states as a
town's desk leaves them — the newest still moving, a few in every month of the last half year still
open and late (some under 督办), 回访 owed on recently closed tickets and late on a few older ones —
every ticket with its timeline (受理, 派单, 签收, 开始办理, 答复, 办结, 回访 as far as it went), and
six desk clerks of the town, each the first handler of a share of the tickets.

Seeding a million tickets takes minutes. With ``CHUANGFU_BENCH_DESK_QUEUE_DIR=/some/dir`` the site
(database, data key, seed record and lookup samples) is kept in that directory and reused by the
next run at the same scale; each run still migrates it first, so new migrations are measured too, and
makes fresh sessions for the clerks. Without it, a temporary directory is seeded and removed.
"""

import http.client
import importlib.util
import json
import multiprocessing
import os
import random
import re
import shutil
import time
from pathlib import Path
from urllib.parse import urlencode

DEFAULT_SCALE = 1_000_000
CLIENTS = 16
SECONDS = 20
ALONE_SECONDS = 8
GOAL_P99_MS = 100
GOAL_RATIO = 0.15
GOAL_CPU_RATIO = 5
SEED_VERSION = 2  # a kept site seeded by an older SEED is seeded again


def _helpers():
    spec = importlib.util.spec_from_file_location("desk_burst_helpers", Path(__file__).with_name("desk_burst.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Also the tickets of ``_assessment`` and ``portal_home`` (run after ``chuangfu seed``): keep it
# working on a database that already holds the demo towns, units and accounts.
SEED = """
import json, random, datetime
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from chuangfu.core.crypto import encrypt, lookup_hash
from chuangfu.core.models import Jurisdiction, Role, Unit, User
from chuangfu.core.workdays import add_working_days
from chuangfu.desk.models import Category, Ticket, TicketCounter

SCALE = {scale}
CLERKS = 6
rng = random.Random(20261127)
tang = Jurisdiction.objects.get(code="310115114")
zhang = Jurisdiction.objects.get(code="310115125")
names = ("市场监管所", "总工会", "团委", "妇联", "社区事务受理服务中心", "经济发展办公室", "投资发展集团", "残联",
         "退役军人办公室", "招商中心")
units = {{town.pk: [Unit.objects.get_or_create(name=n, jurisdiction=town)[0] for n in names] for town in (tang, zhang)}}
centre = {{town.pk: units[town.pk][4] for town in (tang, zhang)}}
clerks = [
    User.objects.create_user("bench-desk" if k == 0 else f"bench-desk-{{k + 1}}", password="Bench-2026-desk!",
                             role=Role.DESK_STAFF, jurisdiction=tang, unit=centre[tang.pk],
                             display_name="压测窗口" if k == 0 else f"压测窗口{{k + 1}}")
    for k in range(CLERKS)
]
zhang_clerk = User.objects.create_user("bench-desk-zj", password="Bench-2026-desk!", role=Role.DESK_STAFF,
                                       jurisdiction=zhang, unit=centre[zhang.pk], display_name="压测窗口（张江）")
cats = {{j.pk: list(Category.objects.filter(jurisdiction=j)) for j in (tang, zhang)}}
mobiles = [f"139{{i:08d}}" for i in range(2000)]
cipher = [(encrypt(m), lookup_hash(m)) for m in mobiles]
texts = ["想了解一次性创业补贴的申请条件", "营业执照经营范围变更需要什么材料", "园区有没有空余工位可以租",
         "创业担保贷款的额度和利率", "招聘应届生有没有社保补贴", "想报名创业培训课程"]
answers = ["已电话联系诉求人，告知申请条件和所需材料，可在“一网通办”在线申请。",
           "经核实，园区目前有空余工位，已将招商联系人电话告知诉求人。",
           "已告知诉求人创业担保贷款的额度、利率及贴息政策，并预约了面谈时间。",
           "已答复：经营范围变更可在线办理，材料清单已短信发送。"]
fields = [f for f in Ticket._meta.concrete_fields if f.column != "id"]
columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
marks = ", ".join(["%s"] * len(fields))
sql = f"INSERT INTO desk_ticket ({{columns}}) VALUES ({{marks}})"
now = timezone.now()
today = timezone.localdate(now)
start = now - datetime.timedelta(days=700)
step = (now - start) / SCALE
adapt = connection.ops.adapt_datetimefield_value
HOUR = datetime.timedelta(hours=1)
# hours after receipt at which each step happens (squeezed for tickets younger than that)
AT = {{"dispatched": 1.5, "accepted": 20, "in_progress": 26, "answered": 72, "closed": 96, "revisited": 110}}
ORDER = ["received", "dispatched", "accepted", "in_progress", "answered", "closed", "revisited"]
OPEN = ("dispatched", "returned", "accepted", "in_progress", "suspended")

def fate(age_days):
    r = rng.random()
    if age_days < 1:
        table = (("received", .35), ("dispatched", .45), ("accepted", .2))
    elif age_days < 3:
        table = (("dispatched", .1), ("returned", .04), ("accepted", .2), ("in_progress", .46), ("answered", .15),
                 ("closed", .05))
    elif age_days < 10:
        table = (("in_progress", .18), ("suspended", .02), ("answered", .12), ("closed", .08), ("revisited", .6))
    elif age_days < 180:  # a few of every month still open and late, some 回访 never made
        table = (("in_progress", .01), ("accepted", .002), ("dispatched", .002), ("suspended", .003),
                 ("answered", .003), ("closed", .004), ("revisited", 1))
    else:
        return "revisited"
    for status, p in table:
        if r < p:
            return status
        r -= p
    return table[-1][0]

wd_cache = {{}}
def wd(day, n):
    if (day, n) not in wd_cache:
        wd_cache[day, n] = add_working_days(day, n)
    return wd_cache[day, n]

first_id = Ticket.objects.order_by("-id").values_list("id", flat=True).first() or 0
recent_from = int(SCALE * (1 - 60 / 700))  # half the lookup samples are of the last 60 days' tickets
spread, recent_spread = max(SCALE // 250, 1), max((SCALE - recent_from) // 250, 1)
samples = []
batch = []
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
        age = now - received
        status = fate(age.days)
        reached = ORDER.index({{"returned": "dispatched", "suspended": "in_progress"}}.get(status, status))
        direct = status in ("received", "answered", "closed", "revisited") and rng.random() < 0.08
        lead = None if direct or status == "received" else rng.choice(units[town.pk])
        channel = rng.choice(["web", "web", "walk_in", "phone", "12345"])
        handler = (rng.choice(clerks) if town is tang else zhang_clerk) if (lead or channel != "web") else None
        last = max([h for s, h in AT.items() if ORDER.index(s) <= reached] or [1])
        squeeze = min(1.0, 0.9 * age.total_seconds() / 3600 / last)

        def at(step_name):
            if ORDER.index(step_name) > reached or (step_name in ("dispatched", "accepted", "in_progress") and not lead):
                return None
            return received + HOUR * AT[step_name] * squeeze

        answered_at, closed_at, revisited_at = at("answered"), at("closed"), at("revisited")
        answer_due = wd(day, 5)
        supervised = status in OPEN and answer_due < today and rng.random() < 0.1  # 督办 of a late ticket
        m = rng.randrange(len(mobiles))
        values = dict(
            number=f"{{day:%Y%m%d}}{{counters[day]:05d}}", jurisdiction_id=town.pk, category_id=cat.pk,
            channel=channel, hotline_order_no="",
            requester_name="张三", requester_mobile=cipher[m][0], requester_mobile_hash=cipher[m][1],
            requester_uscc="", requester_enterprise_name="", requester_account_id=None, person_id=None,
            enterprise_id=None, description=rng.choice(texts), content_hash=f"{{i:064x}}", idempotency_key=None,
            status=status, lead_unit_id=lead.pk if lead else None, suggested_unit_id=None, suggestion_reason="",
            first_handler_id=handler.pk if handler else None,
            answered_by_unit_id=lead.pk if (lead and answered_at) else None,
            answer=rng.choice(answers) if answered_at else "", received_at=adapt(received), received_on=day,
            accept_due=wd(day, 1), answer_due=answer_due,
            dispatched_at=adapt(at("dispatched")) if lead else None,
            accepted_at=adapt(at("accepted")) if at("accepted") else None,
            answered_at=adapt(answered_at) if answered_at else None,
            closed_at=adapt(closed_at) if closed_at else None,
            revisited_at=adapt(revisited_at) if revisited_at else None,
            accepted_in_time=True if lead and at("accepted") else None,
            answered_in_time=True if answered_at else None, answer_working_days=3 if answered_at else None,
            paused_since=day + datetime.timedelta(days=2) if status == "suspended" else None,
            paused_days=0, extension_days=0, extension_pending_days=None, extension_reason="", return_count=0,
            supervised=supervised, supervised_at=adapt(now) if supervised else None,
            merged_into_id=None, revisit_outcome="satisfied" if revisited_at else "",
            revisit_due=wd(timezone.localdate(closed_at), 1) if status == "closed" else None,
            revisited_in_time=True if revisited_at else None, rating_reminded_at=None,
        )
        batch.append([values[f.attname] if f.attname in values else f.get_default() for f in fields])
        if i % spread == 0 or (i >= recent_from and (i - recent_from) % recent_spread == 0):
            samples.append((values["number"], mobiles[m]))
        if len(batch) >= 20000:
            flush()
    if batch:
        flush()
    TicketCounter.objects.bulk_create([TicketCounter(day=d, seq=c) for d, c in counters.items()])

    # Every ticket's timeline, as the services write it (core.timeline.record), in one statement per
    # step: desk steps by the ticket's first handler for the town's service centre, unit steps by the
    # lead unit.
    q = connection.ops.quote_name
    ticket_type = ContentType.objects.get_for_model(Ticket).pk
    event_columns = ", ".join(q(c) for c in (
        "subject_type_id", "subject_id", "jurisdiction_id", "at", "actor_id", "actor_repr", "unit_id", "action",
        "label", "note", "public", "public_note", "from_state", "to_state"))
    desk_unit = f"CASE t.jurisdiction_id WHEN {{tang.pk}} THEN {{centre[tang.pk].pk}} ELSE {{centre[zhang.pk].pk}} END"
    steps = [
        # (time column, actor, actor_repr, unit, action, label, note, public note, from, to, condition)
        ("received_at", "CASE WHEN t.channel = 'web' THEN NULL ELSE t.first_handler_id END",
         "CASE WHEN t.channel = 'web' THEN t.requester_name ELSE '受理窗口' END",
         f"CASE WHEN t.channel = 'web' THEN NULL ELSE {{desk_unit}} END", "submitted", "受理", "''",
         "'您的诉求已受理，工单编号 ' || t.number || '。'", "", "received", "1 = 1"),
        ("dispatched_at", "t.first_handler_id", "'受理窗口'", desk_unit, "dispatch", "派单", "''",
         "'已派至 ' || u.name || ' 办理。'", "received", "dispatched", "t.dispatched_at IS NOT NULL"),
        ("accepted_at", "NULL", "'联络员'", "t.lead_unit_id", "accept", "签收", "''", "'承办单位已签收。'",
         "dispatched", "accepted", "t.accepted_at IS NOT NULL"),
        ("accepted_at", "NULL", "'联络员'", "t.lead_unit_id", "start", "开始办理", "''", "'正在办理。'",
         "accepted", "in_progress", "t.accepted_at IS NOT NULL AND t.status NOT IN ('accepted', 'dispatched')"),
        ("answered_at", "NULL", "'联络员'", "t.lead_unit_id", "answer", "答复", "t.answer", "t.answer",
         "in_progress", "answered", "t.answered_at IS NOT NULL AND t.lead_unit_id IS NOT NULL"),
        ("answered_at", "t.first_handler_id", "'受理窗口'", desk_unit, "answer_directly", "直接答复", "t.answer",
         "t.answer", "received", "answered", "t.answered_at IS NOT NULL AND t.lead_unit_id IS NULL"),
        ("closed_at", "t.first_handler_id", "'受理窗口'", desk_unit, "close", "办结", "''", "'本诉求已办结。'",
         "answered", "closed", "t.closed_at IS NOT NULL"),
        ("revisited_at", "t.first_handler_id", "'受理窗口'", desk_unit, "revisit", "回访", "'回访结果：满意。'",
         "'已回访，感谢您的反馈。'", "closed", "revisited", "t.revisited_at IS NOT NULL"),
    ]
    with connection.cursor() as cursor:
        for column, actor, actor_repr, unit, action, label, note, public_note, before, after, condition in steps:
            cursor.execute(
                f"INSERT INTO core_timelineevent ({{event_columns}}) "
                f"SELECT %s, t.id, t.jurisdiction_id, t.{{q(column)}}, {{actor}}, {{actor_repr}}, {{unit}}, %s, %s, "
                f"{{note}}, %s, {{public_note}}, %s, %s "
                f"FROM desk_ticket t LEFT JOIN core_unit u ON u.id = t.lead_unit_id WHERE t.id > %s AND {{condition}}",
                [ticket_type, action, label, True, before, after, first_id],
            )
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
    cursor.execute("SELECT COUNT(*) FROM core_timelineevent WHERE subject_type_id = %s", [ticket_type])
    events = cursor.fetchone()[0]
    cursor.execute(
        "SELECT received_on FROM desk_ticket WHERE jurisdiction_id = %s AND id > %s AND status IN "
        "('dispatched', 'returned', 'accepted', 'in_progress', 'suspended', 'received', 'answered')",
        [tang.pk, first_id],
    )
    open_days = [d if isinstance(d, datetime.date) else datetime.date.fromisoformat(d) for d, in cursor.fetchall()]
    cursor.execute(
        "SELECT COUNT(*), SUM(CASE WHEN revisit_due < %s THEN 1 ELSE 0 END) FROM desk_ticket "
        "WHERE jurisdiction_id = %s AND id > %s AND status = 'closed'",
        [today, tang.pk, first_id],
    )
    revisits, late_revisits = cursor.fetchone()
print(json.dumps({{
    "version": 2, "samples": samples, "clerks": [c.username for c in clerks], "events": events,
    "town_open": len(open_days), "town_open_older_than_30_days": sum((today - d).days > 30 for d in open_days),
    "months_with_open": len({{(d.year, d.month) for d in open_days}}), "town_revisits_owed": revisits,
    "town_revisits_late": late_revisits or 0,
}}))
"""

# Fresh sessions for the seeded clerks on every run (kept ones would have expired after 8 hours).
LOGIN = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from chuangfu.core.models import User
keys = []
for clerk in User.objects.filter(username__in={clerks!r}).order_by("id"):
    session = SessionStore()
    session[SESSION_KEY] = str(clerk.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = clerk.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
print(json.dumps(keys))
"""

_FORM_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_COOKIE = re.compile(r"^\s*(csrftoken|sessionid)=([^;]*)")


def _remember(response, body: bytes, found: dict) -> None:
    """What a browser keeps from a response for its next request: the cookies we use and a form's token."""
    for header in response.msg.get_all("Set-Cookie") or []:
        match = _COOKIE.match(header)
        if match:
            found[match.group(1)] = match.group(2)
    token = _FORM_TOKEN.search(body)
    if token:
        found["csrfmiddlewaretoken"] = token.group(1).decode()


def _fill(value, found: dict):
    """``@name@`` in a body or header replaced by what the journey has kept so far."""
    if not isinstance(value, str) or "@" not in value:
        return value
    for name, kept in found.items():
        value = value.replace(f"@{name}@", kept)
    return value


def _filled(step: tuple, found: dict) -> tuple:
    kind, method, path, body, headers, *expect = step
    return (kind, method, path, _fill(body, found), {k: _fill(v, found) for k, v in headers.items()}, *expect)


def _client(base: str, specs: list, deadline: float, results, seed: int) -> None:
    """One client process, until ``deadline``: picks a spec at random and runs it. A spec is one
    request ``(kind, method, path, body, headers[, expect])`` or a journey, a list of them run in
    order as a browser would (cookies and a form token it receives fill the next ones' ``@name@``);
    a journey stops at its first failure. With ``expect``, a 200 whose body lacks it is a failure
    (-1): a lookup that found nothing answers 200 with the form again."""
    host, port = base.replace("http://", "").split(":")
    rng = random.Random(seed)
    out = []
    while time.monotonic() < deadline:
        spec = specs[rng.randrange(len(specs))]
        found = {}
        for step in spec if isinstance(spec, list) else [spec]:
            kind, method, path, body, headers, *expect = _filled(step, found)
            t = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                answer = response.read()
                status = response.status
                conn.close()
            except OSError:
                status, answer = 0, b""
            if status == 200 and expect and expect[0] not in answer:
                status = -1
            out.append((kind, (time.perf_counter() - t) * 1000, status))
            if status != 200:
                break
            _remember(response, answer, found)
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


def measured(site, base: str, specs: list, *, seconds: float = SECONDS) -> dict:
    """``load`` plus the workers' CPU milliseconds per request: unlike latency, that figure does not
    depend on how busy the (shared) machine is."""
    before = _workers_cpu_seconds(site.server.pid)
    result = load(base, specs, seconds=seconds)
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
            "rps": round(len(mine) / elapsed, 1),
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
    and reused when that directory already holds a seed of this scale by this ``SEED``, else made
    afresh. Returns ``(site, seeded, seed_seconds or None when reused, keep)``."""
    site, seed_file, seeded = helpers.kept_site("CHUANGFU_BENCH_DESK_QUEUE_DIR", "desk-queue-", scale)
    if seeded is not None and seeded.get("version") != SEED_VERSION:
        seed_file.unlink()  # seeded by an older SEED: start again from an empty database
        site, seed_file, seeded = helpers.kept_site("CHUANGFU_BENCH_DESK_QUEUE_DIR", "desk-queue-", scale)
    if seeded is not None:
        return site, seeded, None, True
    t = time.perf_counter()
    seeded = json.loads(site.python(SEED.format(scale=scale)).strip().splitlines()[-1])
    seed_seconds = time.perf_counter() - t
    if seed_file is not None:
        seed_file.write_text(json.dumps(seeded))
    return site, seeded, seed_seconds, seed_file is not None


def _get(base: str, path: str, headers: dict) -> tuple[int, bytes, dict]:
    """One request from the benchmark itself: status, body and what a browser would keep of it."""
    host, port = base.replace("http://", "").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    found = {}
    _remember(response, body, found)
    conn.close()
    return response.status, body, found


QUEUE_PATH = "/desk/"
COUNTS_PATH = "/desk/?counts=1&queue=open"  # what queue.html's #queue-tabs asks for on load
LOOKUP_PATH = "/service/lookup/"


def journeys(base: str, cookies: list[str], samples: list) -> dict[str, list]:
    """The requests of each journey, as ``_client`` takes them: ``queue`` (the page and its counts,
    for each clerk), ``lookup_html`` (the form, then the POST) and ``lookup_api`` (for each sample)."""
    queue = [
        [
            ("queue", "GET", QUEUE_PATH, None, {"Cookie": cookie}, b'id="queue-results"'),
            (
                "counts",
                "GET",
                COUNTS_PATH,
                None,
                {
                    "Cookie": cookie,
                    "HX-Request": "true",
                    "HX-Trigger": "queue-tabs",
                    "HX-Target": "queue-tabs",
                    "HX-Current-URL": base + QUEUE_PATH,
                },
                b"cf-queue-tabs",
            ),
        ]
        for cookie in cookies
    ]
    html = [
        [
            ("lookup_form", "GET", LOOKUP_PATH, None, {}, b"csrfmiddlewaretoken"),
            (
                "lookup_html",
                "POST",
                LOOKUP_PATH,
                "csrfmiddlewaretoken=@csrfmiddlewaretoken@&" + urlencode({"number": number, "mobile": mobile}),
                {
                    "Cookie": "csrftoken=@csrftoken@",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": base,
                    "Referer": base + LOOKUP_PATH,
                },
                b'id="ticket-status"',
            ),
        ]
        for number, mobile in samples
    ]
    api = [
        (
            "lookup_api",
            "POST",
            "/api/desk/public/status",
            json.dumps({"number": number, "mobile": mobile}),
            {"Content-Type": "application/json"},
            b'"status"',
        )
        for number, mobile in samples
    ]
    return {"queue": queue, "lookup_html": html, "lookup_api": api}


def _alone(base: str, cookies: list[str], samples: list, kind: str) -> list:
    """Requests of one kind only, for its own throughput and CPU. The lookup's POST reuses a token
    got once (a CSRF token stays valid), so the form's GET is not counted in it."""
    steps = [
        step
        for specs in journeys(base, cookies, samples).values()
        for spec in specs
        for step in (spec if isinstance(spec, list) else [spec])
        if step[0] == kind
    ]
    if kind == "lookup_html":
        _, _, found = _get(base, LOOKUP_PATH, {})
        steps = [_filled(step, found) for step in steps]
    return steps


KINDS = ("queue", "counts", "lookup_form", "lookup_html", "lookup_api")


def _ratio(value, baseline) -> float | None:
    return round(value / baseline, 3) if value is not None and baseline else None


def run(scale: int) -> dict:
    helpers = _helpers()
    site, seeded, seed_seconds, keep = _seeded_site(helpers, scale)
    workdir = site.workdir
    try:
        sessions = json.loads(site.python(LOGIN.format(clerks=seeded["clerks"])).strip().splitlines()[-1])
        base = site.serve(workers=2)
        cookies = []
        for key in sessions:  # each clerk's browser: its session, and the CSRF cookie its first page set
            status, body, found = _get(base, QUEUE_PATH, {"Cookie": f"sessionid={key}"})
            if status != 200 or b'id="queue-results"' not in body:
                raise RuntimeError(f"staff queue did not render for a seeded clerk: {status}")
            cookies.append(f"sessionid={key}; csrftoken={found['csrftoken']}")
        samples = seeded["samples"]
        mix = journeys(base, cookies, samples)
        n = len(samples)
        mixed_specs = [*(mix["queue"] * n)[:n], *mix["lookup_html"], *mix["lookup_api"]]  # the journeys equally often
        probe = load(base, [*mix["lookup_html"], *mix["lookup_api"]], clients=1, seconds=1)
        if probe["errors"]:
            raise RuntimeError(f"a status lookup of a seeded ticket failed: {probe['by_kind']}")
        load_before = [round(x, 2) for x in os.getloadavg()]  # the machine may be shared: say how busy it was
        ok = [("ok", "GET", "/bench/ok", None, {})]
        load(base, ok, seconds=3)  # warm up
        baseline = measured(site, base, ok)
        load(base, mixed_specs, seconds=3)  # warm up the pages too
        mixed = measured(site, base, mixed_specs)
        alone = {}
        for kind in KINDS:
            one = measured(site, base, _alone(base, cookies, samples, kind), seconds=ALONE_SECONDS)
            alone[kind] = {
                "rps": one["rps"],
                "ratio": _ratio(one["rps"], baseline["rps"]),
                "worker_cpu_ms_per_request": one["worker_cpu_ms_per_request"],
                "cpu_ratio": _ratio(one["worker_cpu_ms_per_request"], baseline["worker_cpu_ms_per_request"]),
                "errors": one["errors"],
                **{k: v for k, v in one["by_kind"][kind].items() if k.endswith("_ms")},
            }
        load_after = [round(x, 2) for x in os.getloadavg()]
        site.stop()
        p99 = {kind: mixed["by_kind"].get(kind, {}).get("p99_ms") for kind in KINDS}
        ratio = _ratio(mixed["rps"], baseline["rps"]) or 0
        cpu_ratio = _ratio(mixed["worker_cpu_ms_per_request"], baseline["worker_cpu_ms_per_request"])
        goals = {
            "p99_under_100_ms_every_kind": mixed["errors"] == 0
            and all(v is not None and v < GOAL_P99_MS for v in p99.values()),
            "throughput_at_least_15_percent": ratio >= GOAL_RATIO,
            "cpu_at_most_5_times": cpu_ratio is not None and cpu_ratio <= GOAL_CPU_RATIO,
        }
        return {
            "value": mixed["rps"],
            "unit": "requests/s (queue page + its counts, lookup page GET + POST, status API; 16 connections)",
            "baseline": baseline["rps"],
            "baseline_unit": "requests/s of a bare 'ok' view, same gunicorn and clients",
            "goal": f"p99 < {GOAL_P99_MS} ms for every kind; throughput ≥ {GOAL_RATIO:.0%} of the 'ok' view; "
            f"worker CPU per request ≤ {GOAL_CPU_RATIO}× the 'ok' view's (the mix)",
            "meets": all(goals.values()),
            "details": {
                "tickets": scale,
                "seed_seconds": round(seed_seconds, 1) if seed_seconds is not None else "reused",
                "data": {k: v for k, v in seeded.items() if k not in ("samples", "version")},
                "lookup_samples": len(samples),
                "load_average_before": load_before,
                "load_average_after": load_after,
                "clients": CLIENTS,
                "gunicorn_workers": 2,
                "seconds_per_phase": SECONDS,
                "seconds_alone": ALONE_SECONDS,
                "goals": goals,
                "p99_ms": p99,
                "throughput_ratio": ratio,
                "cpu_ms_per_request": mixed["worker_cpu_ms_per_request"],
                "cpu_ms_per_request_ok": baseline["worker_cpu_ms_per_request"],
                "cpu_ratio": cpu_ratio,
                "mixed": mixed,
                "alone": alone,
                "ok_view": baseline,
            },
        }
    finally:
        site.stop()
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
