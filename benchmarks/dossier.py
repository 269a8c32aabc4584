"""dossier: computing every indicator of the scheme for one town and one year and writing the .docx
and its .xlsx annex (issue 16), on ``_assessment``'s data set (at scale N: N tickets, about N
registry subjects, N/10 registrations, the ledger benchmark's ledger at N/500 tasks).

Figure: seconds of ``indicators.services.write_dossier`` for 唐镇 and the current year, in a child
process — the same function the dossier job runs: recompute every indicator for the year and each of
its months or quarters into the precomputed table, then the .docx and the annex listing every record
behind every figure that drills down, both into one .zip.

Baseline, same run and process: the floor — plain SQL ``SELECT COUNT(*)`` over the same rows, through
a bare cursor: for every source of every indicator and every period the computation evaluates, the
query of the records the source counts (a source that offers no rows is counted by its own function),
and for every part of the annex the rows it lists. The floor is run once untimed first, so both
measurements find the database equally warm. Goals: ≤ 60 s, and ≤ 3× the floor.
"""

import importlib.util
import json
import shutil
from pathlib import Path

DEFAULT_SCALE = 1_000_000
GOAL_SECONDS = 60
GOAL_RATIO = 3

MEASURE = """
import json, tempfile, time
from pathlib import Path
from django.db import connection
from django.utils import timezone
from chuangfu.core.models import Jurisdiction
from chuangfu.indicators import expressions, periods, selectors, sources
from chuangfu.indicators.services import write_dossier
from chuangfu.indicators.selectors import scheme_for

town = Jurisdiction.objects.get(code="310115114")
year = timezone.localdate().year
indicators = list(scheme_for(year).indicators.all())


def plain_count(qs):
    sql, params = qs.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS counted", params)
        return cursor.fetchone()[0]


def floor():
    counted = queries = 0
    for indicator in indicators:
        used = expressions.sources_in(expressions.parse(indicator.numerator))
        if indicator.denominator:
            used |= expressions.sources_in(expressions.parse(indicator.denominator))
        wanted = [periods.year_period(year)]
        if indicator.period_type != "year":
            wanted += periods.periods(year, indicator.period_type, today=timezone.localdate())
        for period in wanted:
            for name in sorted(used & set(sources.names())):
                rows = sources.rows(name, town, period)
                counted += plain_count(rows) if rows is not None else sources.count(name, town, period)
                queries += 1
        for part in ("num", "den"):
            rows = selectors.drill_rows(indicator, town, year, part)
            if rows is not None:
                counted += plain_count(rows)
                queries += 1
    return counted, queries


floor()  # warm up
with tempfile.TemporaryDirectory() as tmp:
    t = time.perf_counter()
    annex_rows = write_dossier(town, year, Path(tmp) / "dossier.zip")
    work = time.perf_counter() - t
    size = (Path(tmp) / "dossier.zip").stat().st_size
t = time.perf_counter()
counted, queries = floor()
floor_seconds = time.perf_counter() - t
print(json.dumps({"work": work, "floor": floor_seconds, "annex_rows": annex_rows, "zip_bytes": size,
                  "rows_counted_by_floor": counted, "floor_queries": queries, "indicators": len(indicators)}))
"""


def _assessment():
    spec = importlib.util.spec_from_file_location("dossier_assessment", Path(__file__).with_name("_assessment.py"))
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def run(scale: int) -> dict:
    site, seeded, seed_seconds, keep = _assessment().seeded_site(scale)
    try:
        measured = json.loads(site.python(MEASURE).strip().splitlines()[-1])
        work, floor = measured.pop("work"), measured.pop("floor")
        ratio = work / floor if floor else None
        return {
            "value": round(work, 2),
            "unit": "s (recompute the town's year, write the .docx and the .xlsx annex)",
            "baseline": round(floor, 3),
            "baseline_unit": "s of plain SELECT COUNT(*) over the same rows (the floor)",
            "goal": f"≤ {GOAL_SECONDS} s and ≤ {GOAL_RATIO}× the floor",
            "meets": work <= GOAL_SECONDS and ratio is not None and ratio <= GOAL_RATIO,
            "details": {
                **seeded,
                **measured,
                "seed_seconds": round(seed_seconds, 1) if seed_seconds is not None else "reused",
            },
        }
    finally:
        site.stop()
        if not keep:
            shutil.rmtree(site.workdir, ignore_errors=True)
