"""Carriers and their operators' changes for staff, scoped by the actor; carriers for the public."""

from django.db.models import Q, QuerySet

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Jurisdiction, Role, User
from chuangfu.core.scoping import scope_by_jurisdiction
from chuangfu.core.search import bounded_terms
from chuangfu.registry.models import Carrier

from ..models import CarrierChange, CarrierChangeStatus
from .roles import can_use, role_of


def carriers_for(actor) -> QuerySet[Carrier]:
    """Carriers the actor may work with: the office's jurisdiction, or the operator's own."""
    qs = Carrier.objects.select_related("jurisdiction", "operator_unit", "site")
    if not can_use(actor):
        return qs.none()
    qs = scope_by_jurisdiction(qs, actor)
    if role_of(actor) == Role.CARRIER_OPERATOR:
        return qs.filter(operator_unit_id=actor.unit_id) if actor.unit_id else qs.none()
    return qs


def carrier_list(*, actor, kind: str = "", q: str = "") -> QuerySet[Carrier]:
    qs = carriers_for(actor)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q))
    return qs.order_by("jurisdiction__path", "kind", "name")


def get_carrier_for(actor, carrier_id) -> Carrier:
    try:
        return carriers_for(actor).get(pk=carrier_id)
    except (Carrier.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def changes_for(actor) -> QuerySet[CarrierChange]:
    return CarrierChange.objects.filter(carrier__in=carriers_for(actor).values("pk")).select_related(
        "carrier", "submitted_by", "decided_by"
    )


def get_change_for(actor, change_id) -> CarrierChange:
    try:
        return changes_for(actor).get(pk=change_id)
    except (CarrierChange.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def waiting_changes(*, actor) -> QuerySet[CarrierChange]:
    return changes_for(actor).filter(status=CarrierChangeStatus.SUBMITTED).order_by("submitted_at")


def operator_accounts(carrier: Carrier):
    if not carrier.operator_unit_id:
        return User.objects.none()
    return User.objects.filter(role=Role.CARRIER_OPERATOR, unit_id=carrier.operator_unit_id, is_active=True)


def public_carriers(*, kind: str = "", q: str = "", town_id: int | None = None) -> QuerySet[Carrier]:
    """The public directory: carriers whose site the town publishes, by kind, a word of their
    name, address or services, and town (its villages included)."""
    qs = Carrier.objects.filter(site__published=True).select_related("site", "jurisdiction")
    if kind:
        qs = qs.filter(kind=kind)
    for term in bounded_terms(q.split()):
        qs = qs.filter(Q(name__icontains=term) | Q(services__icontains=term) | Q(address__icontains=term))
    if town_id:
        town = Jurisdiction.objects.filter(pk=town_id).first()
        qs = qs.filter(jurisdiction__path__startswith=town.path) if town else qs.none()
    return qs.order_by("jurisdiction__path", "kind", "name", "pk")


def get_public_carrier(carrier_id) -> Carrier:
    try:
        return Carrier.objects.select_related("site", "jurisdiction").get(pk=carrier_id, site__published=True)
    except (Carrier.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def public_carrier_towns() -> list[Jurisdiction]:
    """The towns with a published carrier (in the town or one of its villages)."""
    paths = set(Carrier.objects.filter(site__published=True).values_list("jurisdiction__path", flat=True).distinct())
    towns = Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN).order_by("path")
    return [t for t in towns if any(p == t.path or p.startswith(t.path + "/") for p in paths)]
