"""The named sources indicators are written over, gathered from the apps.

Each app that offers figures keeps a module ``<app>/indicator_sources.py`` with

* ``SOURCES``: ``{"app.name": fn(jurisdiction, period) -> int}`` — a count over the jurisdiction's
  whole subtree in the period (``period`` has ``start`` and ``end``, both included);
* optionally ``ROWS``: ``{"app.name": fn(jurisdiction, period) -> QuerySet}`` — the records that count
  counts, for drill-down (the same rows a staff list shows);
* optionally ``SURVEY_FRAMES``: ``{"stratum": fn(jurisdiction, period) -> person ids}`` — the users of a
  service in the period, from whom the 工作满意度 survey draws its stratified sample;
* optionally ``EVIDENCE``: ``{category: fn(jurisdiction, period) -> [(date, title, kind)]}`` — items of
  定性 evidence for a qualitative dimension;
* optionally ``UNIT_SOURCES``: ``{"app.name": fn(jurisdiction, period) -> {unit_id: int}}`` — a count per
  member unit over the jurisdiction's subtree (units with nothing may be left out), for the unit
  scorecards (考评), and ``UNIT_ROWS``: ``{"app.name": fn(jurisdiction, period, unit_id) -> QuerySet}`` —
  the records one unit's count counts, for their drill-down;
* optionally ``DECISIONS``: ``{"app.name": (label, fn(jurisdiction) -> (count, [(title, url, note)]))}`` — records
  waiting for a leader's or the office's decision (an extension to approve, a return to review, a task
  to close), newest first, at most ``DECISIONS_SHOWN`` of them listed, for the leadership dashboard.

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
    unit_counts: dict[str, Callable]
    unit_rows: dict[str, Callable]
    decisions: dict[str, Callable]


@cache
def registry() -> Registry:
    counts, rows, evidence, frames = {}, {}, {}, {}
    unit_counts, unit_rows, decisions = {}, {}, {}
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
        unit_counts.update(getattr(module, "UNIT_SOURCES", {}))
        unit_rows.update(getattr(module, "UNIT_ROWS", {}))
        decisions.update(getattr(module, "DECISIONS", {}))
        for category, fn in getattr(module, "EVIDENCE", {}).items():
            evidence.setdefault(category, []).append(fn)
    return Registry(
        counts=counts, rows=rows, evidence=evidence, frames=frames,
        unit_counts=unit_counts, unit_rows=unit_rows, decisions=decisions,
    )  # fmt: skip


def names() -> list[str]:
    return sorted(registry().counts)


def unit_names() -> list[str]:
    return sorted(registry().unit_counts)


def describe(name: str) -> str:
    fn = registry().counts.get(name) or registry().unit_counts.get(name)
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


def unit_counts(name: str, jurisdiction, period: Period) -> dict[int, int]:
    """``{unit_id: count}`` of a unit source; empty for a source no app registers any more."""
    fn = registry().unit_counts.get(name)
    return {} if fn is None else {int(k): int(v) for k, v in fn(jurisdiction, period).items() if k is not None}


def unit_rows(name: str, jurisdiction, period: Period, unit_id: int):
    fn = registry().unit_rows.get(name)
    return None if fn is None else fn(jurisdiction, period, unit_id)


DECISIONS_SHOWN = 5


def decisions(jurisdiction) -> list[dict]:
    """Every registered kind of record awaiting a decision: its label, how many, the newest few."""
    found = []
    for name, (label, fn) in sorted(registry().decisions.items()):
        count, items = fn(jurisdiction)
        found.append({"name": name, "label": label, "count": count, "items": list(items)[:DECISIONS_SHOWN]})
    return found
