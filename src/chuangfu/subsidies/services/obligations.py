"""Obligations after payment: the terms on a policy version, their instances when a grant is paid,
their checks (daily and on demand), reminders, the reports beneficiaries submit, and hand decisions.

* ``obligation_terms_save`` replaces a version's terms from the editor, checking them all first.
* ``obligations_instantiate`` runs inside ``disbursement_record``'s transaction: each term of the
  paid version becomes one ``Obligation`` (unique per application and term) with its due date.
* ``obligation_check`` locks the obligation, reads what its kind reads (``obligation_checks``),
  records the check with its evidence and, when the outcome is certain, fires ``meet`` or
  ``breach``; a breach opens the recovery (``recoveries.recovery_open``) in the same transaction.
* ``obligations_remind`` and ``obligations_check_due`` are the daily job (``tasks``).
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import Role
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.core.workflow import SYSTEM, fire
from chuangfu.policies.models import Grant
from chuangfu.policies.permissions import can_edit_policy
from chuangfu.policies.selectors import version_in_force

from ..models import (
    Obligation,
    ObligationCheck,
    ObligationKind,
    ObligationReport,
    ObligationStatus,
    ObligationTerm,
    Recovery,
    RecoveryStatus,
)
from ..models.aftercare import MAX_TERM_MONTHS, add_months, window_months
from ..workflows import is_applicant
from ..workflows_aftercare import OBLIGATION
from . import notify
from .obligation_checks import Finding, enterprise_for, evaluate
from .recoveries import recovery_breach_corrected, recovery_open

log = logging.getLogger(__name__)
MAX_TERMS = 10
MAX_REMIND_DAYS = 365
MAX_EMPLOYEES = 10000
MAX_REPORT_CHARS = 5000
REGISTRY_KINDS = (ObligationKind.OPERATING, ObligationKind.INSURED)


def today() -> datetime.date:
    return timezone.localdate()


@dataclass
class TermSpec:
    kind: str
    months: object
    employees: object = None
    title: str = ""
    description: str = ""
    remind_days: object = 30


def _whole(value, label, low: int, high: int, errors: list, n: int):
    if value in (None, ""):
        errors.append(_("第 %(n)d 项：请填写%(label)s。") % {"n": n, "label": label})
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors.append(_("第 %(n)d 项：%(label)s应为整数。") % {"n": n, "label": label})
        return None
    if not low <= number <= high:
        errors.append(
            _("第 %(n)d 项：%(label)s应在 %(low)d 至 %(high)d 之间。")
            % {"n": n, "label": label, "low": low, "high": high}
        )
        return None
    return number


def _term(spec: TermSpec, n: int, errors: list) -> ObligationTerm | None:
    if spec.kind not in ObligationKind.values:
        errors.append(_("第 %(n)d 项：请选择义务类型。") % {"n": n})
        return None
    months = _whole(spec.months, _("期限（月）"), 1, MAX_TERM_MONTHS, errors, n)
    remind = _whole(spec.remind_days, _("提前提醒天数"), 0, MAX_REMIND_DAYS, errors, n)
    employees = None
    if spec.kind == ObligationKind.INSURED:
        employees = _whole(spec.employees, _("最少参保人数"), 1, MAX_EMPLOYEES, errors, n)
    title = (spec.title or "").strip() or str(ObligationKind(spec.kind).label)
    description = (spec.description or "").strip()
    if len(title) > 128:
        errors.append(_("第 %(n)d 项：名称不能超过 128 个字符。") % {"n": n})
    if len(description) > 2000:
        errors.append(_("第 %(n)d 项：说明不能超过 2000 个字符。") % {"n": n})
    if months is None or remind is None or (spec.kind == ObligationKind.INSURED and employees is None):
        return None
    return ObligationTerm(
        kind=spec.kind,
        months=months,
        employees=employees,
        title=title,
        description=description,
        remind_days=remind,
        position=n,
    )


def obligation_terms_save(*, actor, version, terms: list[TermSpec]) -> list[ObligationTerm]:
    """Replace ``version``'s obligation terms. Every term is checked before anything is written;
    grants already paid keep the obligations they were paid with."""
    if not can_edit_policy(actor, version.policy):
        raise NotFound()
    if len(terms) > MAX_TERMS:
        raise DomainError("too_many_terms", _("一个政策版本最多设置 %(n)d 项义务。") % {"n": MAX_TERMS})
    errors: list[str] = []
    built = [_term(spec, n, errors) for n, spec in enumerate(terms, start=1)]
    if errors:
        raise DomainError("invalid_terms", errors[0], details={"errors": errors})
    with transaction.atomic():
        before = [_term_record(t) for t in version.obligation_terms.all()]
        version.obligation_terms.all().delete()
        for term in built:
            term.version = version
        saved = ObligationTerm.objects.bulk_create(built)
        log_action(
            actor=actor,
            action="subsidies.obligation_terms.saved",
            obj=version.policy,
            before={"terms": before},
            after={"version": version.number, "terms": [_term_record(t) for t in saved]},
        )
    return saved


def _term_record(term: ObligationTerm) -> str:
    return f"{term.get_kind_display()} · {term.title} · {term.months}" + (
        f" · ≥{term.employees}" if term.employees else ""
    )


def due_date(kind: str, starts_on: datetime.date, months: int) -> datetime.date:
    """Operating and report: ``months`` after the payment day. Insured: the last day of the last of
    the ``months`` whole calendar months after the payment's month."""
    if kind == ObligationKind.INSURED:
        last = window_months(starts_on, months)[-1]
        return add_months(last, 1) - datetime.timedelta(days=1)
    return add_months(starts_on, months)


