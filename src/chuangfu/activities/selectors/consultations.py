"""Consultations raised at an activity: desk tickets whose origin it is. Activities work
without the desk; then there are none."""

from django.apps import apps

from ..models import Activity


def activity_consultations(activity: Activity, *, actor) -> dict | None:
    """Consultations raised at ``activity`` (desk tickets whose origin it is): counts by state
    for everyone who runs the activity, and the tickets themselves only as far as the desk lets
    ``actor`` see them (a unit liaison sees only their unit's). None without the desk."""
    if not desk_available():
        return None
    # Not a cycle: the desk is optional, and its modules load only when it is installed.
    from chuangfu.desk import selectors as desk
    from chuangfu.desk.models import FINISHED_STATUSES, OPEN_STATUSES, Status

    counts = desk.origin_ticket_counts(Activity, [activity.pk]).get(activity.pk, {})
    visible = list(
        desk.tickets_with_origin(activity, actor=actor)
        .select_related("category", "lead_unit")
        .order_by("received_at", "id")
    )
    total = sum(n for status, n in counts.items() if status != Status.MERGED)
    return {
        "total": total,
        "open": sum(counts.get(s, 0) for s in OPEN_STATUSES),
        "answered": counts.get(Status.ANSWERED, 0),
        "closed": sum(counts.get(s, 0) for s in FINISHED_STATUSES),
        "tickets": visible,
        "hidden": max(total - sum(1 for t in visible if t.status != Status.MERGED), 0),
    }


DESK_APP = "chuangfu.desk"


def desk_available() -> bool:
    """Whether the desk is installed (activities work without it: no consultations then)."""
    return apps.is_installed(DESK_APP)


def consultation_counts(ids) -> dict[int, int]:
    """Consultations (desk tickets, duplicates merged away not counted) per activity id."""
    if not desk_available():
        return {}
    # Not a cycle: the desk is optional, and its modules load only when it is installed.
    from chuangfu.desk import selectors as desk
    from chuangfu.desk.models import Status

    return {
        pk: sum(n for status, n in by_status.items() if status != Status.MERGED)
        for pk, by_status in desk.origin_ticket_counts(Activity, ids).items()
    }


def consultation_categories(activity: Activity):
    """The desk categories a consultation at ``activity`` may be filed under (empty without the desk)."""
    if not desk_available():
        return []
    # Not a cycle: the desk is optional, and its modules load only when it is installed.
    from chuangfu.desk.models import Category

    town = activity.jurisdiction.town or activity.jurisdiction
    return list(Category.objects.filter(jurisdiction=town, active=True).order_by("order", "id"))
