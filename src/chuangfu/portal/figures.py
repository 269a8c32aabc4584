"""The service figures the town publishes about itself (in the manner of the 好差评 publication):
closure rate, satisfaction rate and the average answer time, by month over the last twelve,
computed by the desk's own figure definitions (``desk.figures``), for the whole deployment.

They are aggregates over many tickets and change slowly, so they are cached for ten minutes.
"""

import datetime

from django.core.cache import cache
from django.utils import timezone

PUBLISHED_METRICS = ("closure_rate", "satisfaction_rate", "answer_days_avg")
CACHE_SECONDS = 600


def _compute() -> dict:
    from chuangfu.desk.figures import compute
    from chuangfu.desk.models import MetricDefinition, Ticket

    metrics = list(MetricDefinition.objects.filter(code__in=PUBLISHED_METRICS, active=True))
    today = timezone.localdate()
    since = (today.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    base = Ticket.objects.filter(received_on__gte=since)
    rows, total = compute(base=base, by="month", metrics=metrics)
    names = {m.code: str(m.name) for m in metrics}
    return {
        "metrics": [(code, names[code]) for code in PUBLISHED_METRICS if code in names],
        "rows": [
            {"month": row.label, "cells": [row.cells.get(code) for code in PUBLISHED_METRICS if code in names]}
            for row in rows
        ],
        "total": [total.cells.get(code) for code in PUBLISHED_METRICS if code in names],
        "since": since,
        "computed_at": timezone.now(),
    }


def _cached() -> dict:
    key = f"portal:figures:{timezone.localdate():%Y%m%d}"
    data = cache.get(key)
    if data is None:
        data = _compute()
        cache.set(key, data, CACHE_SECONDS)
    return data


def monthly() -> dict:
    return _cached()


def headline() -> dict:
    """The twelve months' totals: one item per published figure, its value already formatted."""
    data = _cached()
    items = [
        {"code": code, "name": name, "value": None if cell is None or cell.value is None else cell.display}
        for (code, name), cell in zip(data["metrics"], data["total"])
    ]
    return {"items": items, "since": data["since"], "computed_at": data["computed_at"]}