def _instantiate(*, actor, source, version_id, paid_on: datetime.date, **anchor) -> list[Obligation]:
    """Each term of ``version_id`` as one obligation of ``source`` (a paid application or an imported
    grant, named by ``anchor``), unique per source and term: a second call adds nothing."""
    terms = list(ObligationTerm.objects.filter(version_id=version_id))
    if not terms:
        return []
    enterprise = enterprise_for(source) if any(t.kind in REGISTRY_KINDS for t in terms) else None
    created = []
    for term in terms:
        due = due_date(term.kind, paid_on, term.months)
        obligation, made = Obligation.objects.get_or_create(
            term=term,
            **anchor,
            defaults={
                "jurisdiction_id": source.subject.jurisdiction_id,
                "kind": term.kind,
                "title": term.title,
                "description": term.description,
                "months": term.months,
                "employees": term.employees,
                "enterprise": enterprise if term.kind in REGISTRY_KINDS else None,
                "starts_on": paid_on,
                "due_on": due,
                "remind_on": due - datetime.timedelta(days=term.remind_days),
            },
        )
        if made:
            created.append(obligation)
    if created:
        first = created[0]
        log_action(
            actor=actor,
            action="subsidies.obligation.created",
            obj=source,
            jurisdiction=first.jurisdiction_id,
            after={
                "reference": first.reference,
                "obligations": [f"{o.title}（{o.due_on.isoformat()}）" for o in created],
            },
        )
        lines = "；".join(
            _("%(title)s，期限 %(due)s") % {"title": o.title, "due": o.due_on.isoformat()} for o in created
        )
        notify.to_applicant(
            source,
            title=_("补贴附带的后续义务"),
            body=_("您的申请 %(number)s 的补贴附有以下义务：%(lines)s。未履行的，补贴将被追回。")
            % {"number": first.reference, "lines": lines}
            if "application" in anchor
            else _("您享受的“%(policy)s”（%(date)s）附有以下义务：%(lines)s。未履行的，补贴将被追回。")
            % {"policy": source.policy.title, "date": paid_on.isoformat(), "lines": lines},
            link=reverse("aftercare:mine"),
        )
    return created


