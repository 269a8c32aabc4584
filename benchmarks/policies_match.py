"""``policies-match``: a full match of 20 policies over 1,000,000 subjects, from the database to
stored results.

Setup (not timed): in a child process with its own ``CHUANGFU_VAR_DIR`` (a fresh, migrated SQLite
database, ``DEBUG=0``): ``chuangfu seed --scale N/3`` (N/3 enterprises and 2N/3 people), the demo
policies (``seed-policies``) plus generated policies of the same shape (the demo rules with other
thresholds and dates) up to 20, and a grant for one subject in fifty so history conditions have
something to find.

Figure: the wall time of matching every policy as the ``policies.match`` job does it — one read
of the people's and one of the enterprises' fact columns into numpy (dates as day numbers and
choices as small codes, computed by the database), the related tables read once when a rule
first needs them, every policy's rule evaluated over the columns (``rules.frame``), then in one
transaction the eligible subjects stored as ``Match`` rows (one INSERT per policy) and the
almost-eligible and unknown ones compactly in each policy's ``MatchRun``
(``details.steps_done_at_seconds``: when each policy was evaluated, then stored). ``details`` gives the
CPU time of the process too (SQLite runs in-process, so CPU time is the work done, whatever else
shares the machine) and the load average at the end, to read a figure taken on a shared machine.

Baseline (i), same run, same process and database: the floor — plain SELECTs of exactly the fact
columns the rules use, fetched into Python: the people's and enterprises' columns, and the rows
of the tables the rules also read (priority groups, person–enterprise links, tags, grants,
carriers, jurisdictions); the best of three runs. ``details.floor_core_seconds`` is the people
and enterprise columns alone. Goal: figure ≤ 3× floor.

Baseline (ii), same run: openfisca-core (a benchmark-only dependency, requirements-dev) after
the same read — the floor's SELECTs with their rows kept, turned into numpy arrays, a
simulation built from the arrays, the 20 rules translated into OpenFisca formula variables
(``_openfisca``) and computed on the same date. Its eligible sets are checked against the
stored matches (every policy's count and a random sample of subjects). It computes only
eligibility and stores nothing. Goal: figure ≤ 1.0× its read + compute.
``details.openfisca.split_seconds`` splits it into read, arrays, build and compute.

After the figure, a sample of subjects is explained in Python (``rules.explain``) and compared
with the stored rows, so the figure is of a correct match.
"""

import copy
import datetime
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SCALE = 1_000_000  # subjects (people + enterprises)
POLICIES = 20
GOAL_RATIO = 3.0
OPENFISCA_GOAL = 1.0
SAMPLE = 300


