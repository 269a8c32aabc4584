"""A rule's result for every subject of a frame at once (a full match): each top-level condition's
status as a row of an array, and the result classes read from their sum and least, by the rule of
``evaluate.explain`` (which the property tests hold the two to)."""

from dataclasses import dataclass

import numpy as np

from .context import Context
from .frame import MET, NOT_MET, UNKNOWN, Frame, evaluate
from .nodes import top_conditions


def statuses(rule: dict, ctx: Context, frame: Frame) -> np.ndarray:
    """One row per top-level condition, one column per subject: 2 met, 1 unknown, 0 not met."""
    tops = top_conditions(rule)
    out = np.empty((len(tops), frame.size), dtype=np.int8)
    for i, top in enumerate(tops):
        met, not_met = evaluate(top, ctx, frame)
        row = out[i]  # UNKNOWN + met − not_met (the two are disjoint), without a masked write
        np.add(met, UNKNOWN, out=row, dtype=np.int8, casting="unsafe")
        np.subtract(row, not_met, out=row, casting="unsafe")
    return out


@dataclass
class Outcome:
    """Every subject's result under one rule, as arrays (ineligible subjects are in none)."""

    ids: np.ndarray  # the frame's ids
    eligible: np.ndarray  # masks over ids
    almost: np.ndarray
    unknown: np.ndarray
    is_open: np.ndarray  # one row per top-level condition: not met or not known

    def open_at(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For the subjects at ``rows`` (indices): the first condition not met or not known (the
        one not met, if almost) and how many are; read for the rows a match stores, not all."""
        if not len(self.is_open):
            return np.zeros(len(rows), np.int8), np.zeros(len(rows), np.int8)
        chosen = self.is_open[:, rows]
        return np.argmax(chosen, axis=0).astype(np.int8), np.add.reduce(chosen, axis=0, dtype=np.int8)

    def row(self, i: int) -> tuple:
        """(result, open index, open count) of row ``i``, as ``evaluate.explain`` gives them."""
        if self.eligible[i]:
            return "eligible", None, 0
        result = "almost" if self.almost[i] else "unknown" if self.unknown[i] else "ineligible"
        index, count = self.open_at(np.array([i]))
        return result, int(index[0]), int(count[0])


def outcome(rule: dict, ctx: Context, frame: Frame) -> Outcome:
    """Result classes from the statuses: with n conditions, s their sum and z their least,
    eligible ⇔ s = 2n; almost ⇔ z = 0 and s = 2n − 2 (one not met, the rest met); otherwise
    ineligible ⇔ z = 0; unknown else (the rule of ``evaluate.explain``)."""
    status = statuses(rule, ctx, frame)
    n = status.shape[0]
    if n == 0:
        ones, zeros = np.ones(frame.size, bool), np.zeros(frame.size, bool)
        return Outcome(frame.ids, ones, zeros, zeros, np.zeros((0, frame.size), bool))
    total = np.add.reduce(status, axis=0, dtype=np.int16)
    least = np.minimum.reduce(status, axis=0)
    eligible = total == 2 * n
    almost = (least == NOT_MET) & (total == 2 * n - 2) if n >= 2 else np.zeros(frame.size, bool)
    unknown = ~eligible & (least != NOT_MET)
    return Outcome(frame.ids, eligible, almost, unknown, status != MET)
