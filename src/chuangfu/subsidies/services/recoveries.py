"""追回 (recovery) of a grant whose obligation was breached: opened by the breach, the amount set,
decided by the leadership (recover or waive), repaid in parts until settled.

At most one recovery per application (or imported grant): ``Recovery.application`` (``.grant``) is
unique, so a second breach of the
same grant (or two checks at once) cannot open a second one; the later breach is recorded on the
open recovery's timeline instead. The amount owed is never exceeded: ``repayment_record`` locks the
recovery row, sums the repayments under the lock and refuses an amount over what is still owed; the
same voucher number entered twice (a double submit) is refused by a unique constraint. The
repayment that repays the last of the amount fires ``settle``.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core import timeline
from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from chuangfu.core.workflow import fire

from ..models import Disbursement, ObligationStatus, Recovery, RecoveryStatus, Repayment
from ..workflows_aftercare import RECOVERY
from . import notify

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000000000")  # the columns hold 14 digits, two after the point


def _yuan(value, label: str) -> Decimal:
    """An amount in 元 typed by staff ("8000", "8,000.00", "8000元"): positive, at most two decimals."""
    raw = str(value if value is not None else "").replace(",", "").replace("，", "").replace("元", "").strip()
    if not raw:
        raise DomainError("amount_required", _("请填写%(label)s。") % {"label": label})
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise DomainError(
            "bad_amount", _("%(label)s“%(value)s”不是有效的金额。") % {"label": label, "value": raw[:20]}
        ) from None
    if not amount.is_finite() or amount <= 0:
        raise DomainError("bad_amount", _("%(label)s应大于 0。") % {"label": label})
    if amount >= MAX_AMOUNT:
        raise DomainError("bad_amount", _("%(label)s过大。") % {"label": label})
    if amount != amount.quantize(CENT):
        raise DomainError("bad_amount", _("%(label)s最多两位小数。") % {"label": label})
    return amount.quantize(CENT)


def _staff_link(recovery: Recovery) -> str:
    return reverse("aftercare:recovery", args=[recovery.pk])


def _beneficiary_link() -> str:
    return reverse("aftercare:mine")


def _tell_leaders(recovery: Recovery) -> None:
    from ..selectors import staff_who_may_act

    leaders = [u for u in staff_who_may_act(recovery) if u.role == Role.LEADER]
    notify.to_staff(
        leaders,
        title=_("追回待决定"),
        body=_("申请 %(number)s（%(subject)s）的义务未履行，已立案追回 %(no)s，请决定追回或免予追回。")
        % {"number": recovery.reference, "subject": recovery.subject, "no": recovery.number},
        link=_staff_link(recovery),
    )


def recovery_open(*, obligation, actor, reason: str) -> Recovery:
    """Open the recovery of ``obligation``'s grant (inside the breach's transaction): the whole
    amount paid, the breach as its reason. A grant already under recovery keeps its one recovery,
    and the new breach is added to its timeline."""
    existing = Recovery.objects.filter(**obligation.anchor).first()
    if existing is not None and existing.status == RecoveryStatus.ANNULLED:
        return _reopen(existing, obligation, actor, reason)
    if existing is not None:
        timeline.record(
            existing,
            action="another_breach",
            label=_("又一项义务未履行"),
            actor=actor,
            note=f"{obligation.title}：{reason}",
        )
        return existing
    # what was paid: the payment of an application, the amount of an imported grant
    if obligation.application_id:
        granted = Disbursement.objects.get(application_id=obligation.application_id).amount
    else:
        granted = obligation.grant.amount
    try:
        with transaction.atomic():
            recovery = Recovery.objects.create(
                application_id=obligation.application_id,
                grant_id=obligation.grant_id,
                obligation=obligation,
                jurisdiction_id=obligation.jurisdiction_id,
                granted=granted,
                amount=granted,
                reason=f"{obligation.title}：{reason}",
            )
    except IntegrityError:  # another obligation of the same grant breached at the same moment
        return recovery_open(obligation=obligation, actor=actor, reason=reason)
    recovery.number = f"ZH{timezone.localdate():%Y}{recovery.pk:05d}"
    recovery.save(update_fields=["number"])
    timeline.record(
        recovery,
        action="opened",
        label=_("立案追回"),
        actor=actor,
        note=recovery.reason,
        public=True,
        public_note=recovery.reason,
        to_state=recovery.status,
    )
    log_action(
        actor=actor,
        action="subsidies.recovery.opened",
        obj=recovery,
        after={
            "application": obligation.reference,
            "obligation": obligation.title,
            "amount": str(recovery.amount),
            "reason": recovery.reason,
        },
    )
    notify.to_applicant(
        obligation.paid,
        title=_("补贴追回立案"),
        body=_("您的申请 %(number)s 的义务“%(title)s”未履行（%(reason)s），已立案追回 %(amount)s 元，待领导小组决定。")
        % {"number": obligation.reference, "title": obligation.title, "reason": reason, "amount": recovery.amount},
        link=_beneficiary_link(),
    )
    _tell_leaders(recovery)
    return recovery


def _reopen(recovery: Recovery, obligation, actor, reason: str) -> Recovery:
    """A grant whose earlier breach was found wrong (误判撤销) breached again: its one recovery is
    opened again for the whole amount paid, on the new breach."""
    text = f"{obligation.title}：{reason}"
    recovery = fire(
        RECOVERY,
        recovery,
        "reopen",
        actor=actor,
        note=text,
        public_note=text,
        changes=lambda locked: {
            "obligation": obligation,
            "reason": text,
            "amount": locked.granted,
            "amount_reason": "",
            "opened_at": timezone.now(),
        },
    )
    notify.to_applicant(
        obligation.paid,
        title=_("补贴追回立案"),
        body=_("您的申请 %(number)s 的义务“%(title)s”未履行（%(reason)s），已立案追回 %(amount)s 元，待领导小组决定。")
        % {"number": obligation.reference, "title": obligation.title, "reason": reason, "amount": recovery.amount},
        link=_beneficiary_link(),
    )
    _tell_leaders(recovery)
    return recovery


def recovery_breach_corrected(*, recovery: Recovery, obligation, actor, reason: str) -> Recovery:
    """One breach the (locked, undecided) recovery stands on was found wrong (inside the
    correction's transaction): with no breach left it is closed without a waiver (误判撤销);
    otherwise it stays open on a breach that remains, and the correction is on its timeline."""
    left = obligation.paid.obligations.filter(status=ObligationStatus.BREACHED).exclude(pk=obligation.pk)
    remaining = left.order_by("concluded_at", "pk").first()
    text = _("“%(title)s”的未履行认定为误判：%(reason)s") % {"title": obligation.title, "reason": reason}
    if remaining is None:
        return fire(RECOVERY, recovery, "annul", actor=actor, note=text, public_note=text)
    if recovery.obligation_id == obligation.pk:
        recovery.obligation = remaining
        recovery.save(update_fields=["obligation"])
    timeline.record(
        recovery, action="breach_corrected", label=_("更正误判"), actor=actor, note=text, public=True, public_note=text
    )
    log_action(
        actor=actor,
        action="subsidies.recovery.breach_corrected",
        obj=recovery,
        after={"obligation": obligation.title, "reason": reason, "stands_on": remaining.title},
    )
    return recovery


def recovery_set_amount(*, actor, recovery: Recovery, amount, reason: str) -> Recovery:
    """Recover part of the grant (or all of it again), with the reason; only before the decision."""
    amount = _yuan(amount, _("追回金额"))
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise DomainError("note_too_long", _("理由不能超过 500 个字符。"))

    def changes(locked):
        if amount > locked.granted:
            raise DomainError(
                "over_granted",
                _("追回金额 %(amount)s 元超过已拨付金额 %(granted)s 元。")
                % {"amount": amount, "granted": locked.granted},
            )
        return {"amount": amount, "amount_reason": reason if amount != locked.granted else ""}

    return fire(RECOVERY, recovery, "set_amount", actor=actor, note=reason, changes=changes)


def recovery_decide(*, actor, recovery: Recovery, name: str, note: str = "", expect: str | None = None) -> Recovery:
    """The leadership's decision: ``recover`` (追回) or ``waive`` (免予追回, with the reason)."""
    if name not in ("recover", "waive"):
        raise DomainError("unknown_transition", _("未知的操作：%(name)s") % {"name": name[:32]})
    note = (note or "").strip()
    if len(note) > 500:
        raise DomainError("note_too_long", _("意见不能超过 500 个字符。"))
    label = RECOVERY.transition(name).label

    def tell(saved):
        body = (
            _("您的申请 %(number)s 的补贴经决定追回 %(amount)s 元，请按通知退还。")
            if name == "recover"
            else _("您的申请 %(number)s 的补贴经决定免予追回。")
        ) % {"number": saved.reference, "amount": saved.amount}
        notify.to_applicant(
            saved.paid, title=str(label), body=body + (f"（{note}）" if note else ""), link=_beneficiary_link()
        )

    return fire(
        RECOVERY,
        recovery,
        name,
        actor=actor,
        note=note,
        public_note=note,
        expect=expect,
        changes={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note},
        after=tell,
    )


def repayment_record(*, actor, recovery: Recovery, amount, paid_on: datetime.date, reference: str) -> Repayment:
    """Record one repayment; settle the recovery when nothing is owed any more."""
    if not (actor.is_superuser or actor.role == Role.REVIEWER):
        raise DomainError("forbidden", _("只有审核人员可以登记还款。"), status=403)
    amount = _yuan(amount, _("还款金额"))
    reference = (reference or "").strip()
    if not reference or len(reference) > 64:
        raise DomainError("reference_required", _("请填写缴款凭证号（不超过 64 个字符）。"))
    if paid_on is None or paid_on > timezone.localdate():
        raise DomainError("bad_date", _("还款日期不能晚于今天。"))
    with transaction.atomic():
        locked = (
            Recovery.objects.select_for_update(of=("self",)).select_related("application", "grant").get(pk=recovery.pk)
        )
        reason = RECOVERY.refusal(locked, RECOVERY.transition("repay"), actor)
        if reason:
            raise DomainError("transition_refused", reason, status=409)
        if paid_on < timezone.localtime(locked.opened_at).date():
            raise DomainError("bad_date", _("还款日期不能早于追回立案日期。"))
        if Repayment.objects.filter(recovery=locked, reference=reference).exists():
            raise DomainError(
                "already_recorded", _("缴款凭证号 %(r)s 已登记过，不能重复登记。") % {"r": reference}, status=409
            )
        repaid = Repayment.objects.filter(recovery=locked).aggregate(s=Sum("amount"))["s"] or Decimal("0")
        owed = locked.amount - repaid
        if amount > owed:
            raise DomainError(
                "over_owed",
                _("还款金额 %(amount)s 元超过尚欠金额 %(owed)s 元。") % {"amount": amount, "owed": owed},
            )
        try:
            with transaction.atomic():
                repayment = Repayment.objects.create(
                    recovery=locked, amount=amount, paid_on=paid_on, reference=reference, recorded_by=actor
                )
        except IntegrityError:
            raise DomainError(
                "already_recorded", _("缴款凭证号 %(r)s 已登记过，不能重复登记。") % {"r": reference}, status=409
            ) from None
        owed -= amount
        text = _("%(date)s 还款 %(amount)s 元，尚欠 %(owed)s 元。") % {
            "date": paid_on.isoformat(),
            "amount": amount,
            "owed": owed,
        }
        fire(
            RECOVERY,
            locked,
            "repay",
            actor=actor,
            note=_("凭证号 %(r)s") % {"r": reference},
            public_note=text,
            audit_extra={"amount": str(amount), "paid_on": paid_on.isoformat(), "reference": reference},
        )
        if owed == 0:
            fire(RECOVERY, locked, "settle", actor=actor, changes={"settled_at": timezone.now()}, public_note=text)
        notify.to_applicant(
            locked.paid,
            title=_("已登记还款") if owed else _("补贴追回已办结"),
            body=_("您的申请 %(number)s：%(text)s") % {"number": locked.reference, "text": text},
            link=_beneficiary_link(),
        )
    return repayment
