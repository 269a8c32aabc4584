"""``chuangfu bench NAME [--scale N]``: run one benchmark from benchmarks/ and print one JSON line.

A benchmark module ``benchmarks/<name with _ for ->.py`` defines ``DEFAULT_SCALE`` and
``run(scale) -> dict`` returning ``value, unit, baseline, baseline_unit, goal, meets, details``;
this command adds ``name`` and ``ratio`` (value ÷ baseline). ``bench all`` runs every one.
``--database postgresql`` runs a benchmark whose ``run`` takes ``database`` on PostgreSQL
(``DATABASE_URL``); the others refuse it.
"""

import importlib.util
import inspect
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

BENCH_DIR = Path(settings.BASE_DIR).parent.parent / "benchmarks"


def _modules() -> dict[str, Path]:
    return {p.stem.replace("_", "-"): p for p in sorted(BENCH_DIR.glob("*.py")) if not p.stem.startswith("_")}


class Command(BaseCommand):
    help = "运行基准测试并输出一行 JSON。 Run a benchmark and print one JSON line."

    def add_arguments(self, parser):
        parser.add_argument("name", help="benchmark name, or 'all'")
        parser.add_argument("--scale", type=int, default=None)
        parser.add_argument("--database", choices=["sqlite", "postgresql"], default=None)

    def handle(self, *args, name, scale, database, **options):
        modules = _modules()
        names = list(modules) if name == "all" else [name]
        for bench in names:
            if bench not in modules:
                raise CommandError(f"没有名为 {bench} 的基准测试。可用：{', '.join(modules)}")
            spec = importlib.util.spec_from_file_location(f"benchmarks.{bench}", modules[bench])
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            kwargs = {}
            if database is not None:
                if "database" not in inspect.signature(module.run).parameters:
                    raise CommandError(f"基准测试 {bench} 不支持 --database。 {bench} does not take --database.")
                kwargs["database"] = database
            result = module.run(scale if scale is not None else module.DEFAULT_SCALE, **kwargs)
            baseline = result.get("baseline")
            ratio = round(result["value"] / baseline, 3) if baseline else None
            line = {"name": bench, **result, "ratio": ratio}
            order = ["name", "value", "unit", "baseline", "baseline_unit", "ratio", "goal", "meets", "details"]
            self.stdout.write(json.dumps({k: line.get(k) for k in order}, ensure_ascii=False))
