"""A task measured by a live figure (issue 13: "target … or an indicator with a target value").

The figure is one of the named sources the apps register for the indicators app
(``<app>/indicator_sources.py``, gathered by ``chuangfu.indicators.sources``), counted over the
task's town from the task's start to today, against the task's target value. The indicators app
sits above governance, so its registry is looked up at run time behind ``apps.is_installed``,
never imported (decision 26): without the indicators app, or for a source no app registers any
more, the figure is "no data" and the task keeps the figure its reports give it.
"""

import datetime
import importlib
from dataclasses import dataclass

from django.apps import apps
from django.utils import timezone


def _registry():
    if not apps.is_installed("chuangfu.indicators"):
        return None
    return importlib.import_module("chuangfu.indicators.sources")


def source_choices() -> list[tuple[str, str]]:
    """``(name, "name — what it counts")`` of every registered source, for the task form."""
    registry = _registry()
    if registry is None:
        return []
    return [(name, f"{name} — {registry.describe(name)}") for name in registry.names()]


@dataclass(frozen=True)
class LiveFigure:
    source: str
    description: str
    value: int | None  # None: no data (the source is gone, or the indicators app is not installed)
    target: int
    since: datetime.date
    as_of: datetime.date

    @property
    def percent(self) -> int | None:
        if self.value is None:
            return None
        return min(100, self.value * 100 // self.target)


def live_figure(task, *, today: datetime.date | None = None) -> LiveFigure | None:
    """The task's live figure now, or None when its target is not a live indicator."""
    if not task.target_source or not task.target_value:
        return None
    today = today or timezone.localdate()
    registry = _registry()
    value, description = None, ""
    if registry is not None and task.target_source in registry.names():
        description = registry.describe(task.target_source)
        end = max(task.starts_on, today)
        value = registry.count(task.target_source, task.jurisdiction, registry.Period(task.starts_on, end))
    return LiveFigure(task.target_source, description, value, task.target_value, task.starts_on, today)
