"""``policies-city``: the full match of a city — 10,000,000 subjects on PostgreSQL — split by
jurisdiction across two queue workers on Redis (``policies.services.match_split``).

Setup (not timed): the city site of ``_city_site`` (a base seeded by ``chuangfu seed`` with the
20 policies of ``policies-match`` and the rows their facts read, copied in SQL into a town per
copy, up to ``--scale`` subjects; kept in ``CHUANGFU_BENCH_CITY_DIR``), and two queue workers —
``chuangfu run_huey --no-periodic`` processes as the extra workers are deployed (no daily job
takes a worker from the match), one worker thread each, on Redis
(``CHUANGFU_BENCH_REDIS_URL``, default ``redis://127.0.0.1:6379/0``, a queue name of this run's
own).

Figure: the wall time of a split full match of every policy, from starting the round
(``match_split_start``: parts of whole towns of about ``CHUANGFU_BENCH_CITY_PART`` subjects,
default 1,000,000) until the last part has assembled each policy's run, in seconds per million
subjects; two rounds, the first as it comes (the site's first match writes every eligible
subject's row), the second over an unchanged registry (the nightly case: nothing to write) — the
figure. Baseline, same run: the floor — plain SELECTs, in one process, of every row and column the
match reads (``policies_match._floor``), before and after the rounds, the better of the two, in
seconds per million. Memory: each worker's peak resident set (``VmHWM`` of ``/proc/<pid>/status``
when the rounds are done) — goal < 1.5 GB each — and each part's, as the part saw it
(``ru_maxrss``) with the worker that ran it. CPU beside wall, for a shared machine: the two
workers' CPU time in each round (``/proc/<pid>/stat``; PostgreSQL's own work is in the server and
not counted) and the floor process's, per million subjects.

Correctness at scale: each policy's run counts equal its stored rows, and a random sample of
subjects explained in Python agrees with what is stored (``policies_match._check_sample``); the
equality of the split and unsplit matches is the test suite's (``test_match_split``).
"""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

DEFAULT_SCALE = 10_000_000
WORKERS = 2
GOAL_GB = 1.5
ROUNDS = 2
TIMEOUT = 6 * 3600


