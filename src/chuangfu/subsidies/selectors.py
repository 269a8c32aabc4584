"""Reads the pages, the API, the exports, 公示 and disbursement share, scoped by the actor.

Staff see the applications of their jurisdiction (a town's reviewers their town); an entrepreneur
sees the applications they filled in or that concern their person or enterprise. Anything else is
"not found", never "forbidden".
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core import models as core_models
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import Role, User
from chuangfu.core.scoping import get_scoped_or_404, scope_by_jurisdiction
from chuangfu.core.timeline import events_for
from chuangfu.policies.models import ObtainMode, Policy, Result
from chuangfu.policies.selectors import explain_policy_for
from chuangfu.registry.models import Enterprise, Person

from . import deadlines
from .models import (
    APPLY_MODES,
    GRANTED_STATUSES,
    AmountKind,
    Application,
    ApplicationForm,
    ApplicationMaterial,
    Disbursement,
    DisbursementBatch,
    DisbursementItem,
    EntitlementBatch,
    EntitlementLine,
    EntryOutcome,
    NoticeBatch,
    NoticeEntry,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    Status,
)

STAFF_ROLES = frozenset({Role.REVIEWER, Role.DESK_STAFF, Role.LEADER, Role.ADMIN})


def can_see_queue(actor) -> bool:
    return actor.is_authenticated and (actor.is_superuser or actor.role in STAFF_ROLES)


def staff_who_may_act(application: Application) -> QuerySet[User]:
    """The staff accounts that see ``application``: active, of a queue role, in its jurisdiction or
    one above it (a town's reviewers, a district's). The platform's superusers are not listed: the
    town's own accounts must be able to do the town's work."""
    path = application.jurisdiction.path
    ancestors = ["/".join(path.split("/")[: n + 1]) for n in range(len(path.split("/")))]
    return (
        User.objects.filter(is_active=True, is_superuser=False, role__in=STAFF_ROLES, jurisdiction__path__in=ancestors)
        .select_related("jurisdiction")
        .order_by("role", "display_name", "username")
    )


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


# --- applying: whom for, what is missing, the pre-check ----------------------------------------------


def subjects_for(actor) -> list:
    """The people and enterprises an entrepreneur account may apply for."""
    if actor is None or not actor.is_authenticated or actor.role != Role.ENTREPRENEUR:
        return []
    found = []
    person = Person.objects.filter(account=actor).first()
    if person is not None:
        found.append(person)
    enterprises = Enterprise.objects.filter(account=actor)
    if person is not None:
        enterprises = enterprises | Enterprise.objects.filter(legal_representative=person)
    found += list(enterprises.distinct().order_by("name"))
    return found


def missing_answers(form: ApplicationForm, data: dict) -> list[str]:
    return [f.label for f in form.fields.all() if f.required and not str(data.get(f.key, "")).strip()]


def missing_items(application: Application) -> list[str]:
    """Every required answer and material still missing, all at once."""
    missing = [_("填写“%(label)s”") % {"label": label} for label in missing_answers(application.form, application.data)]
    have = set(application.materials.filter(replaced=False).values_list("requirement_id", flat=True))
    missing += [
        _("上传“%(name)s”") % {"name": m.name}
        for m in application.form.materials.all()
        if m.required and m.pk not in have
    ]
    return missing


@dataclass
class OpenCondition:
    text: str
    status: str
    status_label: str
    actual: str

    def as_dict(self) -> dict:
        return {"text": self.text, "status": self.status, "status_label": self.status_label, "actual": self.actual}


@dataclass
class Precheck:
    result: str  # policies.models.Result
    result_label: str
    open: list  # [OpenCondition]
    error: str = ""  # the rule could not be evaluated (e.g. no version in force)

    @property
    def clean(self) -> bool:
        return not self.open and not self.error


def application_precheck(application: Application) -> Precheck:
    """Every condition of the policy's rule the subject does not meet or that is not known,
    with the subject's value — shown before submission."""
    try:
        explained = explain_policy_for(
            kind=application.subject_kind,
            subject_id=application.subject.pk,
            policy=application.policy,
            on=timezone.localdate(),
        )
    except DomainError as exc:
        return Precheck(result=Result.UNKNOWN, result_label=str(Result.UNKNOWN.label), open=[], error=str(exc.message))
    e = explained.explanation
    found = []

    def walk(outcome):
        if outcome.status == "met":
            return
        if outcome.kind == "condition":
            found.append(OpenCondition(outcome.text, outcome.status, outcome.status_label, outcome.actual))
        for child in outcome.children:
            walk(child)

    for condition in e.conditions:
        walk(condition)
    return Precheck(result=e.result, result_label=str(Result(e.result).label), open=found)