def obligations_instantiate(*, actor, application, paid_on: datetime.date) -> list[Obligation]:
    """Give a just-paid application the obligations its version's terms name (inside the payment's
    transaction; a second call for the same application adds nothing) and tell the beneficiary."""
    return _instantiate(
        actor=actor, source=application, version_id=application.version_id, paid_on=paid_on, application=application
    )


def obligations_instantiate_for_grant(*, actor, grant) -> list[Obligation]:
    """A grant imported from a list (导入名单) carries the obligations of the version in force on its
    day, counted from that day, exactly as a paid application's (idempotent: importing the list
    again adds nothing). A grant without an amount carries none: a breach could recover nothing."""
    if grant.source != Grant.Source.IMPORT or grant.amount is None or grant.amount <= 0:
        return []
    version_id = grant.version_id
    if version_id is None:
        try:
            version_id = version_in_force(grant.policy, grant.granted_on).pk
        except DomainError:  # no version covered the day: no terms to carry
            return []
    with transaction.atomic():
        return _instantiate(actor=actor, source=grant, version_id=version_id, paid_on=grant.granted_on, grant=grant)


# --- checking ------------------------------------------------------------------------------------


def _may_check(obligation: Obligation, actor) -> None:
    if actor is SYSTEM:
        return
    if not (actor.is_superuser or actor.role == Role.REVIEWER):
        raise DomainError("forbidden", _("只有审核人员可以核查履约情况。"), status=403)
    ids = visible_jurisdiction_ids(actor)
    if ids is not None and obligation.jurisdiction_id not in ids:
        raise NotFound()


def _locked(obligation: Obligation) -> Obligation:
    locked = (
        Obligation.objects.select_for_update(of=("self",))
        .select_related("application", "grant", "enterprise")
        .get(pk=obligation.pk)
    )
    if locked.status != ObligationStatus.PENDING:
        raise DomainError(
            "already_concluded",
            _("该义务已认定为“%(status)s”（%(outcome)s）。")
            % {"status": locked.get_status_display(), "outcome": locked.outcome},
            status=409,
        )
    return locked


def _conclude(locked: Obligation, finding: Finding, actor, *, manual: bool = False) -> ObligationCheck:
    user = actor if getattr(actor, "is_authenticated", False) else None
    check = ObligationCheck.objects.create(
        obligation=locked, by=user, manual=manual, result=finding.result, summary=finding.summary[:500],
        evidence=finding.evidence,
    )  # fmt: skip
    if finding.result == ObligationCheck.Result.UNDECIDED:
        return check
    name = "meet" if finding.result == ObligationCheck.Result.MET else "breach"
    paid = locked.paid
    link = reverse("aftercare:my_obligation", args=[locked.pk])

    def after(saved):
        if name == "breach":
            recovery_open(obligation=saved, actor=actor, reason=finding.summary)
        notify.to_applicant(
            paid,
            title=_("履约义务已认定") if name == "meet" else _("履约义务未履行"),
            body=_("您的申请 %(number)s 的义务“%(title)s”：%(summary)s")
            % {"number": saved.reference, "title": saved.title, "summary": finding.summary},
            link=link,
        )

    fire(
        OBLIGATION,
        locked,
        name,
        actor=actor,
        note=finding.summary[:500],
        changes={"concluded_at": timezone.now(), "outcome": finding.summary[:500]},
        audit_extra={"check": check.pk, "evidence": finding.evidence},
        after=after,
    )
    return check


def obligation_check(*, obligation: Obligation, actor=SYSTEM, day: datetime.date | None = None) -> ObligationCheck:
    """Check ``obligation`` now (the daily job, or a reviewer on demand): record what was read and
    conclude when certain. Refuses an obligation already concluded."""
    _may_check(obligation, actor)
    day = day or today()
    with transaction.atomic():
        locked = _locked(obligation)
        return _conclude(locked, evaluate(locked, day), actor)


