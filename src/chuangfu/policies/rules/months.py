"""Social-insurance months (``registry.InsuranceMonth``), counted on an evaluation date, both ways:
per subject in Python and over a whole kind in numpy, held equal by the property tests.

A month counts when it is before the month of the evaluation date: the extract records the
months paid, and the current month is not complete. "Continuous" is the run of insured months
that ends with the month before the evaluation date's month (a gap, or no payment last month,
ends it). Months are numbered from 1970-01 (``month_index``).
"""

import datetime

import numpy as np


def month_index(day: datetime.date) -> int:
    return (day.year - 1970) * 12 + day.month - 1


def total(months, on: datetime.date) -> int:
    """Distinct insured months before the month of ``on``."""
    last = month_index(on)
    return len({m for m in months if m < last})


def continuous(months, on: datetime.date) -> int:
    """Insured months in a row ending with the month before the month of ``on``."""
    have, n, m = set(months), 0, month_index(on) - 1
    while m in have:
        n, m = n + 1, m - 1
    return n


def _distinct(groups: np.ndarray, months: np.ndarray, on: datetime.date):
    """(group, months back from last month) of the distinct pairs counted on ``on``, sorted by
    group and then from the most recent month."""
    back = month_index(on) - 1 - months
    keep = back >= 0
    groups, back = groups[keep], back[keep]
    if not len(groups):
        return groups, back
    width = int(back.max()) + 1
    key = np.unique(groups.astype(np.int64) * width + back)
    return key // width, key % width


def totals(groups: np.ndarray, months: np.ndarray, size: int, on: datetime.date) -> np.ndarray:
    """``total`` of every group 0 … size − 1 (rows of ``groups`` < 0 belong to none)."""
    keep = groups >= 0
    group, _back = _distinct(groups[keep], months[keep], on)
    return np.bincount(group, minlength=size)[:size]


def runs(groups: np.ndarray, months: np.ndarray, size: int, on: datetime.date) -> np.ndarray:
    """``continuous`` of every group: within a group the months back from last month, sorted,
    form the run exactly while each equals its rank (0, 1, 2, …)."""
    keep = groups >= 0
    group, back = _distinct(groups[keep], months[keep], on)
    if not len(group):
        return np.zeros(size, np.int64)
    starts = np.searchsorted(group, group, side="left")
    rank = np.arange(len(group)) - starts
    return np.bincount(group[back == rank], minlength=size)[:size]
