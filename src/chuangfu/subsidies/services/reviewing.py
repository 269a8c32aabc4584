"""The reviewers' side: 受理 or 不予受理, 补正 (一次告知), 初审, 复审, 驳回, the amount, and the one
extension of the decision deadline.

Every function fires one transition of ``workflows.APPLICATION`` through ``core.workflow.fire``:
the row is locked and compared with the status the reviewer's page showed (``seen_status``, passed
as ``expect``), so of two reviewers acting at once one wins and the other is told who handled it. The table refuses
reviewers outside the application's town and anyone involved in the application.
"""

from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.errors import DomainError
from chuangfu.core.workdays import add_working_days
from chuangfu.core.workflow import fire

from ..models import Application, CorrectionNotice, Status
from ..workflows import APPLICATION
from . import notify
from ._common import today
from .limits import check_cap, check_limits

DECISION_DAYS = 20  # 受理后 20 个工作日内作出决定
EXTENSION_DAYS = 10  # 经批准可延长 10 个工作日，一次


def _decision(locked: Application) -> dict:
    return {
        "decided_at": timezone.now(),
        "decided_in_time": locked.decision_due is None or today() <= locked.decision_due,
    }


def application_accept(
    *, actor, application: Application, note: str = "", seen_status: str | None = Status.SUBMITTED
) -> Application:
    """受理: the decision deadline is 20 working days from today (or from the day the application
    was deemed accepted, when the acceptance limit had already run out)."""

    def changes(locked):
        start = locked.deemed_accepted_on or today()
        return {
            "accepted_at": timezone.now(),
            "accepted_by": actor,
            "decision_due": locked.decision_due or add_working_days(start, DECISION_DAYS),
        }

    def after(saved):
        notify.to_applicant(
            saved,
            title=_("补贴申请已受理"),
            body=_("您的申请 %(n)s 已受理，将于 %(due)s 前作出审核决定。")
            % {"n": saved.number, "due": saved.decision_due},
        )

    return fire(
        APPLICATION, application, "accept", actor=actor, note=note, expect=seen_status, changes=changes, after=after
    )


def application_refuse(
    *, actor, application: Application, reason: str, seen_status: str | None = Status.SUBMITTED
) -> Application:
    """不予受理, with the reasons the applicant is told."""

    def after(saved):
        notify.to_applicant(
            saved,
            title=_("补贴申请不予受理"),
            body=_("您的申请 %(n)s 不予受理。理由：%(r)s") % {"n": saved.number, "r": reason.strip()},
        )

    return fire(
        APPLICATION,
        application,
        "refuse",
        actor=actor,
        note=reason,
        expect=seen_status,
        changes=lambda locked: _decision(locked),
        public_note=reason.strip(),
        after=after,
    )


def _item_key(item: dict) -> tuple:
    return (item.get("kind", "other"), str(item.get("key") or item.get("label", "")).strip())


def correction_items(
    application: Application, *, materials=(), fields=(), other: str = "", reasons: dict | None = None
) -> list[dict]:
    """The notice's items from the requirements and fields a reviewer ticked (with a reason
    each, by ``"material_<id>"`` / ``"field_<key>"``) and free-text lines of anything else."""
    reasons = reasons or {}
    items = []
    by_id = {str(m.pk): m for m in application.form.materials.all()}
    for mid in materials:
        m = by_id.get(str(mid))
        if m is None:
            raise DomainError("invalid_item", _("补正事项中有不属于本申请表的材料。"))
        items.append(
            {
                "kind": "material",
                "key": m.pk,
                "label": m.name,
                "reason": (reasons.get(f"material_{m.pk}") or "").strip(),
            }
        )
    by_key = {f.key: f for f in application.form.fields.all()}
    for key in fields:
        f = by_key.get(key)
        if f is None:
            raise DomainError("invalid_item", _("补正事项中有不属于本申请表的字段。"))
        items.append(
            {"kind": "field", "key": f.key, "label": f.label, "reason": (reasons.get(f"field_{key}") or "").strip()}
        )
    for line in (other or "").splitlines():
        if line.strip():
            items.append({"kind": "other", "key": "", "label": line.strip(), "reason": ""})
    return items


