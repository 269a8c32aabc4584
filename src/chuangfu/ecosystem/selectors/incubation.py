"""Incubation (入孵 → 在孵 → 毕业/迁出/注销), quarterly imports and each carrier's quarterly figures."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Job
from chuangfu.registry.models import Carrier, RegistrationStatus

from ..models import Incubation, IncubationStatus
from .carriers import carriers_for, get_carrier_for


def incubations_for(actor) -> QuerySet[Incubation]:
    """Hosted enterprises of the carriers the actor may work with (an operator: their own)."""
    return Incubation.objects.filter(carrier__in=carriers_for(actor).values("pk")).select_related(
        "carrier", "enterprise", "carrier__jurisdiction"
    )


def get_incubation_for(actor, incubation_id) -> Incubation:
    try:
        return incubations_for(actor).get(pk=incubation_id)
    except (Incubation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


QUARTERLY_IMPORT_KIND = "ecosystem.quarterly_import"


def get_quarterly_import_for(actor, carrier_id, job_id) -> Job:
    """A quarterly import (a job) of a carrier the actor may work with; anything else is not found."""
    carrier = get_carrier_for(actor, carrier_id)
    try:
        return Job.objects.get(pk=job_id, kind=QUARTERLY_IMPORT_KIND, params__carrier=carrier.pk)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass
class CarrierIncubationFigures:
    carrier: Carrier
    hosted: int  # 入孵 and 在孵 now
    graduated: int
    ever: int
    surviving: int  # of those ever hosted, still 存续 in the registry

    @property
    def occupancy(self) -> float | None:
        total = self.carrier.workstations_total
        return (total - self.carrier.workstations_free) / total if total else None

    @property
    def survival(self) -> float | None:
        return self.surviving / self.ever if self.ever else None


def incubation_figures(*, actor) -> list[CarrierIncubationFigures]:
    """Per carrier: hosted now, graduated, ever hosted and how many of those still operate."""

    rows = (
        incubations_for(actor)
        .values("carrier_id")
        .annotate(
            hosted=Count("pk", filter=Q(status__in=[IncubationStatus.ADMITTED, IncubationStatus.INCUBATING])),
            graduated=Count("pk", filter=Q(status=IncubationStatus.GRADUATED)),
            ever=Count("enterprise", distinct=True),
            surviving=Count(
                "enterprise", distinct=True, filter=Q(enterprise__registration_status=RegistrationStatus.ACTIVE)
            ),
        )
        .order_by()
    )
    carriers = carriers_for(actor).in_bulk([r["carrier_id"] for r in rows])
    result = [
        CarrierIncubationFigures(carriers[r["carrier_id"]], r["hosted"], r["graduated"], r["ever"], r["surviving"])
        for r in rows
        if r["carrier_id"] in carriers
    ]
    result.sort(key=lambda f: (-f.hosted, f.carrier.name))
    return result