def run(scale: int, database: str = "postgresql") -> dict:
    if database != "postgresql":
        raise RuntimeError("policies-city runs on PostgreSQL only (--database postgresql)")
    sys.path.insert(0, str(Path(__file__).parent))
    import _city_site
    import _policies_site

    site, record, seed_seconds, keep = _city_site.site(scale)
    site.env.update(
        REDIS_URL=os.environ.get("CHUANGFU_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        CHUANGFU_QUEUE_NAME=f"chuangfu-city-bench-{uuid.uuid4().hex[:8]}",
        CHUANGFU_WORKERS="1",
    )
    part = int(os.environ.get("CHUANGFU_BENCH_CITY_PART", "1000000"))
    workers = []
    try:
        for i in range(WORKERS):
            log = open(site.workdir / f"city-worker-{i}.log", "w")  # noqa: SIM115 (closed with the worker)
            workers.append(
                subprocess.Popen(
                    [str(_policies_site.helpers().BIN / "chuangfu"), "run_huey", "--no-periodic"],
                    env=site.env,
                    cwd=site.workdir,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        deadline = time.monotonic() + 600
        for i, worker in enumerate(workers):
            while "consumer started" not in (site.workdir / f"city-worker-{i}.log").read_text():
                if worker.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "a queue worker did not start:\n" + (site.workdir / f"city-worker-{i}.log").read_text()[-3000:]
                    )
                time.sleep(0.5)
        pids = [str(w.pid) for w in workers]
        measured = _policies_site.child(site, Path(__file__), "--measure", str(part), *pids, timeout=TIMEOUT)
        peaks = {pid: _peak_kb(int(pid)) for pid in pids}
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
        _policies_site.finish(site, keep)
        from huey import RedisHuey

        RedisHuey(site.env["CHUANGFU_QUEUE_NAME"], url=site.env["REDIS_URL"]).flush()  # this run's queue and results
    peak_gb = {pid: round(kb / 1024 / 1024, 3) for pid, kb in peaks.items()}
    ran = {str(p["worker"]) for p in measured["parts"]}
    goals = {
        "peak_memory_per_worker_under_1_5_gb": all(gb < GOAL_GB for gb in peak_gb.values()),
        "both_workers_matched_parts": ran == set(pids),
        "correct": measured["correct"],
    }
    return {
        "value": measured["per_million"],
        "unit": "s per million subjects (split full match of every policy, two queue workers, nothing to write)",
        "baseline": measured["floor_per_million"],
        "baseline_unit": "s per million subjects (floor: plain SELECT of every row and column the match reads, one process)",
        "goal": f"peak memory < {GOAL_GB:g} GB per worker; time per million reported against the floor",
        "meets": all(goals.values()),
        "details": {
            "goals": goals,
            "worker_peak_rss_gb": peak_gb,
            **{k: v for k, v in measured.items() if k not in ("per_million", "floor_per_million")},
            "queue": f"huey on Redis, {WORKERS} `chuangfu run_huey --no-periodic` processes, one worker thread each",
            "setup": {k: v for k, v in record.items() if k != "version"},
            "seed_seconds": round(seed_seconds, 1) if seed_seconds is not None else "reused",
        },
    }


def _peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


# --- the measurement, in the child ----------------------------------------------------------


def _settle() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE policies_match")
        cursor.execute("CHECKPOINT")
    time.sleep(3)


def _cpu_seconds(pids: list[str]) -> float:
    """CPU time (user + system) the worker processes have used so far (Linux)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _round(part: int, on, pids: list[str]) -> dict:
    from chuangfu.policies.models import MatchRound
    from chuangfu.policies.services.match_split import match_split_start

    cpu = _cpu_seconds(pids)
    started = time.perf_counter()
    round_ = match_split_start(on=on, part_subjects=part, min_parts=WORKERS)
    deadline = time.monotonic() + TIMEOUT
    while True:
        round_.refresh_from_db()
        if round_.status == MatchRound.Status.DONE:
            break
        failed = round_.match_parts.filter(attempts__gt=2, done=False)
        if failed.exists() or time.monotonic() > deadline:
            raise RuntimeError(f"round {round_.pk} did not finish: {list(failed.values('number', 'stats'))}")
        time.sleep(0.25)
    wall = time.perf_counter() - started
    cpu = _cpu_seconds(pids) - cpu
    parts = list(round_.match_parts.order_by("number"))
    return {
        "round": round_.pk,
        "seconds": round(wall, 2),
        "workers_cpu_seconds": round(cpu, 2),
        "parts": len(parts),
        "rows_written": sum(p.stats["rows_written"] for p in parts),
        "assembled_after_last_part_seconds": round(
            (round_.finished_at - max(p.finished_at for p in parts)).total_seconds(), 2
        ),
        "part_stats": [
            {
                "number": p.number,
                "towns": len(p.jurisdictions),
                "subjects": p.subjects,
                "attempts": p.attempts,
                **{k: p.stats.get(k) for k in ("seconds", "cpu_seconds", "evaluate_seconds", "rows_written")},
                **{k: p.stats[k] for k in ("worker", "peak_rss_kb")},
                "read": sum(p.stats["subjects_read"].values()),
                "own": sum(p.stats["own"].values()),
            }
            for p in parts
        ],
    }


def measure(part: int, pids: list[str]) -> dict:
    import django

    django.setup()
    import policies_match
    from django.db.models import Count
    from django.utils import timezone

    from chuangfu.policies.models import Match, MatchRun
    from chuangfu.registry.models import Enterprise, Person

    on = timezone.localdate()
    people, enterprises = Person.objects.count(), Enterprise.objects.count()
    subjects = people + enterprises
    load_before = [round(x, 2) for x in os.getloadavg()]
    floors = []
    _settle()

    floor_cpu = []

    def floor():
        started, cpu = time.perf_counter(), time.process_time()
        rows = policies_match._floor()
        floors.append(time.perf_counter() - started)
        floor_cpu.append(time.process_time() - cpu)
        return rows

    floor_rows = floor()
    rounds = []
    for _ in range(ROUNDS):
        rounds.append(_round(part, on, pids))
        _settle()
    floor()
    load_after = [round(x, 2) for x in os.getloadavg()]
    stored = dict(
        Match.objects.filter(computed_at__isnull=True).values_list("policy_id").annotate(n=Count("id")).order_by()
    )
    counts_agree = all(stored.get(r.policy_id, 0) == r.eligible for r in MatchRun.objects.all())
    sample = policies_match._check_sample(on)
    steady, floor_s = rounds[-1]["seconds"], min(floors)
    million = subjects / 1_000_000
    return {
        "per_million": round(steady / million, 3),
        "floor_per_million": round(floor_s / million, 3),
        "ratio_to_floor": round(steady / floor_s, 2),
        "subjects": subjects,
        "people": people,
        "enterprises": enterprises,
        "policies": MatchRun.objects.count(),
        "part_subjects": part,
        "seconds": steady,
        "floor_seconds": [round(x, 2) for x in floors],
        "floor_cpu_seconds": [round(x, 2) for x in floor_cpu],
        "cpu_per_million": round(rounds[-1]["workers_cpu_seconds"] / million, 3),
        "floor_cpu_per_million": round(min(floor_cpu) / million, 3),
        "floor_rows": floor_rows,
        "rounds": [{k: v for k, v in r.items() if k != "part_stats"} for r in rounds],
        "first_round_per_million": round(rounds[0]["seconds"] / million, 3),
        "parts": rounds[-1]["part_stats"],
        "parts_first_round": rounds[0]["part_stats"],
        "eligible_rows": sum(stored.values()),
        "counts_agree": counts_agree,
        "sample_check": sample,
        "correct": counts_agree and sample["mismatched"] == 0 and sample["checked"] > 0,
        "workers": pids,
        "order": "floor, split round (as it comes), split round (nothing changed), floor; the figure is the second round",
        "load_average_before": load_before,
        "load_average_after": load_after,
    }


if __name__ == "__main__" and sys.argv[1:2] == ["--measure"]:
    sys.path.insert(0, str(Path(__file__).parent))
    print(json.dumps(measure(int(sys.argv[2]), sys.argv[3:]), ensure_ascii=False))
