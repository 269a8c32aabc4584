"""Reads for the 公示 and 拨付 stages, shared by the pages, the exports and the API. Staff reads
start from ``scope_by_jurisdiction``: another town's batches and applications are "not found".
Public reads show only what a published notice shows."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from chuangfu.core.errors import NotFound
from chuangfu.core.models import STAFF_ROLES
from chuangfu.core.scoping import get_scoped_or_404, scope_by_jurisdiction

from .models import (
    Application,
    Disbursement,
    DisbursementBatch,
    DisbursementItem,
    EntryOutcome,
    NoticeBatch,
    NoticeEntry,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    Status,
)


def _staff(actor) -> bool:
    return bool(actor and actor.is_authenticated and (actor.is_superuser or actor.role in STAFF_ROLES))


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
    """Notices in their period, newest first: what the public site lists."""
    today = today or timezone.localdate()
    return (
        NoticeBatch.objects.filter(
            status__in=[NoticeStatus.PUBLISHED, NoticeStatus.CLOSED], starts_on__lte=today, ends_on__gte=today
        )
        .select_related("jurisdiction")
        .annotate(entry_count=Count("entries"))
        .order_by("-starts_on", "-id")
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