def application_request_correction(
    *, actor, application: Application, items: list[dict], note: str = "", seen_status: str | None = None
) -> Application:
    """退回补正, listing every missing or wrong item at once (一次告知). The clock pauses until the
    applicant answers. A later notice naming items the first one did not is recorded, and
    flagged on the application, as a process fault."""
    if not items:
        raise DomainError("items_required", _("请列出需要补正的全部事项（一次告知）。"), details={"field": "items"})
    day = today()
    holder = {}

    def changes(locked):
        first = locked.corrections.order_by("sequence").first()
        known = {_item_key(i) for i in first.items} if first else None
        new = [i for i in items if known is not None and _item_key(i) not in known]
        holder["new"] = new
        values = {"paused_since": day, "correction_count": locked.correction_count + 1}
        if new:
            values["process_fault"] = True
        return values

    def after(saved):
        CorrectionNotice.objects.create(
            application=saved,
            sequence=saved.correction_count,
            items=items,
            note=note.strip(),
            new_items=holder["new"],
            issued_by=actor,
            issued_on=day,
        )
        notify.to_applicant(
            saved,
            title=_("补贴申请需要补正"),
            body=_("您的申请 %(n)s 需要补正：%(items)s") % {"n": saved.number, "items": _listing(items)},
        )

    def event_note(saved):
        if not holder.get("new"):
            return note.strip()
        fault = _("流程瑕疵：再次补正提出了首次未告知的事项：%(items)s") % {
            "items": "；".join(i["label"] for i in holder["new"])
        }
        return f"{note.strip()}\n{fault}".strip()

    return fire(
        APPLICATION,
        application,
        "request_correction",
        actor=actor,
        note=note,
        expect=seen_status,
        changes=changes,
        after=after,
        event_note=event_note,
        public_note=_listing(items) + (f"\n{note.strip()}" if note.strip() else ""),
        audit_extra={"items": items},
    )


def _listing(items: list[dict]) -> str:
    lines = []
    for n, item in enumerate(items, 1):
        line = f"{n}. {item['label']}"
        if item.get("reason"):
            line += f"：{item['reason']}"
        lines.append(line)
    return "\n".join(lines)


def application_first_approve(
    *, actor, application: Application, note: str = "", seen_status: str | None = Status.ACCEPTED
) -> Application:
    """初审通过. The amount must be known (computed or set by a reviewer) and within the cap."""

    def changes(locked):
        if locked.amount is None:
            raise DomainError("amount_missing", _("金额尚未确定，请先核定金额。"))
        check_cap(locked.form, locked.amount)
        return {"first_reviewer": actor, "first_reviewed_at": timezone.now()}

    def after(saved):
        notify.to_applicant(
            saved, title=_("补贴申请初审通过"), body=_("您的申请 %(n)s 已通过初审，等待复审。") % {"n": saved.number}
        )

    return fire(
        APPLICATION,
        application,
        "first_approve",
        actor=actor,
        note=note,
        expect=seen_status,
        changes=changes,
        after=after,
    )


def application_second_approve(
    *, actor, application: Application, note: str = "", seen_status: str | None = Status.FIRST_REVIEWED
) -> Application:
    """复审通过 by another reviewer than the first: the per-subject limits are checked again with
    the amount in force, since other applications may have been decided meanwhile."""

    def changes(locked):
        check_cap(locked.form, locked.amount)
        check_limits(locked, locked.amount, on=today())
        return {"second_reviewer": actor, "second_reviewed_at": timezone.now(), **_decision(locked)}

    def after(saved):
        notify.to_applicant(
            saved,
            title=_("补贴申请复审通过"),
            body=_("您的申请 %(n)s 已通过复审，核定金额 %(a)s 元，公示无异议后核准。")
            % {"n": saved.number, "a": saved.amount},
        )

    return fire(
        APPLICATION,
        application,
        "second_approve",
        actor=actor,
        note=note,
        expect=seen_status,
        changes=changes,
        after=after,
    )


