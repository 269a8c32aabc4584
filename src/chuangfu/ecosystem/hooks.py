"""Where a problem found on a visit can go, without importing the app that takes it.

The desk is below the ecosystem, so "turn into a desk ticket" is built in (``services.visits``).
An app on the same floor (governance's ledger) cannot be imported from here, nor import this
module; it offers itself by giving its ``AppConfig`` a plain attribute::

    ecosystem_problem_destination = {"label": _("转为台账任务"), "create": make_task}

where ``make_task(*, actor, problem)`` returns the record it made (anything with a primary key;
its ``str()`` and ``get_absolute_url()`` are shown). ``problem`` is an
``ecosystem.VisitProblem`` (``description``, ``visit.carrier``, ``visit.get_absolute_url()``).
The visit page offers every destination found; the problem keeps a generic link to what it became.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class ProblemDestination:
    code: str  # the offering app's label
    label: str
    create: Callable


def problem_destinations() -> dict[str, ProblemDestination]:
    found = {}
    for config in apps.get_app_configs():
        offer = getattr(config, "ecosystem_problem_destination", None)
        if isinstance(offer, dict) and callable(offer.get("create")):
            found[config.label] = ProblemDestination(
                config.label, str(offer.get("label", config.verbose_name)), offer["create"]
            )
    return found


@dataclass(frozen=True)
class CarrierEvent:
    """Something coming up at a carrier, as its public page lists it."""

    title: str
    starts_at: object  # an aware datetime
    place: str
    status: str  # the state's label, in the user's language
    url: str  # its public page


@dataclass(frozen=True)
class CarrierEvents:
    label: str
    events: list[CarrierEvent]
    total: int
    more_url: str


def carrier_events(carrier, *, limit: int = 5) -> list[CarrierEvents]:
    """What apps on the same floor hold at ``carrier``, for its public page. An app offers it by
    giving its ``AppConfig`` a plain attribute (the activities app offers its activities)::

        ecosystem_carrier_events = {"label": _("这里即将举办的活动"), "upcoming": upcoming}

    where ``upcoming(*, carrier, limit)`` returns ``(rows, total, more_url)``: at most ``limit``
    rows (dicts with the fields of ``CarrierEvent``) of what the public may see there and that has
    not ended yet, soonest first, the number of them, and the public page listing them all."""
    found = []
    for config in apps.get_app_configs():
        offer = getattr(config, "ecosystem_carrier_events", None)
        if isinstance(offer, dict) and callable(offer.get("upcoming")):
            rows, total, more_url = offer["upcoming"](carrier=carrier, limit=limit)
            found.append(
                CarrierEvents(
                    str(offer.get("label", config.verbose_name)), [CarrierEvent(**row) for row in rows], total, more_url
                )
            )
    return found
