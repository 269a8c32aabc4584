"""The service figures the town publishes about itself (in the manner of the 好差评 publication):
closure rate, satisfaction rate and the average answer time, by month over the last twelve,
computed by the desk's own figure definitions (``desk.figures``), for the whole deployment.

They are aggregates over many tickets and change slowly, so they are cached for ten minutes.
"""

import datetime

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The figures published, with their names in the reader's language (the desk stores its own in Chinese).
PUBLISHED_METRICS = {
    "closure_rate": _("办结率"),
    "satisfaction_rate": _("满意率"),
    "answer_days_avg": _("平均答复用时"),
}
CACHE_SECONDS = 600


def _compute() -> dict:
    from chuangfu.desk.figures import compute
    from chuangfu.desk.models import MetricDefinition, Ticket

    metrics = list(MetricDefinition.objects.filter(code__in=PUBLISHED_METRICS, active=True))
    today = timezone.localdate()
    since = (today.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    base = Ticket.objects.filter(received_on__gte=since)
    rows, total = compute(base=base, by="month", metrics=metrics)
    codes = [code for code in PUBLISHED_METRICS if any(m.code == code for m in metrics)]
    return {
        "codes": codes,
        "rows": [{"month": row.label, "cells": [row.cells.get(code) for code in codes]} for row in rows],
        "total": [total.cells.get(code) for code in codes],
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