def obligation_mark(*, obligation: Obligation, actor, name: str, reason: str) -> ObligationCheck:
    """A reviewer's decision by hand (no enterprise in the registry, a report read and found empty):
    ``meet`` or ``breach``, with the reason, recorded as a manual check."""
    if name not in ("meet", "breach"):
        raise DomainError("unknown_transition", _("未知的操作：%(name)s") % {"name": name[:32]})
    _may_check(obligation, actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("note_required", _("人工认定需要填写理由。"))
    if len(reason) > 500:
        raise DomainError("note_too_long", _("理由不能超过 500 个字符。"))
    result = ObligationCheck.Result.MET if name == "meet" else ObligationCheck.Result.BREACHED
    with transaction.atomic():
        locked = _locked(obligation)
        return _conclude(locked, Finding(result, reason, {"manual": True, "by": str(actor)}), actor, manual=True)


def obligation_breach_correct(*, obligation: Obligation, actor, reason: str) -> Obligation:
    """误判: a breach found wrong (a cancellation day misread, a manual decision in error) is
    corrected before the leadership decides the recovery — the obligation is pending again (checked
    again on the daily job, or by hand), the correction kept as a check with its reason, and the
    recovery closed without a waiver when no other breach of the grant remains. Refused, with the
    reason, once the recovery was decided or for an obligation that is not breached."""
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise DomainError("note_too_long", _("理由不能超过 500 个字符。"))
    with transaction.atomic():
        # the recovery first: the leadership's decision waits for the correction, or the other way round
        recovery = Recovery.objects.select_for_update().filter(**obligation.anchor).first()
        text = _("更正误判：%(reason)s") % {"reason": reason}
        was = Obligation.objects.filter(pk=obligation.pk).values_list("outcome", flat=True).first()
        saved = fire(
            OBLIGATION,
            obligation,
            "reopen",
            actor=actor,
            note=reason,
            changes={"concluded_at": None, "outcome": ""},
            audit_extra={"was": was},
        )
        ObligationCheck.objects.create(
            obligation=saved, by=actor, manual=True, result=ObligationCheck.Result.UNDECIDED, summary=text[:500],
            evidence={"corrected": True, "by": str(actor)},
        )  # fmt: skip
        if recovery is not None and recovery.status == RecoveryStatus.OPEN:
            recovery = recovery_breach_corrected(recovery=recovery, obligation=saved, actor=actor, reason=reason)
        closed = recovery is not None and recovery.status == RecoveryStatus.ANNULLED
        notify.to_applicant(
            saved.paid,
            title=_("履约认定已更正"),
            body=_("您的申请 %(number)s 的义务“%(title)s”此前认定为未履行，经核实为误判，已恢复为待履行。")
            % {"number": saved.reference, "title": saved.title}
            + (_("追回已撤销。") if closed else ""),
            link=reverse("aftercare:my_obligation", args=[saved.pk]),
        )
    return saved


def is_beneficiary(obligation: Obligation, actor) -> bool:
    """The applicant of a paid application; for an imported grant, the subject's own account."""
    if obligation.application_id:
        return is_applicant(obligation.application, actor)
    subject = obligation.subject
    return bool(actor and actor.is_authenticated and subject is not None and subject.account_id == actor.pk)


def _at_the_window(obligation: Obligation, actor) -> bool:
    """Desk staff of the obligation's town hand in a report for a beneficiary (who may have no
    account: the application was made at the window)."""
    if actor.role != Role.DESK_STAFF and not actor.is_superuser:
        return False
    ids = visible_jurisdiction_ids(actor)
    return ids is None or obligation.jurisdiction_id in ids


def obligation_report_submit(*, actor, obligation: Obligation, content: str) -> ObligationReport:
    """The beneficiary's report for a report obligation (or desk staff's on their behalf), once; it is
    checked at once (on time: met)."""
    if not (is_beneficiary(obligation, actor) or _at_the_window(obligation, actor)):
        raise NotFound()
    if obligation.kind != ObligationKind.REPORT:
        raise DomainError("not_a_report", _("这项义务不需要提交报告。"))
    content = (content or "").strip()
    if not content:
        raise DomainError("content_required", _("请填写报告内容。"))
    if len(content) > MAX_REPORT_CHARS:
        raise DomainError("content_too_long", _("报告内容不能超过 %(n)d 个字符。") % {"n": MAX_REPORT_CHARS})
    with transaction.atomic():
        locked = Obligation.objects.select_for_update(of=("self",)).get(pk=obligation.pk)
        if ObligationReport.objects.filter(obligation=locked).exists():
            raise DomainError("already_submitted", _("报告已经提交过了，不能重复提交。"), status=409)
        if locked.status != ObligationStatus.PENDING:
            raise DomainError(
                "already_concluded",
                _("该义务已认定为“%(status)s”，不能再提交报告。") % {"status": locked.get_status_display()},
                status=409,
            )
        try:
            with transaction.atomic():
                report = ObligationReport.objects.create(
                    obligation=locked, content=content, submitted_on=today(), submitted_by=actor
                )
        except IntegrityError:
            raise DomainError("already_submitted", _("报告已经提交过了，不能重复提交。"), status=409) from None
        log_action(
            actor=actor,
            action="subsidies.obligation_report.submitted",
            obj=locked.paid,
            jurisdiction=locked.jurisdiction_id,
            after={"obligation": locked.title, "submitted_on": report.submitted_on.isoformat()},
        )
        _conclude(_locked(locked), evaluate(locked, today()), SYSTEM)
    return report


# --- the daily job -------------------------------------------------------------------------------


def obligations_remind(day: datetime.date | None = None) -> int:
    """Remind the beneficiary of each pending obligation whose reminder day has come (once)."""
    day = day or today()
    due = Obligation.objects.filter(
        status=ObligationStatus.PENDING, remind_on__lte=day, due_on__gte=day, reminded_at__isnull=True
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            obligation = (
                Obligation.objects.select_for_update(of=("self",))
                .select_related("application", "grant")
                .filter(pk=pk, reminded_at__isnull=True, status=ObligationStatus.PENDING)
                .first()
            )
            if obligation is None:
                continue
            obligation.reminded_at = timezone.now()
            obligation.save(update_fields=["reminded_at"])
            what = (
                _("请在期限前在平台提交报告。")
                if obligation.kind == ObligationKind.REPORT
                else _("到期后将根据登记和社保数据核查。")
            )
            notify.to_applicant(
                obligation.paid,
                title=_("履约义务即将到期"),
                body=_("您的申请 %(number)s 的义务“%(title)s”将于 %(due)s 到期。%(what)s")
                % {
                    "number": obligation.reference,
                    "title": obligation.title,
                    "due": obligation.due_on.isoformat(),
                    "what": what,
                },
                link=reverse("aftercare:my_obligation", args=[obligation.pk]),
            )
            log_action(
                actor=SYSTEM,
                action="subsidies.obligation.reminded",
                obj=obligation.paid,
                jurisdiction=obligation.jurisdiction_id,
                after={"obligation": obligation.title, "due_on": obligation.due_on.isoformat()},
            )
            sent += 1
    return sent


def obligations_check_due(day: datetime.date | None = None) -> dict:
    """Check every pending obligation whose due date has come; each in its own transaction, so one
    that fails is logged and left for the next run without stopping the others."""
    day = day or today()
    counts = {"met": 0, "breached": 0, "undecided": 0, "failed": 0}
    for obligation in list(Obligation.objects.filter(status=ObligationStatus.PENDING, due_on__lte=day)):
        try:
            check = obligation_check(obligation=obligation, actor=SYSTEM, day=day)
        except DomainError:  # concluded meanwhile (a reviewer, a report)
            continue
        except Exception:  # a defect in one record must not stop every town's checks; it is logged
            log.exception("obligation %s could not be checked", obligation.pk)
            counts["failed"] += 1
            continue
        counts[check.result] += 1
    return counts


def aftercare_scan(day: datetime.date | None = None) -> dict:
    return {"reminded": obligations_remind(day), **obligations_check_due(day)}
