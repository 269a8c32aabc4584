"""Competitions: a judge's assignments and own scores, entries' progress and the ranking."""

import decimal

from django.db.models import QuerySet
from django.utils.translation import gettext

from chuangfu.core.errors import NotFound

from ..models import Activity, JudgeAssignment, Score


def assignments_of_judge(judge) -> QuerySet:
    return (
        JudgeAssignment.objects.filter(judge=judge)
        .select_related("entry", "entry__activity")
        .order_by("-entry__activity__starts_at", "entry_id")
    )


def get_assignment_of_judge(judge, pk) -> JudgeAssignment:
    try:
        return assignments_of_judge(judge).get(pk=pk)
    except (JudgeAssignment.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def own_scores(assignment: JudgeAssignment) -> dict[int, decimal.Decimal]:
    return dict(assignment.scores.values_list("criterion_id", "value"))


def entries_progress(activity: Activity) -> list[dict]:
    """Each entry with its judges and how many have submitted: no score values (blind)."""
    rows = []
    for entry in activity.entries.prefetch_related("assignments__judge"):
        assignments = list(entry.assignments.all())
        rows.append(
            {
                "entry": entry,
                "judges": [a.judge for a in assignments],
                "submitted": sum(1 for a in assignments if a.submitted_at),
                "assigned": len(assignments),
            }
        )
    return rows


def competition_ranking(activity: Activity) -> list[dict]:
    """Entries ranked by the mean of their judges' totals, with the mean per criterion.
    Only once scoring has closed: before that, scores are sealed."""
    if activity.scoring_closed_at is None:
        raise NotFound(gettext("评分截止后才能查看排名。"))
    criteria = list(activity.criteria.all())
    scores = Score.objects.filter(
        assignment__entry__activity=activity, assignment__submitted_at__isnull=False
    ).values_list("assignment__entry_id", "assignment_id", "criterion_id", "value")
    per_entry: dict[int, dict] = {}
    for entry_id, assignment_id, criterion_id, value in scores:
        data = per_entry.setdefault(entry_id, {"totals": {}, "criteria": {}})
        data["totals"][assignment_id] = data["totals"].get(assignment_id, 0) + value
        data["criteria"].setdefault(criterion_id, []).append(value)
    rows = []
    for entry in activity.entries.all():
        data = per_entry.get(entry.pk, {"totals": {}, "criteria": {}})
        totals = list(data["totals"].values())
        mean = sum(totals) / len(totals) if totals else None
        rows.append(
            {
                "entry": entry,
                "judges": len(totals),
                "mean": mean.quantize(decimal.Decimal("0.01")) if mean is not None else None,
                "criteria": [(c, _mean(data["criteria"].get(c.pk, []))) for c in criteria],
            }
        )
    rows.sort(key=lambda r: (r["mean"] is None, -(r["mean"] or 0), r["entry"].pk))
    for position, row in enumerate(rows, start=1):
        row["rank"] = position if row["mean"] is not None else None
    return rows


def _mean(values):
    return (sum(values) / len(values)).quantize(decimal.Decimal("0.01")) if values else None
