"""免申即享: reviewing, approving and publishing an entitlement batch (``workflows.ENTITLEMENT``).

* Reviewers exclude a line with a reason, or take it back in, while the batch is 待审核
  (``entitlement_line_exclude`` / ``entitlement_line_include``), then submit it (提交审批).
* The leadership (领导小组 or the office) approves it (批准发放) or returns it with its opinion.
* A reviewer publishes the approved batch (``entitlement_batch_publish``): in one transaction,
  under the batch's row lock (a second click waits, then is told it was published), each included
  line becomes an application of the policy — numbered, its amount the line's, decided by the
  batch (``entitle``: 草稿 → 复审通过) — and the applications form a 公示 that is published at
  once (``notices``). From there each line is an application like any other: objections (an
  upheld one rejects it: the line is out), approval when the period ends, payment through
  ``disbursements.disbursement_record`` — once per application, hence once per subject, policy
  and cycle. Each beneficiary is told when the 公示 starts, when it is approved and when it is paid.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core import timeline
from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.core.workflow import fire

from ..models import Application, ApplicationCounter, EntitlementBatch, EntitlementLine, EntitlementStatus
from ..workflows import APPLICATION, ENTITLEMENT
from .entitlements import automatic_form
from .notices import notice_batch_create, notice_batch_publish

REASON_MIN, REASON_MAX = 2, 500


def _locked_reviewing(line: EntitlementLine, actor) -> tuple[EntitlementBatch, EntitlementLine]:
    """The line's batch (locked: a submission waits for an exclusion and the other way round) and
    the line, when the actor may change it now."""
    if not (actor.is_superuser or actor.role == Role.REVIEWER):
        raise DomainError("forbidden", _("只有审核人员可以审核免申即享名单。"), status=403)
    batch = EntitlementBatch.objects.select_for_update().get(pk=line.batch_id)
    ids = visible_jurisdiction_ids(actor)
    if ids is not None and batch.jurisdiction_id not in ids:
        raise DomainError("not_found", _("记录不存在或您无权查看。"), status=404)
    if batch.status != EntitlementStatus.REVIEWING:
        raise DomainError(
            "not_reviewing",
            _("名单 %(number)s 当前为“%(state)s”，不能再调整对象。")
            % {"number": batch.number, "state": batch.get_status_display()},
            status=409,
        )
    return batch, EntitlementLine.objects.select_related("person", "enterprise").get(pk=line.pk)


def entitlement_line_exclude(*, actor, line: EntitlementLine, reason: str) -> EntitlementLine:
    """Leave one subject out of the batch, with the reason (kept, shown, audited)."""
    reason = (reason or "").strip()
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise DomainError(
            "reason_required",
            _("请写明不予列入的理由（%(min)d 至 %(max)d 字）。") % {"min": REASON_MIN, "max": REASON_MAX},
            details={"field": "reason"},
        )
    with transaction.atomic():
        batch, locked = _locked_reviewing(line, actor)
        if not locked.included:
            raise DomainError(
                "already_excluded", _("%(subject)s已不在名单中。") % {"subject": locked.subject}, status=409
            )
        locked.included, locked.exclusion_reason = False, reason
        locked.excluded_by, locked.excluded_at = actor, timezone.now()
        locked.i18n = _without_reason(locked.i18n)  # the reviewer's reason is kept as they wrote it
        locked.save(update_fields=["included", "exclusion_reason", "excluded_by", "excluded_at", "i18n"])
        log_action(
            actor=actor,
            action="subsidies.entitlement_line.excluded",
            obj=batch,
            before={"included": True},
            after={"included": False, "subject": str(locked.subject), "reason": reason},
        )
    return locked


def _without_reason(i18n: dict) -> dict:
    return {code: {k: v for k, v in worded.items() if k != "exclusion_reason"} for code, worded in (i18n or {}).items()}


def entitlement_line_include(*, actor, line: EntitlementLine) -> EntitlementLine:
    """Take an excluded subject back into the batch."""
    with transaction.atomic():
        batch, locked = _locked_reviewing(line, actor)
        if locked.included:
            raise DomainError(
                "already_included", _("%(subject)s已在名单中。") % {"subject": locked.subject}, status=409
            )
        reason = locked.exclusion_reason
        locked.included, locked.exclusion_reason, locked.excluded_by, locked.excluded_at = True, "", None, None
        locked.i18n = _without_reason(locked.i18n)
        locked.save(update_fields=["included", "exclusion_reason", "excluded_by", "excluded_at", "i18n"])
        log_action(
            actor=actor,
            action="subsidies.entitlement_line.included",
            obj=batch,
            before={"included": False, "reason": reason},
            after={"included": True, "subject": str(locked.subject)},
        )
    return locked


def entitlement_batch_submit(*, actor, batch: EntitlementBatch, seen_status: str | None = None) -> EntitlementBatch:
    return fire(
        ENTITLEMENT,
        batch,
        "submit",
        actor=actor,
        expect=seen_status,
        changes={"submitted_by": actor, "submitted_at": timezone.now(), "returned_note": ""},
    )


def entitlement_batch_approve(
    *, actor, batch: EntitlementBatch, note: str = "", seen_status: str | None = None
) -> EntitlementBatch:
    return fire(
        ENTITLEMENT,
        batch,
        "approve",
        actor=actor,
        note=note,
        expect=seen_status,
        changes={"approved_by": actor, "approved_at": timezone.now()},
    )


def entitlement_batch_return(
    *, actor, batch: EntitlementBatch, note: str, seen_status: str | None = None
) -> EntitlementBatch:
    """The leadership sends the batch back to the reviewers with its opinion (required)."""
    return fire(
        ENTITLEMENT,
        batch,
        "return",
        actor=actor,
        note=note,
        expect=seen_status,
        changes={"returned_note": (note or "").strip()[:500], "approved_by": None, "approved_at": None},
    )


def _materialise(batch: EntitlementBatch, actor, today: datetime.date) -> list[Application]:
    """Each included line as a decided application of the policy (inside the publishing transaction)."""
    form = automatic_form(batch.version, batch.cycle_kind)
    now = timezone.now()
    made = []
    lines = batch.lines.filter(included=True, application__isnull=True).select_related("person", "enterprise")
    for line in lines.order_by("pk"):
        subject = line.subject
        application = Application.objects.create(
            policy=batch.policy,
            version=batch.version,
            form=form,
            jurisdiction_id=subject.jurisdiction_id,
            person=line.person,
            enterprise=line.enterprise,
            period=batch.period,
            created_by=actor,
            computed_amount=line.amount,
            precheck_result="eligible",
        )
        timeline.record(
            application,
            action="created",
            label=_("免申即享：按登记信息认定"),
            actor=actor,
            public=True,
            public_note=_("经 %(day)s 登记信息比对，符合“%(policy)s”享受条件，无需申请。")
            % {"day": batch.cycle_on.isoformat(), "policy": batch.policy.title},
            note=_("名单 %(number)s，%(basis)s") % {"number": batch.number, "basis": line.basis},
        )
        application = fire(
            APPLICATION,
            application,
            "entitle",
            actor=actor,
            note=_("名单 %(number)s 已批准") % {"number": batch.number},
            public_note=_("核定金额 %(amount)s 元（%(basis)s）。") % {"amount": line.amount, "basis": line.basis},
            changes={
                "number": ApplicationCounter.next_number(today),
                "submitted_on": today,
                "submitted_at": now,
                "decided_at": now,
                "second_reviewer": batch.approved_by,
                "second_reviewed_at": batch.approved_at,
            },
        )
        line.application = application
        line.save(update_fields=["application"])
        made.append(application)
    return made


def entitlement_batch_publish(
    *, actor, batch: EntitlementBatch, days: int | None = None, seen_status: str | None = None, today=None
) -> EntitlementBatch:
    """Publish an approved batch as a 公示 (see the module docstring). Nothing is half-done: a
    refusal anywhere (a line's application, the notice) rolls every step back."""
    today = today or timezone.localdate()
    title = _("%(policy)s（%(period)s）免申即享拟发放名单") % {"policy": batch.policy.title, "period": batch.period}

    def publish(locked: EntitlementBatch) -> None:
        applications = _materialise(locked, actor, today)
        if not applications:
            raise DomainError("empty_batch", _("名单中没有列入发放的对象。"), status=409)
        notice = notice_batch_create(actor=actor, title=title[:128], applications=applications, days=days)
        notice = notice_batch_publish(actor=actor, batch=notice, today=today)
        locked.notice = notice
        locked.save(update_fields=["notice"])

    with transaction.atomic():
        return fire(
            ENTITLEMENT,
            batch,
            "publish",
            actor=actor,
            expect=seen_status,
            changes={"published_by": actor, "published_at": timezone.now()},
            after=publish,
        )
