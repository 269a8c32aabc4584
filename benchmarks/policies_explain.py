"""``policies-explain``: one subject explained against every policy in force, condition by condition.

Setup (not timed): the current database gets the demo policies (``seed-policies``, idempotent)
when it has none; the registry should be seeded (``chuangfu seed``) — at least a few hundred
people and enterprises are needed.

Figure: the p95 wall time of ``selectors.explain_subject(kind, id)`` — load the subject's facts
(a handful of plain parameterised SELECTs), evaluate every published version in force today in Python, with every
condition's status and actual value — over a sample of people and enterprises.
Baseline, same run: the p95 of loading the same subject's registry row alone (``Person.objects.get``
/ ``Enterprise.objects.get``), the least any explanation must do. Goal: p95 ≤ 20 ms.
"""

import os
import statistics
import time

DEFAULT_SCALE = 1000  # subjects explained
GOAL_MS = 20.0


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] * 1000 if len(samples) >= 20 else max(samples) * 1000


def run(scale: int) -> dict:
    from chuangfu.policies.demo import seed_policies
    from chuangfu.policies.models import PolicyVersion
    from chuangfu.policies.selectors import explain_subject
    from chuangfu.registry.models import Enterprise, Person

    if not PolicyVersion.objects.filter(status="published").exists():
        seed_policies()
    people = list(Person.objects.order_by("?").values_list("id", flat=True)[: (scale * 2) // 3])
    enterprises = list(Enterprise.objects.order_by("?").values_list("id", flat=True)[: scale - len(people)])
    subjects = [("person", pk) for pk in people] + [("enterprise", pk) for pk in enterprises]
    if len(subjects) < 20:
        raise RuntimeError("先生成演示数据：chuangfu seed --scale 500。 Seed the registry first.")
    explain_subject(*subjects[0])  # warm caches (jieba-free path; first query compiles)
    timings, cpu, rows, results = [], [], [], {}
    for kind, pk in subjects:
        started, cpu_started = time.perf_counter(), time.process_time()
        explained = explain_subject(kind, pk)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        for item in explained:
            results[item.result] = results.get(item.result, 0) + 1
        started = time.perf_counter()
        (Person if kind == "person" else Enterprise).objects.get(pk=pk)
        rows.append(time.perf_counter() - started)
    p95 = _p95(timings)
    baseline = _p95(rows)
    policies = PolicyVersion.objects.filter(status="published").count()
    return {
        "value": round(p95, 2),
        "unit": "ms p95 per subject (every policy in force, every condition explained)",
        "baseline": round(baseline, 3),
        "baseline_unit": "ms p95 (loading the subject's registry row alone)",
        "goal": f"p95 ≤ {GOAL_MS:g} ms",
        "meets": p95 <= GOAL_MS,
        "details": {
            "subjects": len(subjects),
            "people": len(people),
            "enterprises": len(enterprises),
            "published_versions": policies,
            "median_ms": round(statistics.median(timings) * 1000, 2),
            "max_ms": round(max(timings) * 1000, 2),
            "results": results,
            # CPU time of this process: what the explanation costs when the machine is not shared
            "cpu_p95_ms": round(_p95(cpu), 2),
            "cpu_median_ms": round(statistics.median(cpu) * 1000, 2),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
    }