def _child(args: list[str], env: dict) -> str:
    proc = subprocess.run(args, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return proc.stdout


def run(scale: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="chuangfu-bench-policies-") as tmp:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CHUANGFU_DATA_KEY")}
        env.update(
            CHUANGFU_VAR_DIR=str(Path(tmp) / "var"),
            DJANGO_SETTINGS_MODULE="chuangfu.settings",
            DEBUG="0",
            LOG_LEVEL="WARNING",
        )
        cli = [sys.executable, "-m", "chuangfu.cli"]
        started = time.perf_counter()
        _child([*cli, "migrate", "--no-input", "-v", "0"], env)
        _child([*cli, "seed", "--scale", str(max(1, math.ceil(scale / 3))), "--seed", "42", "-v", "0"], env)
        setup_seconds = time.perf_counter() - started
        out = _child([sys.executable, __file__, "--measure"], env)
    result = json.loads(out.strip().splitlines()[-1])
    result["details"]["setup_seconds"] = round(setup_seconds, 1)
    return result


# --- the measurement, in the child ------------------------------------------------------------


def _generated_policies(count: int) -> None:
    """Policies of the demo's shape: each demo rule again with shifted thresholds and a new code."""
    from chuangfu.policies.demo import DEMO_POLICIES
    from chuangfu.policies.models import Policy, PolicyVersion
    from chuangfu.policies.rules import validate_rule

    def shift(node, k):
        if "fact" in node:
            value = node.get("value")
            if isinstance(value, int) and not isinstance(value, bool):
                node["value"] = value + k
            elif isinstance(value, list) and value and all(isinstance(v, int) for v in value):
                node["value"] = [v + k for v in value]
            elif isinstance(value, dict):
                shift(value, k)
            return
        for key in ("all", "any"):
            for child in node.get(key, []):
                shift(child, k)
        if "not" in node:
            shift(node["not"], k)

    made = 0
    while made < count:
        base = DEMO_POLICIES[made % len(DEMO_POLICIES)]
        code = f"bench-{made + 1:02d}"
        rule = copy.deepcopy(base["version"]["rule"])
        shift(rule, 1 + made // len(DEMO_POLICIES))
        source = Policy.objects.get(code=base["code"])
        policy = Policy.objects.create(
            code=code,
            level=source.level,
            title=f"{source.title}（基准{made + 1}）",
            category=source.category,
            target=source.target,
            jurisdiction=source.jurisdiction,
        )
        PolicyVersion.objects.create(
            policy=policy,
            number=1,
            status="published",
            effective_from=datetime.date(2023, 1, 1),
            summary=base["version"]["summary"],
            rule=validate_rule(rule, policy.target),
        )
        made += 1


def _grants() -> int:
    """A grant of one subject in fifty, of the policies their rules ask about, so "granted" finds rows."""
    from django.db import connection

    from chuangfu.policies.models import Grant, Policy

    ids = dict(Policy.objects.values_list("code", "id"))
    rows = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM registry_person WHERE id % 50 = 0")
        people = [r[0] for r in cursor.fetchall()]
    for i, pid in enumerate(people):
        code = ("sh-personal-guaranteed-loan", "sh-first-startup-subsidy", "tz-youth-startup-launch")[i % 3]
        rows.append(
            Grant(
                policy_id=ids[code],
                person_id=pid,
                granted_on=datetime.date(2024, 6, 1) + datetime.timedelta(days=i % 300),
                source="import",
            )
        )
    Grant.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


FLOOR_PEOPLE = (
    "birth_date",
    "hukou_kind",
    "jurisdiction_id",
    "education",
    "graduation_date",
    "employment_status",
    "unemployment_registered_on",
    "entrepreneurial_intent",
)
FLOOR_ENTERPRISES = (
    "founded_on",
    "entity_type",
    "is_small_micro",
    "registration_status",
    "jurisdiction_id",
    "industry_section",
    "industry_division",
    "insured_employees",
    "carrier_id",
    "legal_representative_id",
)


FLOOR_RELATED = (
    ("registry_persongroup", ("person_id", '"group"')),
    ("registry_enterpriseperson", ("person_id", "enterprise_id", "relation")),
    ("registry_enterprise_tags", ("enterprise_id", "tag_id")),
    ("policies_grant", ("person_id", "enterprise_id", "policy_id", "granted_on")),
    ("registry_carrier", ("id", "kind")),
    ("core_jurisdiction", ("id", "path")),
)


def _floor(core_only: bool = False) -> tuple[float, int]:
    from django.db import connection

    tables = [("registry_person", ("id", *FLOOR_PEOPLE)), ("registry_enterprise", ("id", *FLOOR_ENTERPRISES))]
    if not core_only:
        tables += list(FLOOR_RELATED)
    started = time.perf_counter()
    rows = 0
    with connection.cursor() as cursor:
        for table, columns in tables:
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")
            while True:
                chunk = cursor.fetchmany(10_000)
                if not chunk:
                    break
                rows += len(chunk)
    return time.perf_counter() - started, rows


def _check_sample(on: datetime.date) -> dict:
    """A random sample of subjects per policy explained in Python and compared with what was
    stored (rows for the eligible, the run's lists for the almost eligible and unknown)."""
    import numpy as np

    from chuangfu.policies import rules
    from chuangfu.policies.models import Match, PolicyVersion
    from chuangfu.policies.selectors import OpenMatches
    from chuangfu.registry.models import Enterprise, Person

    checked = mismatched = 0
    for version in PolicyVersion.objects.select_related("policy"):
        policy = version.policy
        model = Person if policy.target == "person" else Enterprise
        ids = list(model.objects.order_by("?").values_list("id", flat=True)[: SAMPLE // 20])
        stored = {
            (m.person_id or m.enterprise_id): m.result
            for m in Match.objects.filter(policy=policy).filter(**{f"{policy.target}_id__in": ids})
        }
        for result in ("almost", "unknown"):  # the run's compact lists, read as the pages read them
            listed = OpenMatches.of(policy, result, np.array(ids, dtype=np.int64))
            stored.update({int(i): result for i in listed.ids})
        loader = rules.load_people if policy.target == "person" else rules.load_enterprises
        ctx = rules.Context(on=on, policy_code=policy.code)
        for subject_id, record in loader(ids).items():
            expected = rules.explain(version.rule, rules.RecordSource(record), ctx).result
            checked += 1
            if stored.get(subject_id, "ineligible") != expected:
                mismatched += 1
    return {"checked": checked, "mismatched": mismatched}


def _keep(table: str, columns) -> list:
    """The floor's SELECT of one table, its rows kept (what a Python program would then use)."""
    from django.db import connection

    rows = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")
        while True:
            chunk = cursor.fetchmany(10_000)
            if not chunk:
                break
            rows.extend(chunk)
    return rows


def _openfisca(on: datetime.date) -> dict:
    """Baseline (ii): the floor's read, then openfisca-core computing every policy's eligibility
    (``_openfisca``); its eligible sets compared with the stored matches (every policy's count,
    and each policy's answer for a random sample of subjects)."""
    import random

    import _openfisca
    from django.db import models

    from chuangfu.policies.models import Match, Policy, Result
    from chuangfu.policies.selectors import version_in_force

    policies = [(p, version_in_force(p, on)) for p in Policy.objects.order_by("id")]
    cpu_started = time.process_time()
    out = _openfisca.run(_keep, policies, on)
    cpu = time.process_time() - cpu_started
    stored = dict(
        Match.objects.filter(result=Result.ELIGIBLE).values_list("policy_id").annotate(n=models.Count("id")).order_by()
    )
    rng = random.Random(5)
    counts_differ, checked, mismatched = [], 0, 0
    for policy, _version in policies:
        ids, eligible = out["eligible"][policy.code]
        if int(eligible.sum()) != stored.get(policy.pk, 0):
            counts_differ.append(policy.code)
        sample = rng.sample(range(len(ids)), min(SAMPLE // 20, len(ids)))
        chosen = {int(ids[i]): bool(eligible[i]) for i in sample}
        column = f"{policy.target}_id"
        found = set(
            Match.objects.filter(policy=policy, result=Result.ELIGIBLE, **{f"{column}__in": list(chosen)}).values_list(
                column, flat=True
            )
        )
        checked += len(chosen)
        mismatched += sum(1 for sid, ok in chosen.items() if ok != (sid in found))
    return {
        "version": _of_version(),
        "seconds": round(out["timings"]["total"], 2),
        "cpu_seconds": round(cpu, 2),
        "split_seconds": {k: round(v, 2) for k, v in out["timings"].items() if k != "total"},
        "eligible_counts_differ": counts_differ,
        "sample_check": {"checked": checked, "mismatched": mismatched},
    }


def _of_version() -> str:
    from importlib.metadata import version

    return version("openfisca-core")


def _cpu(fn) -> float:
    started = time.process_time()
    fn()
    return time.process_time() - started


def measure() -> dict:
    import django

    django.setup()
    from django.utils import timezone

    from chuangfu.policies.demo import seed_policies
    from chuangfu.policies.models import Match, MatchRun, Policy
    from chuangfu.policies.services.matching import match_policies
    from chuangfu.registry.models import Enterprise, Person

    seed_policies()
    _generated_policies(POLICIES - Policy.objects.count())
    grants = _grants()
    on = timezone.localdate()
    floors = [_floor() for _ in range(3)]
    floor_seconds, floor_rows = min(floors)
    floor_core = min(_floor(core_only=True) for _ in range(3))[0]
    floor_cpu = min(_cpu(_floor) for _ in range(3))

    ticks = []
    started, cpu_started = time.perf_counter(), time.process_time()
    matched, skipped = match_policies(
        policies=list(Policy.objects.order_by("id")),
        on=on,
        progress=lambda done: ticks.append(time.perf_counter() - started),
    )
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    stored = Match.objects.count() + sum(r.almost + r.unknown for r in MatchRun.objects.all())
    sample = _check_sample(on)
    subjects = Person.objects.count() + Enterprise.objects.count()
    ratio = seconds / floor_seconds
    openfisca = _openfisca(on)
    of_ratio = seconds / openfisca["seconds"]
    of_ok = not openfisca["eligible_counts_differ"] and openfisca["sample_check"]["mismatched"] == 0
    return {
        "value": round(seconds, 2),
        "unit": "s (20 policies matched, results stored)",
        "baseline": round(floor_seconds, 2),
        "baseline_unit": "s (floor: plain SELECT of the rules' fact columns, fetched into Python)",
        "goal": f"≤ {GOAL_RATIO:g}× the floor; ≤ {OPENFISCA_GOAL:g}× openfisca-core (same read, then the same rules)",
        "meets": ratio <= GOAL_RATIO and of_ratio <= OPENFISCA_GOAL and sample["mismatched"] == 0 and of_ok,
        "details": {
            "subjects": subjects,
            "people": Person.objects.count(),
            "enterprises": Enterprise.objects.count(),
            "policies": Policy.objects.count(),
            "grants": grants,
            "matches_stored": stored,
            "floor_rows": floor_rows,
            "floor_runs": [round(s, 2) for s, _n in floors],
            "floor_core_seconds": round(floor_core, 2),
            "ratio_to_core_floor": round(seconds / floor_core, 2),
            "ratio_to_floor": round(ratio, 2),
            "cpu_seconds": round(cpu_seconds, 2),
            "floor_cpu_seconds": round(floor_cpu, 2),
            "cpu_ratio": round(cpu_seconds / floor_cpu, 2),
            "steps_done_at_seconds": [round(t, 2) for t in ticks],
            "matched": matched,
            "skipped": skipped,
            "sample_check": sample,
            "openfisca": openfisca,
            "ratio_to_openfisca": round(of_ratio, 2),
            "cpu_ratio_to_openfisca": round(cpu_seconds / openfisca["cpu_seconds"], 2),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
    }


if __name__ == "__main__" and sys.argv[1:] == ["--measure"]:
    sys.path.insert(0, str(Path(__file__).parent))
    print(json.dumps(measure(), ensure_ascii=False))