# --- 公示 and 拨付: staff reads start from ``scope_by_jurisdiction`` (another town's batches and
# applications are "not found"); public reads show only what a published notice shows ----------------


def _staff(actor) -> bool:
    return bool(actor and actor.is_authenticated and (actor.is_superuser or actor.role in core_models.STAFF_ROLES))


def _none(model) -> QuerySet:
    return model.objects.none()


# --- 公示 ----------------------------------------------------------------------------------------------


def notice_batches(*, actor) -> QuerySet[NoticeBatch]:
    if not _staff(actor):
        return _none(NoticeBatch)
    open_objections = Objection.objects.filter(
        entry__batch=OuterRef("pk"), status=ObjectionStatus.OPEN, entry__outcome=EntryOutcome.PENDING
    )
    return (
        scope_by_jurisdiction(NoticeBatch.objects.all(), actor)
        .select_related("jurisdiction")
        .annotate(entry_count=Count("entries"), has_open_objections=Exists(open_objections))
    )


def get_notice_batch_for(actor, batch_id) -> NoticeBatch:
    if not _staff(actor):
        raise NotFound()
    return get_scoped_or_404(
        NoticeBatch.objects.select_related("jurisdiction", "created_by", "published_by", "closed_by"),
        actor,
        pk=batch_id,
    )


def notice_entries(batch: NoticeBatch) -> QuerySet[NoticeEntry]:
    open_objections = Objection.objects.filter(entry=OuterRef("pk"), status=ObjectionStatus.OPEN)
    return (
        batch.entries.select_related("application", "application__policy")
        .annotate(
            open_objections=Count("objections", filter=Q(objections__status=ObjectionStatus.OPEN)),
            has_open=Exists(open_objections),
        )
        .order_by("id")
    )


def batch_objections(batch: NoticeBatch) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(entry__batch=batch)
        .select_related("entry__application", "recorded_by", "resolved_by")
        .order_by("status", "-created_at")
    )


def get_objection_for(actor, objection_id) -> Objection:
    return get_scoped_or_404(
        Objection.objects.select_related("entry__batch", "entry__application"), actor, pk=objection_id
    )


def get_entry_for(actor, entry_id) -> NoticeEntry:
    return get_scoped_or_404(
        NoticeEntry.objects.select_related("batch", "application"), actor, field="batch__jurisdiction", pk=entry_id
    )


def notice_candidates(*, actor) -> QuerySet[Application]:
    """Applications in 复审通过 not yet in a live notice: what a new batch can gather."""
    if not _staff(actor):
        return _none(Application)
    live = NoticeEntry.objects.filter(application=OuterRef("pk"), outcome=EntryOutcome.PENDING)
    return (
        scope_by_jurisdiction(Application.objects.filter(status=Status.SECOND_REVIEWED), actor)
        .exclude(Exists(live))
        .select_related("policy", "person", "enterprise", "jurisdiction")
        .order_by("id")
    )


def public_notices(*, today: datetime.date | None = None) -> QuerySet[NoticeBatch]:
    """Notices from publishing to the end of their period, newest first: what the public site lists."""
    today = today or timezone.localdate()
    return (
        NoticeBatch.objects.filter(status__in=[NoticeStatus.PUBLISHED, NoticeStatus.CLOSED], ends_on__gte=today)
        .select_related("jurisdiction")
        .annotate(entry_count=Count("entries"))
        .order_by("-published_at", "-id")
    )


def get_public_notice(number: str) -> NoticeBatch | None:
    """A notice that has been published (in its period or after: a published notice stays readable)."""
    return (
        NoticeBatch.objects.filter(number=number, status__in=[NoticeStatus.PUBLISHED, NoticeStatus.CLOSED])
        .select_related("jurisdiction")
        .first()
    )


# --- 拨付 ----------------------------------------------------------------------------------------------


def disbursement_batches(*, actor) -> QuerySet[DisbursementBatch]:
    if not _staff(actor):
        return _none(DisbursementBatch)
    return (
        scope_by_jurisdiction(DisbursementBatch.objects.all(), actor)
        .select_related("jurisdiction")
        .annotate(item_count=Count("items", distinct=True), paid_count=Count("disbursements", distinct=True))
    )


