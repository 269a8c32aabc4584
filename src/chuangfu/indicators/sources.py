"""The named sources indicators are written over, gathered from the apps.

Each app that offers figures keeps a module ``<app>/indicator_sources.py`` with

* ``SOURCES``: ``{"app.name": fn(jurisdiction, period) -> int}`` — a count over the jurisdiction's
  whole subtree in the period (``period`` has ``start`` and ``end``, both included);
* optionally ``ROWS``: ``{"app.name": fn(jurisdiction, period) -> QuerySet}`` — the records that count
  counts, for drill-down (the same rows a staff list shows);
* optionally ``SURVEY_FRAMES``: ``{"stratum": fn(jurisdiction, period) -> person ids}`` — the users of a
  service in the period, from whom the 工作满意度 survey draws its stratified sample;
* optionally ``EVIDENCE``: ``{category: fn(jurisdiction, period) -> [(date, title, kind)]}`` — items of
  定性 evidence for a qualitative dimension.

The indicators app reads other apps only through these modules, found by name among the installed
apps; nothing here imports an app directly.
"""

import datetime
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.apps import apps


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class Registry:
    counts: dict[str, Callable]
    rows: dict[str, Callable]
    evidence: dict[str, list[Callable]]
    frames: dict[str, Callable]


@cache
def registry() -> Registry:
    counts, rows, evidence, frames = {}, {}, {}, {}
    for config in apps.get_app_configs():
        if not config.name.startswith("chuangfu."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.indicator_sources")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.indicator_sources":
                raise
            continue
        counts.update(getattr(module, "SOURCES", {}))
        rows.update(getattr(module, "ROWS", {}))
        frames.update(getattr(module, "SURVEY_FRAMES", {}))
        for category, fn in getattr(module, "EVIDENCE", {}).items():
            evidence.setdefault(category, []).append(fn)
    return Registry(counts=counts, rows=rows, evidence=evidence, frames=frames)


def names() -> list[str]:
    return sorted(registry().counts)


def describe(name: str) -> str:
    fn = registry().counts.get(name)
    return (fn.__doc__ or "").strip().splitlines()[0] if fn and fn.__doc__ else ""


def count(name: str, jurisdiction, period: Period) -> int:
    return int(registry().counts[name](jurisdiction, period))


def rows(name: str, jurisdiction, period: Period):
    fn = registry().rows.get(name)
    return None if fn is None else fn(jurisdiction, period)


def evidence(category: str, jurisdiction, period: Period) -> list[tuple]:
    items = []
    for fn in registry().evidence.get(category, []):
        items.extend(fn(jurisdiction, period))
    return sorted(items, key=lambda item: item[0])
