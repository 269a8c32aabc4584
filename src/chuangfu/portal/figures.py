"""The service figures the town publishes about itself (in the manner of the 好差评 publication):
closure rate, satisfaction rate and the average answer time, by month over the last twelve,
computed by the desk's own figure definitions (``desk.figures``), for the whole deployment.

They are aggregates over a year of tickets (seconds to compute at a million tickets) and change
slowly, so no page computes them: the queue does every ten minutes (``portal.tasks``) into one
``FiguresSnapshot`` row, which pages read (kept a minute in each process). Only the very first
page after installation, with no snapshot yet, computes them itself.
"""

import datetime

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.desk.figures import Cell, compute
from chuangfu.desk.models import MetricDefinition, Ticket

from .models import FiguresSnapshot

# The figures published, with their names in the reader's language (the desk stores its own in Chinese).
PUBLISHED_METRICS = {
    "closure_rate": _("办结率"),
    "satisfaction_rate": _("满意率"),
    "answer_days_avg": _("平均答复用时"),
}
CACHE_SECONDS = 60  # how long a process keeps the snapshot it read
CACHE_KEY = "portal:figures"


def _compute() -> dict:
    """The figures as JSON: each cell is its value (or None), as ``desk.figures.Cell`` would show it."""
    metrics = list(MetricDefinition.objects.filter(code__in=PUBLISHED_METRICS, active=True))
    today = timezone.localdate()
    since = (today.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    base = Ticket.objects.filter(received_on__gte=since)
    rows, total = compute(base=base, by="month", metrics=metrics)
    codes = [code for code in PUBLISHED_METRICS if any(m.code == code for m in metrics)]

    def value(cell):
        return None if cell is None else cell.value

    return {
        "codes": codes,
        "rows": [{"month": row.label, "cells": [value(row.cells.get(code)) for code in codes]} for row in rows],
        "total": [value(total.cells.get(code)) for code in codes],
        "since": since.isoformat(),
    }


def refresh() -> FiguresSnapshot:
    """Compute the figures now and keep them as the one snapshot (the queue's job)."""
    snapshot, _created = FiguresSnapshot.objects.update_or_create(
        pk=1, defaults={"computed_at": timezone.now(), "data": _compute()}
    )
    cache.delete(CACHE_KEY)
    return snapshot


def _cached() -> dict:
    data = cache.get(CACHE_KEY)
    if data is None:
        snapshot = FiguresSnapshot.objects.filter(pk=1).first() or refresh()
        stored = snapshot.data
        data = {
            "codes": stored["codes"],
            "rows": [{"month": r["month"], "cells": [Cell(v) for v in r["cells"]]} for r in stored["rows"]],
            "total": [Cell(v) for v in stored["total"]],
            "since": datetime.date.fromisoformat(stored["since"]),
            "computed_at": snapshot.computed_at,
        }
        cache.set(CACHE_KEY, data, CACHE_SECONDS)
    return data


def monthly() -> dict:
    """The cached figures (codes only, so a cached copy serves every language) with their names."""
    data = _cached()
    return {**data, "metrics": [(code, PUBLISHED_METRICS[code]) for code in data["codes"]]}


def headline() -> dict:
    """The twelve months' totals: one item per published figure, its value already formatted."""
    data = _cached()
    items = [
        {
            "code": code,
            "name": PUBLISHED_METRICS[code],
            "value": None if cell is None or cell.value is None else cell.display,
        }
        for code, cell in zip(data["codes"], data["total"])
    ]
    return {"items": items, "since": data["since"], "computed_at": data["computed_at"]}
