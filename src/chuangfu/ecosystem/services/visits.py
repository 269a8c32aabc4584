"""Visits (走访): the office plans them, records them on the spot (on a phone), and turns the
problems raised into desk tickets or into records of another app (``hooks``)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError
from chuangfu.core.models import User
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.core.workflow import fire
from chuangfu.desk.models import Channel
from chuangfu.desk.services import ticket_record_from_origin
from chuangfu.registry.models import Carrier

from ..hooks import problem_destinations
from ..models import Visit, VisitPhoto, VisitProblem
from ..selectors import get_carrier_for, get_visit_for, is_office
from ..workflows import VISIT
from ._common import as_domain_error, clean_text
from .carriers import check_image

MAX_PROBLEMS = 20


def _require_office(actor) -> None:
    if not is_office(actor):
        raise DomainError("forbidden", _("只有镇里的工作人员可以安排和记录走访。"), status=403)


def _clean_visitors(actor, visitors) -> list[User]:
    visitors = list(visitors or [])
    if not visitors:
        raise DomainError("required", _("请选择至少一位走访人员。"))
    ids = visible_jurisdiction_ids(actor)
    for user in visitors:
        if not user.is_staff_role or (ids is not None and user.jurisdiction_id not in ids):
            raise DomainError("visitor", _("走访人员须是本辖区的工作人员：%(name)s。") % {"name": user})
    return visitors


@transaction.atomic
def visit_plan(*, actor, carrier: Carrier, planned_on: datetime.date, purpose: str, visitors, created_at=None) -> Visit:
    """Plan a visit to a carrier of the actor's jurisdiction (another town's carrier is "not found")."""
    _require_office(actor)
    carrier = get_carrier_for(actor, carrier.pk)
    purpose = clean_text(purpose, label=_("走访目的"), max_length=255)
    if planned_on is None:
        raise DomainError("required", _("请填写计划日期。"))
    visitors = _clean_visitors(actor, visitors)
    visit = Visit.objects.create(
        carrier=carrier,
        planned_on=planned_on,
        purpose=purpose,
        created_by=actor,
        created_at=created_at or timezone.now(),
    )
    visit.visitors.set(visitors)
    log_action(
        actor=actor,
        action="ecosystem.visit.planned",
        obj=visit,
        after={"carrier": carrier.pk, "planned_on": planned_on.isoformat(), "purpose": purpose},
        jurisdiction=carrier.jurisdiction_id,
    )
    return visit


def visit_record(
    *,
    actor,
    visit: Visit,
    findings: str,
    attendees: str = "",
    resources_found: str = "",
    problems=(),
    photos=(),
    visited_at=None,
) -> Visit:
    """Record what a visit found: attendees, findings, resources, problems (one per entry) and photos.

    All or nothing: a bad photo or an empty finding saves none of it. Recording twice is refused
    by the machine (the visit is no longer planned).
    """
    _require_office(actor)
    visit = get_visit_for(actor, visit.pk)
    findings = clean_text(findings, label=_("走访发现"), max_length=5000)
    attendees = clean_text(attendees, label=_("参加人员"), max_length=2000, required=False)
    resources_found = clean_text(resources_found, label=_("挖掘的资源"), max_length=5000, required=False)
    problems = [clean_text(p, label=_("问题"), max_length=2000) for p in problems if (p or "").strip()]
    if len(problems) > MAX_PROBLEMS:
        raise DomainError("too_many", _("一次最多记录 %(n)d 个问题。") % {"n": MAX_PROBLEMS})
    photos = [p for p in photos if p]
    for image in photos:
        check_image(image)
    visited_at = visited_at or timezone.now()
    if visited_at > timezone.now() + datetime.timedelta(minutes=5):
        raise DomainError("future", _("走访时间不能晚于现在。"))
    with transaction.atomic():
        recorded = fire(
            VISIT,
            visit,
            "record",
            actor=actor,
            changes={
                "visited_at": visited_at,
                "attendees": attendees,
                "findings": findings,
                "resources_found": resources_found,
                "recorded_by": actor,
            },
            audit_extra={"problems": len(problems), "photos": len(photos)},
            jurisdiction=visit.carrier.jurisdiction_id,
        )
        VisitProblem.objects.bulk_create(VisitProblem(visit=recorded, description=p) for p in problems)
        for image in photos:
            VisitPhoto.objects.create(visit=recorded, image=image, uploaded_by=actor)
    return recorded


def visit_cancel(*, actor, visit: Visit, note: str) -> Visit:
    _require_office(actor)
    visit = get_visit_for(actor, visit.pk)
    return fire(VISIT, visit, "cancel", actor=actor, note=note, jurisdiction=visit.carrier.jurisdiction_id)


def _link(problem: VisitProblem, record) -> None:
    problem.follow_up_type = ContentType.objects.get_for_model(record)
    problem.follow_up_id = record.pk
    problem.followed_up_at = timezone.now()
    problem.save(update_fields=["follow_up_type", "follow_up_id", "followed_up_at"])


def _locked_problem(actor, problem: VisitProblem) -> VisitProblem:
    _require_office(actor)
    get_visit_for(actor, problem.visit_id)
    locked = VisitProblem.objects.select_for_update().select_related("visit__carrier__jurisdiction").get(pk=problem.pk)
    if locked.follow_up_type_id:
        raise DomainError("already_followed_up", _("这个问题已经转办：%(to)s。") % {"to": locked.follow_up})
    return locked


@transaction.atomic
def problem_to_ticket(*, actor, problem: VisitProblem, requester_name: str, requester_mobile: str):
    """One click: the problem becomes a desk ticket raised by the carrier's contact, with the visit
    as its origin. Once only: a second click is told what it already became."""
    problem = _locked_problem(actor, problem)
    visit = problem.visit
    carrier = visit.carrier
    try:
        ticket, _created = ticket_record_from_origin(
            actor=actor,
            origin=visit,
            jurisdiction=carrier.jurisdiction,
            description=_("【走访%(carrier)s发现】%(text)s") % {"carrier": carrier.name, "text": problem.description},
            requester_name=requester_name,
            requester_mobile=requester_mobile,
            channel=Channel.VISIT,
            idempotency_key=f"ecosystem-visit-problem-{problem.pk}",
        )
    except ValidationError as exc:
        raise as_domain_error(exc) from None
    _link(problem, ticket)
    log_action(
        actor=actor,
        action="ecosystem.visit.problem_to_ticket",
        obj=visit,
        after={"problem": problem.pk, "ticket": ticket.number},
        jurisdiction=carrier.jurisdiction_id,
    )
    return ticket


@transaction.atomic
def problem_send(*, actor, problem: VisitProblem, destination: str):
    """Hand the problem to another app's destination (``hooks``), e.g. governance's ledger."""
    offers = problem_destinations()
    if destination not in offers:
        raise DomainError("unknown_destination", _("无法转办到该处。"))
    problem = _locked_problem(actor, problem)
    record = offers[destination].create(actor=actor, problem=problem)
    _link(problem, record)
    log_action(
        actor=actor,
        action="ecosystem.visit.problem_sent",
        obj=problem.visit,
        after={"problem": problem.pk, "to": destination, "record": record.pk},
        jurisdiction=problem.visit.carrier.jurisdiction_id,
    )
    return record
