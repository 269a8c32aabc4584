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