def get_disbursement_batch_for(actor, batch_id) -> DisbursementBatch:
    if not _staff(actor):
        raise NotFound()
    return get_scoped_or_404(DisbursementBatch.objects.select_related("jurisdiction", "created_by"), actor, pk=batch_id)


def batch_items(batch: DisbursementBatch) -> QuerySet[DisbursementItem]:
    return batch.items.select_related(
        "application__policy", "application__person", "application__enterprise", "application__disbursement"
    ).order_by("id")


def disbursement_candidates(*, actor) -> QuerySet[Application]:
    """Approved applications not yet in a disbursement batch."""
    if not _staff(actor):
        return _none(Application)
    batched = DisbursementItem.objects.filter(application=OuterRef("pk"))
    return (
        scope_by_jurisdiction(Application.objects.filter(status=Status.APPROVED), actor)
        .exclude(Exists(batched))
        .select_related("policy", "person", "enterprise", "jurisdiction")
        .order_by("id")
    )


def unpaid_approved(*, actor) -> QuerySet[Application]:
    """Approved applications waiting for their payment (batched or not)."""
    if not _staff(actor):
        return _none(Application)
    return (
        scope_by_jurisdiction(Application.objects.filter(status=Status.APPROVED), actor)
        .select_related("policy", "person", "enterprise", "jurisdiction")
        .order_by("id")
    )


def get_approved_application_for(actor, application_id) -> Application:
    return get_scoped_or_404(
        Application.objects.select_related("policy", "person", "enterprise"), actor, pk=application_id
    )


def disbursement_list(*, actor, date_from=None, date_to=None, batch=None) -> QuerySet[Disbursement]:
    if not _staff(actor):
        return _none(Disbursement)
    qs = scope_by_jurisdiction(Disbursement.objects.all(), actor).select_related(
        "application__policy", "application__person", "application__enterprise", "jurisdiction", "batch", "recorded_by"
    )
    if date_from:
        qs = qs.filter(paid_on__gte=date_from)
    if date_to:
        qs = qs.filter(paid_on__lte=date_to)
    if batch is not None:
        qs = qs.filter(batch=batch)
    return qs.order_by("-paid_on", "-id")


def rule_text(form: ApplicationForm) -> str:
    """The amount rule in one Chinese sentence, for the applicant."""
    labels = {f.key: f.label for f in form.fields.all()}
    if form.amount_kind == AmountKind.FIXED:
        text = _("定额 %(v)s 元") % {"v": form.amount_value}
    elif form.amount_kind == AmountKind.PER_EMPLOYEE_MONTH:
        text = _("每人每月 %(v)s 元 ×“%(h)s”×“%(m)s”") % {
            "v": form.amount_value,
            "h": labels.get(form.heads_field, form.heads_field),
            "m": labels.get(form.months_field, form.months_field),
        }
    else:
        text = _("“%(f)s”的 %(v)s%%") % {"f": labels.get(form.fees_field, form.fees_field), "v": form.amount_value}
    if form.amount_cap is not None:
        text += _("，最高 %(cap)s 元") % {"cap": form.amount_cap}
    return text


# --- 免申即享 ------------------------------------------------------------------------------------------


def automatic_policies() -> QuerySet[Policy]:
    """The policies obtained without applying (the library is public)."""
    return Policy.objects.filter(obtain_mode=ObtainMode.AUTOMATIC).order_by("title")


def entitlement_batches(*, actor) -> QuerySet[EntitlementBatch]:
    if not _staff(actor):
        return _none(EntitlementBatch)
    included = Q(lines__included=True)
    return (
        scope_by_jurisdiction(EntitlementBatch.objects.all(), actor)
        .select_related("policy", "jurisdiction", "notice")
        .annotate(
            line_count=Count("lines"),
            included_count=Count("lines", filter=included),
            included_amount=Sum("lines__amount", filter=included),
        )
    )


def get_entitlement_batch_for(actor, batch_id) -> EntitlementBatch:
    if not _staff(actor):
        raise NotFound()
    return get_scoped_or_404(
        entitlement_batches(actor=actor).select_related(
            "version", "built_by", "submitted_by", "approved_by", "published_by"
        ),
        actor,
        pk=batch_id,
    )


def entitlement_lines(batch: EntitlementBatch) -> QuerySet[EntitlementLine]:
    return batch.lines.select_related("person", "enterprise", "application", "excluded_by").order_by("id")


def get_entitlement_line_for(batch: EntitlementBatch, line_id) -> EntitlementLine:
    try:
        return entitlement_lines(batch).get(pk=line_id)
    except (EntitlementLine.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
