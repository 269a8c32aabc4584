"""Visits (走访) to carriers and enterprises, scoped by the actor."""

from django.db.models import QuerySet
from django.utils import timezone

from chuangfu.core.errors import NotFound
from chuangfu.core.models import User
from chuangfu.core.scoping import scope_by_jurisdiction

from ..models import Visit, VisitStatus
from ..workflows import OFFICE_ROLES
from .carriers import carriers_for


def visits_for(actor) -> QuerySet[Visit]:
    """Visits to the carriers the actor may see (an operator sees those of their own carriers)."""
    return Visit.objects.filter(carrier__in=carriers_for(actor).values("pk")).select_related(
        "carrier", "carrier__jurisdiction", "recorded_by"
    )


def visit_list(*, actor, status: str = "", overdue: bool = False, carrier_id=None) -> QuerySet[Visit]:
    qs = visits_for(actor)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=VisitStatus.PLANNED, planned_on__lt=timezone.localdate())
    if carrier_id:
        qs = qs.filter(carrier_id=carrier_id)
    return qs.prefetch_related("visitors").order_by("-planned_on", "-id")


def get_visit_for(actor, visit_id) -> Visit:
    try:
        return visits_for(actor).get(pk=visit_id)
    except (Visit.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def overdue_visit_count(actor) -> int:
    return visits_for(actor).filter(status=VisitStatus.PLANNED, planned_on__lt=timezone.localdate()).count()


def visitor_choices(actor):
    """Staff of the actor's jurisdiction who go on visits (desk staff, leaders, admins)."""
    return scope_by_jurisdiction(User.objects.filter(is_active=True, role__in=OFFICE_ROLES), actor).order_by(
        "display_name", "username"
    )
