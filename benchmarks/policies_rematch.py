"""``policies-rematch``: a registry change to one subject, made through the registry's service,
until the subject's stored result — what the staff lists, counts and outreach read — and its panel
show the new result, through the queue: a real huey worker (``chuangfu run_huey``, as deployed)
re-matches the subject after the change commits (``policies.signals`` → ``rematch_subject``).

Setup (not timed): the shared 1,000,000-subject site of ``policies-match`` (``_policies_site``),
matched once if no full match is stored; a desk clerk of 唐镇; gunicorn (2 workers) and one queue
worker started. The subjects: people of the town, drawn at random, whose result for 创业见习补贴
(aged 16–35, an intent to found, none founded) turns on their intent alone: eligible, or almost
eligible for want of the intent.

Figure: for each, ``registry.services.person_update`` flips the intent (eligible ↔ almost
eligible) and later flips it back; the time from the service call until the
subject's ``Match`` row for that policy says the new result and was computed after the change,
polled every 10 ms; then the staff subject panel over HTTP must list the policy in the new group.
p95 over all changes. Baseline: the service call alone (the change committed, before the queue).

Goal (issue 17): p95 ≤ 1 s. The machine may be shared: the load average is in ``details``.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_SCALE = 1_000_000
GOAL_MS = 1000.0
PEOPLE = 20  # each changed twice: off, then on again
POLICY = "sh-startup-internship-subsidy"
TIMEOUT = 30.0


def run(scale: int, database: str = "sqlite") -> dict:
    sys.path.insert(0, str(Path(__file__).parent))
    import _policies_site

    site, record, seed_seconds, keep = _policies_site.site(scale, database)
    worker = None
    try:
        session = _policies_site.staff_session(site)
        base = site.serve(workers=2)
        log = open(site.workdir / "worker.log", "w")  # noqa: SIM115 (closed with the worker)
        worker = subprocess.Popen(
            [str(_policies_site.helpers().BIN / "chuangfu"), "run_huey"],
            env=site.env,
            cwd=site.workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 600  # a busy shared machine can take minutes to start it
        while "consumer started" not in (site.workdir / "worker.log").read_text():
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "the queue worker did not start:\n" + (site.workdir / "worker.log").read_text()[-3000:]
                )
            time.sleep(0.5)
        load_before = [round(x, 2) for x in os.getloadavg()]
        measured = _policies_site.child(site, Path(__file__), "--measure", str(scale), base, session)
        load_after = [round(x, 2) for x in os.getloadavg()]
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        _policies_site.finish(site, keep)
    goals = {"p95_under_1_s": measured["failed"] == 0 and (measured["p95_ms"] or float("inf")) <= GOAL_MS}
    return {
        "value": measured["p95_ms"] or TIMEOUT * 1000,
        "unit": "ms p95 from a registry change to the new result stored by the queue and shown on the panel",
        "baseline": measured["service_p95_ms"],
        "baseline_unit": "ms p95 of the registry service call alone (the change committed)",
        "goal": f"p95 ≤ {GOAL_MS:g} ms",
        "meets": all(goals.values()),
        "details": {
            "goals": goals,
            **measured,
            "queue": "huey, one `chuangfu run_huey` worker (SQLite queue on SQLite, as configured by default)",
            "setup": {k: v for k, v in record.items() if k != "version"},
            "seed_seconds": round(seed_seconds, 1) if seed_seconds is not None else "reused",
            "load_average_before": load_before,
            "load_average_after": load_after,
        },
    }


def _panel_shows(base: str, session: str, kind: str, pk: int, title: str, result: str) -> bool:
    """Whether the staff subject panel lists the policy under the group of ``result``."""
    import urllib.request

    request = urllib.request.Request(
        f"{base}/policies/subject/{kind}/{pk}/", headers={"Cookie": f"sessionid={session}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        html = response.read().decode()
    almost_at = html.find("差一项即可享受")
    at = html.find(title)
    if at < 0 or almost_at < 0:
        return False
    return at < almost_at if result == "eligible" else at > almost_at


def _candidates(policy, town) -> list[tuple[int, bool]]:
    """People of the town whose result for the policy turns on their intent alone: eligible, or
    almost eligible with the intent the one condition open; (id, intent now)."""
    import random

    from chuangfu.policies import rules
    from chuangfu.policies.selectors import version_in_force
    from chuangfu.registry.models import Person

    ids = list(Person.objects.filter(jurisdiction__path__startswith=town.path).values_list("id", flat=True))
    rng = random.Random(17)
    rng.shuffle(ids)
    on = timezone_today()
    rule = version_in_force(policy, on).rule
    ctx = rules.Context(on=on, policy_code=policy.code)
    found = []
    for start in range(0, len(ids), 500):
        for pk, record in rules.load_people(ids[start : start + 500]).items():
            explained = rules.explain(rule, rules.RecordSource(record), ctx)
            valid = record.graduation_date is None or record.graduation_date <= on
            if valid and (
                explained.result == "eligible" or (explained.result == "almost" and not record.entrepreneurial_intent)
            ):
                found.append((pk, bool(record.entrepreneurial_intent)))
        if len(found) >= PEOPLE:
            break
    return found[:PEOPLE]


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()


def measure(scale: int, base: str, session: str) -> dict:
    import django

    django.setup()

    from django.contrib.sessions.models import Session
    from django.core.exceptions import ValidationError
    from django.utils import timezone
    from policies_explain import _ensure_matched

    from chuangfu.core.models import Jurisdiction, User
    from chuangfu.policies.models import Match, Policy, Result
    from chuangfu.policies.selectors import OpenMatches
    from chuangfu.registry.models import Person
    from chuangfu.registry.services import person_update

    subjects = Person.objects.count()
    if subjects < (2 * scale) // 3:
        raise RuntimeError(f"The database holds {subjects} people: fewer than --scale {scale} asks for.")
    _ensure_matched()
    policy = Policy.objects.get(code=POLICY)
    clerk = User.objects.get(pk=Session.objects.get(session_key=session).get_decoded()["_auth_user_id"])
    town = Jurisdiction.objects.get(pk=clerk.jurisdiction_id)
    people = _candidates(policy, town)
    timings, service, failed, cpu, refused = [], [], 0, [], 0
    for pk, intent_now in people:
        for intent in (not intent_now, intent_now):  # flip, then back
            expected = Result.ELIGIBLE if intent else Result.ALMOST
            person = Person.objects.get(pk=pk)
            started, cpu_started = time.perf_counter(), time.process_time()
            changed_at = timezone.now()
            try:
                person_update(actor=clerk, person=person, data={"entrepreneurial_intent": intent})
            except ValidationError:  # the generated record breaks a rule of the form (a future graduation)
                refused += 1
                break
            service.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            while time.perf_counter() - started < TIMEOUT:
                row = Match.objects.filter(policy=policy, person_id=pk, computed_at__gte=changed_at).first()
                if row is not None and row.result == expected:
                    break
                time.sleep(0.01)
            else:
                failed += 1
                continue
            shown = _panel_shows(base, session, "person", pk, policy.title, expected)
            timings.append(time.perf_counter() - started)
            if not shown:
                failed += 1
            listed = OpenMatches.of(policy, Result.ALMOST, None).ids
            if (expected == Result.ALMOST) != bool((listed == pk).any()):
                failed += 1  # the almost-eligible list reads the re-evaluated row
            time.sleep(0.3)
    ordered = sorted(timings)

    def pct(values, q):
        return round(values[max(int(len(values) * q) - 1, 0)] * 1000, 1) if values else None

    return {
        "changes": len(people) * 2 - 2 * refused,
        "people_refused_by_the_service": refused,
        "measured": len(timings),
        "failed": failed,
        "p50_ms": pct(ordered, 0.5),
        "p95_ms": pct(ordered, 0.95),
        "max_ms": round(max(ordered) * 1000, 1) if ordered else None,
        "service_p95_ms": pct(sorted(service), 0.95),
        "service_cpu_p95_ms": pct(sorted(cpu), 0.95),
        "policy": POLICY,
        "people_in_database": subjects,
    }


if __name__ == "__main__" and sys.argv[1:2] == ["--measure"]:
    sys.path.insert(0, str(Path(__file__).parent))
    print(json.dumps(measure(int(sys.argv[2]), sys.argv[3], sys.argv[4]), ensure_ascii=False))
