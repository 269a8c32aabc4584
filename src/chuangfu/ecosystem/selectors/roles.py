"""Who may see what in the ecosystem: the town's office, carrier reviewers, a carrier's operator."""

from chuangfu.core.models import Role
from chuangfu.registry.models import Carrier

from ..workflows import CARRIER_REVIEWER_ROLES, OFFICE_ROLES


def role_of(actor) -> str | None:
    if actor is None or not actor.is_authenticated:
        return None
    return Role.ADMIN if actor.is_superuser else actor.role


def is_office(actor) -> bool:
    return role_of(actor) in OFFICE_ROLES


def can_use(actor) -> bool:
    return is_office(actor) or role_of(actor) == Role.CARRIER_OPERATOR


def can_review_carriers(actor) -> bool:
    return role_of(actor) in CARRIER_REVIEWER_ROLES


def is_operator_of(actor, carrier: Carrier) -> bool:
    return (
        role_of(actor) == Role.CARRIER_OPERATOR
        and actor.unit_id is not None
        and carrier.operator_unit_id == actor.unit_id
    )
