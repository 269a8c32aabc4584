"""Reads the pages (and later the API, 公示 and disbursement) share, scoped by the actor.

Staff see the applications of their jurisdiction (a town's reviewers their town); an entrepreneur
sees the applications they filled in or that concern their person or enterprise. Anything else is
"not found", never "forbidden".
"""

from django.db.models import Q, QuerySet

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Role
from chuangfu.core.scoping import scope_by_jurisdiction
from chuangfu.core.timeline import events_for
from chuangfu.policies.models import Policy

from . import deadlines
from .models import GRANTED_STATUSES, Application, ApplicationMaterial, Status

STAFF_ROLES = frozenset({Role.REVIEWER, Role.DESK_STAFF, Role.LEADER, Role.ADMIN})


def can_see_queue(actor) -> bool:
    return actor.is_authenticated and (actor.is_superuser or actor.role in STAFF_ROLES)


def _base() -> QuerySet:
    return Application.objects.select_related("policy", "person", "enterprise", "jurisdiction")


def applications_mine(actor) -> QuerySet:
    if not actor.is_authenticated or actor.role != Role.ENTREPRENEUR:
        return Application.objects.none()
    return _base().filter(Q(created_by=actor) | Q(person__account=actor) | Q(enterprise__account=actor))


def applications_for_staff(actor, *, status: str = "", policy_id=None, q: str = "", flag: str = "") -> QuerySet:
    """The queue: scoped to the actor's jurisdiction, filtered; drafts are the applicant's own."""
    if not can_see_queue(actor):
        return Application.objects.none()
    qs = scope_by_jurisdiction(_base(), actor).exclude(status=Status.DRAFT)
    if status in Status.values:
        qs = qs.filter(status=status)
    if policy_id:
        qs = qs.filter(policy_id=policy_id)
    if q:
        q = q.strip()
        qs = qs.filter(Q(number__icontains=q) | Q(person__name__icontains=q) | Q(enterprise__name__icontains=q))
    if flag == deadlines.OVERDUE:
        qs = qs.filter(deadlines.overdue_q())
    elif flag == deadlines.DUE_SOON:
        qs = qs.filter(deadlines.due_soon_q())
    elif flag == "deemed":
        qs = qs.filter(deemed_accepted_on__isnull=False)
    elif flag == "fault":
        qs = qs.filter(process_fault=True)
    return qs.order_by("-id")


def get_application_for(actor, pk) -> Application:
    """One application the actor may see (theirs, or in their scope), else ``NotFound``."""
    if actor.is_authenticated and actor.role == Role.ENTREPRENEUR:
        qs = applications_mine(actor)
    elif can_see_queue(actor):
        qs = scope_by_jurisdiction(_base(), actor)
    else:
        raise NotFound()
    try:
        return qs.select_related(
            "form", "version", "carrier", "created_by", "submitted_by", "first_reviewer", "second_reviewer"
        ).get(pk=pk)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def get_material_for(actor, application_pk, material_pk) -> ApplicationMaterial:
    application = get_application_for(actor, application_pk)
    try:
        return application.materials.get(pk=material_pk)
    except (ApplicationMaterial.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def timeline(application: Application, *, staff: bool):
    """The application's steps (core.TimelineEvent): all of them for staff, the public ones for the applicant."""
    return events_for(Application, application.pk, public_only=not staff)


def policies_open_for_applications() -> QuerySet:
    """Policies with a form on their version in force today (what 申请补贴 offers)."""
    from .services.forms import APPLY_MODES

    return Policy.objects.filter(obtain_mode__in=APPLY_MODES, versions__application_form__isnull=False).distinct()


# --- for 公示 and disbursement ---------------------------------------------------------------------


def applications_decided(actor, *, policy_id=None) -> QuerySet:
    """复审通过 and waiting for 公示, in the actor's scope."""
    qs = applications_for_staff(actor, status=Status.SECOND_REVIEWED, policy_id=policy_id)
    return qs


def applications_granted(actor, *, policy_id=None) -> QuerySet:
    qs = applications_for_staff(actor, policy_id=policy_id).filter(status__in=GRANTED_STATUSES)
    return qs


def approved_amount(application: Application):
    """The amount to pay: the reviewer's if set, else the one computed from the rule."""
    return application.amount