def application_reject(*, actor, application: Application, reason: str, seen_status: str | None = None) -> Application:
    """驳回, with the reasons the applicant is told."""

    def after(saved):
        notify.to_applicant(
            saved,
            title=_("补贴申请未通过审核"),
            body=_("您的申请 %(n)s 未通过审核。理由：%(r)s") % {"n": saved.number, "r": reason.strip()},
        )

    return fire(
        APPLICATION,
        application,
        "reject",
        actor=actor,
        note=reason,
        expect=seen_status,
        changes=lambda locked: _decision(locked),
        public_note=reason.strip(),
        after=after,
    )


def parse_amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").replace("元", "").strip())
    except (InvalidOperation, TypeError):
        raise DomainError("invalid_amount", _("请填写有效的金额。"), details={"field": "amount"}) from None
    if not amount.is_finite() or amount < 0:
        raise DomainError("invalid_amount", _("金额不能为负数。"), details={"field": "amount"})
    return amount.quantize(Decimal("0.01"))


def application_set_amount(
    *, actor, application: Application, amount, reason: str, seen_status: str | None = None
) -> Application:
    """Set the approved amount instead of the computed one, with a logged reason. Refused over
    the cap or when it would break the subject's yearly limit."""
    amount = parse_amount(amount)

    def changes(locked):
        check_cap(locked.form, amount)
        check_limits(locked, amount, on=today())
        return {"approved_amount": amount, "amount_reason": reason.strip()[:255]}

    def after(saved):
        notify.to_applicant(
            saved,
            title=_("补贴申请核定金额调整"),
            body=_("您的申请 %(n)s 核定金额调整为 %(a)s 元（按规则计算为 %(c)s 元）。理由：%(r)s")
            % {"n": saved.number, "a": saved.approved_amount, "c": saved.computed_amount, "r": saved.amount_reason},
        )

    return fire(
        APPLICATION,
        application,
        "set_amount",
        actor=actor,
        note=reason,
        expect=seen_status,
        changes=changes,
        after=after,
        public_note=lambda saved: (
            _("核定金额调整为 %(a)s 元。理由：%(r)s") % {"a": saved.approved_amount, "r": saved.amount_reason}
        ),
        event_note=_("核定金额调整为 %(a)s 元（计算金额 %(c)s 元）。理由：%(r)s")
        % {"a": amount, "c": application.computed_amount, "r": reason.strip()},
    )


def application_request_extension(
    *, actor, application: Application, reason: str, seen_status: str | None = None
) -> Application:
    """Ask for the one extension of 10 working days; another reviewer or a leader approves it."""
    return fire(
        APPLICATION,
        application,
        "request_extension",
        actor=actor,
        note=reason,
        expect=seen_status,
        changes={
            "extension_pending_days": EXTENSION_DAYS,
            "extension_reason": reason.strip()[:500],
            "extension_requested_by": actor,
        },
    )


def application_approve_extension(
    *, actor, application: Application, note: str = "", seen_status: str | None = None
) -> Application:
    """批准延期: the decision deadline moves on by the days asked; the applicant is told why."""

    def changes(locked):
        days = locked.extension_pending_days
        return {
            "extension_days": locked.extension_days + days,
            "extension_pending_days": None,
            "decision_due": add_working_days(locked.decision_due or today(), days),
        }

    def after(saved):
        notify.to_applicant(
            saved,
            title=_("补贴申请审核期限延长"),
            body=_("您的申请 %(n)s 审核期限延长至 %(due)s。理由：%(r)s")
            % {"n": saved.number, "due": saved.decision_due, "r": saved.extension_reason},
        )

    return fire(
        APPLICATION,
        application,
        "approve_extension",
        actor=actor,
        note=note,
        expect=seen_status,
        changes=changes,
        after=after,
        public_note=lambda saved: (
            _("审核期限延长至 %(due)s。理由：%(r)s") % {"due": saved.decision_due, "r": saved.extension_reason}
        ),
    )


def application_reject_extension(
    *, actor, application: Application, note: str, seen_status: str | None = None
) -> Application:
    return fire(
        APPLICATION,
        application,
        "reject_extension",
        actor=actor,
        note=note,
        expect=seen_status,
        changes={"extension_pending_days": None, "extension_requested_by": None},
    )
