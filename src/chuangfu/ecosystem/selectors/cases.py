"""Case files (创业帮扶档案): scoped lists, and each case's outcome (创业成功, jobs) read from the
registry."""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from chuangfu.core.errors import NotFound
from chuangfu.core.scopes import every_town
from chuangfu.core.scoping import scope_by_jurisdiction
from chuangfu.desk.selectors import tickets_for
from chuangfu.policies.models import Grant, Match, Result
from chuangfu.registry.models import Enterprise, EnterprisePerson, RegistrationStatus

from ..models import CaseFile, QuarterlyReport
from .incubation import incubations_for
from .resources import linkages_for
from .roles import is_office
from .visits import visits_for


def success_months() -> int:
    """How long an enterprise must have operated for its founder to count as helped to start a
    business (创业成功); ``CHUANGFU_SUCCESS_MONTHS`` in the settings, 6 by default."""
    return int(getattr(settings, "CHUANGFU_SUCCESS_MONTHS", 6))


def cases_for(actor) -> QuerySet[CaseFile]:
    if not is_office(actor):
        return CaseFile.objects.none()
    return scope_by_jurisdiction(CaseFile.objects.select_related("person", "helper", "jurisdiction"), actor)


def get_case_for(actor, case_id) -> CaseFile:
    try:
        return cases_for(actor).get(pk=case_id)
    except (CaseFile.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def _months_before(day, months: int):
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue


@dataclass
class CaseOutcome:
    founded: list  # enterprises the person founded or represents, founded on/after the file was opened
    successful: list  # of those, 存续 and operating at least success_months()
    jobs: int  # insured headcount of the successful ones (latest quarterly report, else the registry), or hires if more

    @property
    def success(self) -> bool:
        return bool(self.successful)


@every_town("the outcome of cases already in scope: the enterprises their people founded, wherever registered")
def case_outcomes(cases, *, as_of=None) -> dict[int, CaseOutcome]:
    """The outcome of each case file on ``as_of`` (today by default), read from the registry,
    the quarterly figures and hires."""

    cases = list(cases)
    if not cases:
        return {}
    by_person = {c.person_id: c for c in cases}
    links = EnterprisePerson.objects.filter(
        person_id__in=by_person,
        relation__in=[EnterprisePerson.Relation.FOUNDER, EnterprisePerson.Relation.LEGAL_REPRESENTATIVE],
    ).values_list("person_id", "enterprise_id")
    owned: dict[int, set[int]] = {}
    for person_id, enterprise_id in links:
        owned.setdefault(person_id, set()).add(enterprise_id)
    for person_id, enterprise_id in Enterprise.objects.filter(legal_representative_id__in=by_person).values_list(
        "legal_representative_id", "pk"
    ):
        owned.setdefault(person_id, set()).add(enterprise_id)
    enterprises = Enterprise.objects.in_bulk({e for ids in owned.values() for e in ids})
    headcount = {}
    for enterprise_id, count in (
        QuarterlyReport.objects.filter(incubation__enterprise_id__in=enterprises)
        .order_by("incubation__enterprise_id", "year", "quarter")
        .values_list("incubation__enterprise_id", "insured_headcount")
    ):
        headcount[enterprise_id] = count  # the latest quarter wins
    hires = {}
    if apps.is_installed("chuangfu.activities"):
        from django.db.models import Count

        Hire = apps.get_model("activities", "Hire")
        hires = dict(
            Hire.objects.filter(posting__enterprise_id__in=enterprises)
            .values_list("posting__enterprise_id")
            .annotate(n=Count("pk"))
            .values_list("posting__enterprise_id", "n")
        )
    cutoff = _months_before(as_of or timezone.localdate(), success_months())
    result = {}
    for person_id, case in by_person.items():
        founded = sorted(
            (
                enterprises[e]
                for e in owned.get(person_id, ())
                if enterprises[e].founded_on and enterprises[e].founded_on >= case.opened_on
            ),
            key=lambda e: e.founded_on,
        )
        successful = [
            e for e in founded if e.registration_status == RegistrationStatus.ACTIVE and e.founded_on <= cutoff
        ]
        jobs = sum(max(headcount.get(e.pk, e.insured_employees or 0), hires.get(e.pk, 0)) for e in successful)
        result[case.pk] = CaseOutcome(founded, successful, jobs)
    return result


def case_history(*, actor, case: CaseFile) -> dict:
    """Everything the platform knows of the person, gathered for the case file page: what is
    recorded against the person, their account, or an enterprise they founded or represent.
    Apps on the same floor (activities, subsidies) are read through the app registry, not
    imported."""

    person = case.person
    outcome = case_outcomes([case])[case.pk]
    enterprise_ids = {e.pk for e in outcome.founded} | set(
        person.enterprise_links.values_list("enterprise_id", flat=True)
    )
    enterprise_ids |= set(person.represented_enterprises.values_list("pk", flat=True))
    theirs = Q(person=person) | Q(enterprise_id__in=enterprise_ids)
    history = {
        "outcome": outcome,
        "tickets": list(tickets_for(actor).filter(theirs)[:50]),
        # A re-evaluation writes a row whatever the result: only 符合 is a match.
        "matches": list(Match.objects.filter(theirs, result=Result.ELIGIBLE).select_related("policy")[:50]),
        "grants": list(Grant.objects.filter(theirs).select_related("policy")[:50]),
        "linkages": list(
            linkages_for(actor).filter(Q(need__person=person) | Q(need__enterprise_id__in=enterprise_ids))
        ),
        "incubations": list(incubations_for(actor).filter(enterprise_id__in=enterprise_ids)),
        "visits": list(
            visits_for(actor).filter(carrier__incubations__enterprise_id__in=enterprise_ids).distinct()[:20]
        ),
        "registrations": [],
        "mentoring": [],
        "applications": [],
    }
    account = Q(pk__in=[])  # nothing, unless the person has an account
    if person.account_id:
        account = Q(user_id=person.account_id)
    if apps.is_installed("chuangfu.activities"):
        Registration = apps.get_model("activities", "Registration")
        MentoringRequest = apps.get_model("activities", "MentoringRequest")
        history["registrations"] = list(
            Registration.objects.filter(Q(person=person) | account)
            .select_related("activity")
            .order_by("-activity__starts_at")[:50]
        )
        asked = Q(requester_id=person.account_id) if person.account_id else Q(pk__in=[])
        history["mentoring"] = list(
            MentoringRequest.objects.filter(theirs | asked).prefetch_related("sessions__mentor").order_by("-pk")[:20]
        )
    if apps.is_installed("chuangfu.subsidies"):
        Application = apps.get_model("subsidies", "Application")
        history["applications"] = list(Application.objects.filter(theirs).select_related("policy")[:20])
    return history


def case_figures(*, actor) -> dict:
    """The town's count of people helped to start a business and the jobs their enterprises
    created, from the case files (with the rows behind them for drill-down)."""
    cases = list(cases_for(actor))
    outcomes = case_outcomes(cases)
    rows = [(c, outcomes[c.pk]) for c in cases]
    return {
        "cases": len(cases),
        "helped": sum(1 for _c, o in rows if o.success),
        "jobs": sum(o.jobs for _c, o in rows),
        "rows": rows,
        "months": success_months(),
    }
