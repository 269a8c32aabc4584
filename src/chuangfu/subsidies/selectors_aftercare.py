"""Reads of life after payment (obligations, their checks, recoveries), scoped by the actor.

Staff of the release roles see their jurisdiction's; a beneficiary sees the obligations and
recoveries of their own applications and of the grants imported for them. Anything else is "not found".
"""

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Role
from chuangfu.core.scoping import scope_by_jurisdiction

from .models import (
    OPEN_RECOVERY,
    Obligation,
    ObligationKind,
    ObligationStatus,
    ObligationTerm,
    Recovery,
    RecoveryStatus,
)
from .selectors import applications_mine

UNFINISHED = "unfinished"  # 待决定 or 追回中
# Obligations: the queue's roles (desk staff hand in a report for a beneficiary at the window);
# recoveries: those of 公示 and 拨付 (names and amounts owed).
OBLIGATION_ROLES = frozenset({Role.REVIEWER, Role.DESK_STAFF, Role.LEADER, Role.ADMIN})
RECOVERY_ROLES = frozenset({Role.REVIEWER, Role.LEADER, Role.ADMIN})


def can_see_obligations(actor) -> bool:
    return actor.is_authenticated and (actor.is_superuser or actor.role in OBLIGATION_ROLES)


def can_see_recoveries(actor) -> bool:
    return actor.is_authenticated and (actor.is_superuser or actor.role in RECOVERY_ROLES)


def _obligations() -> QuerySet:
    return Obligation.objects.select_related(
        "application__policy",
        "application__person",
        "application__enterprise",
        "grant__policy",
        "grant__person",
        "grant__enterprise",
        "enterprise",
    )


def obligations_for_staff(actor, *, status: str = "", kind: str = "", q: str = "") -> QuerySet:
    if not can_see_obligations(actor):
        return Obligation.objects.none()
    qs = scope_by_jurisdiction(_obligations(), actor)
    if status in ObligationStatus.values:
        qs = qs.filter(status=status)
    if kind in ObligationKind.values:
        qs = qs.filter(kind=kind)
    q = (q or "").strip()[:64]
    if q:
        qs = qs.filter(
            Q(application__number__icontains=q)
            | Q(title__icontains=q)
            | Q(application__policy__title__icontains=q)
            | Q(application__enterprise__name__icontains=q)
            | Q(grant__reference__icontains=q)
            | Q(grant__policy__title__icontains=q)
            | Q(grant__enterprise__name__icontains=q)
        )
    return qs.order_by("status", "due_on", "id")


def _mine(actor) -> Q:
    """Of the actor's own applications, or of grants imported for their person or enterprise."""
    return (
        Q(application__in=applications_mine(actor).values("pk"))
        | Q(grant__person__account=actor)
        | Q(grant__enterprise__account=actor)
    )


def obligations_mine(actor) -> QuerySet:
    if not actor.is_authenticated or actor.role != Role.ENTREPRENEUR:
        return Obligation.objects.none()
    return _obligations().filter(_mine(actor))


def get_obligation_for(actor, pk) -> Obligation:
    if actor.is_authenticated and actor.role == Role.ENTREPRENEUR:
        qs = obligations_mine(actor)
    elif can_see_obligations(actor):
        qs = scope_by_jurisdiction(_obligations(), actor)
    else:
        raise NotFound()
    try:
        return qs.get(pk=pk)
    except (Obligation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def obligation_checks(obligation: Obligation) -> QuerySet:
    return obligation.checks.select_related("by").order_by("-at", "-id")


def _recoveries() -> QuerySet:
    repaid = Coalesce(Sum("repayments__amount"), Value(0), output_field=DecimalField(max_digits=14, decimal_places=2))
    return Recovery.objects.select_related(
        "application__policy",
        "application__person",
        "application__enterprise",
        "grant__policy",
        "grant__person",
        "grant__enterprise",
        "obligation",
        "decided_by",
    ).annotate(repaid_sum=repaid)


def recoveries_for_staff(actor, *, status: str = "") -> QuerySet:
    if not can_see_recoveries(actor):
        return Recovery.objects.none()
    qs = scope_by_jurisdiction(_recoveries(), actor)
    if status == UNFINISHED:
        qs = qs.filter(status__in=OPEN_RECOVERY)
    elif status in RecoveryStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-opened_at", "-id")


def recoveries_mine(actor) -> QuerySet:
    if not actor.is_authenticated or actor.role != Role.ENTREPRENEUR:
        return Recovery.objects.none()
    return _recoveries().filter(_mine(actor))


def get_recovery_for(actor, pk) -> Recovery:
    if actor.is_authenticated and actor.role == Role.ENTREPRENEUR:
        qs = recoveries_mine(actor)
    elif can_see_recoveries(actor):
        qs = scope_by_jurisdiction(_recoveries(), actor)
    else:
        raise NotFound()
    try:
        return qs.get(pk=pk)
    except (Recovery.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def recovery_events(recovery: Recovery, *, staff: bool):
    from chuangfu.core.timeline import events_for

    return events_for(Recovery, recovery.pk, public_only=not staff)


def obligation_terms(version) -> QuerySet:
    return ObligationTerm.objects.filter(version=version).order_by("position", "id")
