"""The applicant's side: start a draft, answer the form, upload materials, pre-check against the
policy's rule, submit, withdraw, and answer a 补正 notice.

An entrepreneur applies for their own person record, for the enterprise whose account they use,
or for an enterprise they are the legal representative of. Desk staff apply on someone's behalf
at a 家门口服务站 of their town (recorded on the application). The applicant's answers and files
are kept as submitted; a file replaced while answering a 补正 notice is kept and marked replaced.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chuangfu.core import timeline
from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import Role
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.core.uploads import check_upload
from chuangfu.core.workdays import add_working_days, working_days_between
from chuangfu.core.workflow import fire
from chuangfu.policies.models import ObtainMode, Policy, Target
from chuangfu.policies.selectors import version_in_force
from chuangfu.registry.models import CarrierKind, Enterprise, Person

from ..models import (
    APPLY_MODES,
    OPEN_STATUSES,
    Application,
    ApplicationCounter,
    ApplicationMaterial,
    MaterialRequirement,
    Status,
)
from ..prefill import prefill
from ..selectors import application_precheck, missing_items, subjects_for
from ..workflows import APPLICATION, is_applicant
from . import notify
from ._common import lock, today
from .forms import amount_compute, data_clean
from .limits import check_limits, period_check

ACCEPT_DAYS = 5  # 受理: within 5 working days of submission
MAX_FILES_PER_MATERIAL = 5
EDITABLE = (Status.DRAFT, Status.CORRECTION)


def _check_subject(actor, subject) -> None:
    if actor.role == Role.ENTREPRENEUR:
        if not any(type(s) is type(subject) and s.pk == subject.pk for s in subjects_for(actor)):
            raise NotFound()
        return
    if actor.role != Role.DESK_STAFF:
        raise DomainError("forbidden", _("只有申请人本人或受理窗口可以填报申请。"), status=403)
    ids = visible_jurisdiction_ids(actor)
    if ids is not None and subject.jurisdiction_id not in ids:
        raise NotFound()


def _check_carrier(actor, carrier):
    if actor.role != Role.DESK_STAFF:
        return None
    if carrier is None:
        raise DomainError("carrier_required", _("窗口代办须选择办理的家门口服务站。"), details={"field": "carrier"})
    ids = visible_jurisdiction_ids(actor)
    if carrier.kind != CarrierKind.DOORSTEP_STATION or (ids is not None and carrier.jurisdiction_id not in ids):
        raise DomainError("invalid_carrier", _("请选择本镇的家门口服务站。"), details={"field": "carrier"})
    return carrier


def _open_duplicate_error(existing: Application) -> DomainError:
    label = existing.number or _("草稿")
    return DomainError(
        "open_application",
        _("已有一份同一政策、同一周期的在办申请（%(n)s，%(state)s），不能重复申请。")
        % {"n": label, "state": APPLICATION.label(existing.status)},
        status=409,
        details={"application_id": existing.pk},
    )


def _find_open(policy, subject, period) -> Application | None:
    column = "person" if isinstance(subject, Person) else "enterprise"
    return Application.objects.filter(
        policy=policy, period=period, status__in=OPEN_STATUSES, **{column: subject}
    ).first()


def _prefilled(policy, form, subject) -> dict:
    """快申快享: the answers the subject's registry record gives (typed as the form's fields), so the
    applicant only checks and confirms; empty for any other policy."""
    if policy.obtain_mode != ObtainMode.QUICK:
        return {}
    raw = {filled.key: filled.value for filled in prefill(form, subject) if filled.value is not None}
    data, _errors = data_clean(form, raw, partial=True)  # a value the field cannot take is left for the applicant
    return data


def application_start(*, actor, policy: Policy, subject, period: str = "", carrier=None) -> Application:
    """Open a draft application of ``subject`` for ``policy``'s version in force today.

    Refuses: a policy not applied for here, no form for the version in force, a subject of the
    wrong kind or outside the actor's reach (404), a subject that already used up its limits, and
    a second open application for the same policy and period (the existing one is named).
    """
    if policy.obtain_mode not in APPLY_MODES:
        raise DomainError("not_applicable", _("“%(title)s”不在本平台申请。") % {"title": policy.title})
    version = version_in_force(policy, today())
    form = getattr(version, "application_form", None)
    if form is None:
        raise DomainError("no_form", _("“%(title)s”尚未设置申请表，暂不能在线申请。") % {"title": policy.title})
    expected = Person if policy.target == Target.PERSON else Enterprise
    if not isinstance(subject, expected):
        raise DomainError("wrong_subject", _("这项政策面向%(target)s。") % {"target": policy.get_target_display()})
    _check_subject(actor, subject)
    carrier = _check_carrier(actor, carrier)
    period = period_check(form.period_kind, period, today())
    existing = _find_open(policy, subject, period)
    if existing is not None:
        raise _open_duplicate_error(existing)
    check_limits(
        Application(policy=policy, form=form, **{"person" if expected is Person else "enterprise": subject}),
        None,
        on=today(),
    )
    column = "person" if expected is Person else "enterprise"
    data = _prefilled(policy, form, subject)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                policy=policy,
                version=version,
                form=form,
                jurisdiction_id=subject.jurisdiction_id,
                period=period,
                created_by=actor,
                on_behalf=actor.role == Role.DESK_STAFF,
                carrier=carrier,
                data=data,
                computed_amount=amount_compute(form, data) if data else None,
                **{column: subject},
            )
            notes = [_("窗口代办：%(c)s") % {"c": carrier}] if carrier else []
            if data:
                notes.append(_("快申快享：已按登记信息预填 %(n)d 项") % {"n": len(data)})
            timeline.record(
                application,
                action="created",
                label=_("创建申请"),
                actor=actor,
                note=pgettext("punctuation", "；").join(notes),
            )
            log_action(
                actor=actor,
                action="subsidies.application.created",
                obj=application,
                after={
                    "policy": policy.code,
                    "subject": str(subject),
                    "period": period,
                    "carrier": str(carrier) if carrier else None,
                    "prefilled": sorted(data),
                },
            )
    except IntegrityError:  # the same draft started twice at once: one record
        existing = _find_open(policy, subject, period)
        if existing is None:
            raise
        raise _open_duplicate_error(existing) from None
    return application


def _require_editable(application: Application, actor) -> None:
    if application.status not in EDITABLE:
        raise DomainError(
            "not_editable",
            _("申请当前为“%(state)s”，不能修改。") % {"state": APPLICATION.label(application.status)},
            status=409,
        )
    reason = APPLICATION.refusal(
        application,
        APPLICATION.transition(
            "submit"
            if application.status == Status.DRAFT
            else "resubmit"
            if application.accepted_at is None
            else "resubmit_in_review"
        ),
        actor,
    )
    if reason:
        raise DomainError("forbidden", reason, status=403)


def application_save(*, actor, application: Application, raw: dict) -> Application:
    """Save the answers of a draft (or of an application returned for 补正). Answers that are
    given are checked by type; missing required ones are only reported at submission."""
    with transaction.atomic():
        locked = lock(application)
        _require_editable(locked, actor)
        data, errors = data_clean(locked.form, raw, partial=True)
        if errors:
            raise DomainError("invalid_data", "；".join(errors.values()), details={"errors": errors})
        before = dict(locked.data)
        locked.data = data
        locked.computed_amount = amount_compute(locked.form, data)
        locked.save(update_fields=["data", "computed_amount"])
        if before != data:
            log_action(
                actor=actor,
                action="subsidies.application.saved",
                obj=locked,
                before={"data": before},
                after={"data": data},
            )
    return locked


def material_upload(
    *, actor, application: Application, requirement: MaterialRequirement, upload
) -> ApplicationMaterial:
    """Attach one file for ``requirement``; the type is read from the content and must be one the
    requirement accepts; at most 10 MB and five files per material."""
    from django.core.exceptions import ValidationError

    if requirement.form_id != application.form_id:
        raise NotFound()
    try:
        content_type = check_upload(upload, kinds=requirement.kinds)
    except ValidationError as exc:
        raise DomainError(
            "invalid_file", " ".join(exc.messages), details={"field": f"material_{requirement.pk}"}
        ) from None
    with transaction.atomic():
        locked = lock(application)
        _require_editable(locked, actor)
        current = locked.materials.filter(requirement=requirement, replaced=False)
        if current.count() >= MAX_FILES_PER_MATERIAL:
            raise DomainError(
                "too_many_files",
                _("“%(name)s”最多上传 %(n)d 个文件。") % {"name": requirement.name, "n": MAX_FILES_PER_MATERIAL},
            )
        material = ApplicationMaterial(
            application=locked,
            requirement=requirement,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        material.file.save(upload.name, upload, save=False)
        material.save()
        log_action(
            actor=actor,
            action="subsidies.material.uploaded",
            obj=locked,
            after={"material": requirement.name, "file": material.original_name, "size": material.size},
        )
    return material


def material_remove(*, actor, application: Application, material: ApplicationMaterial) -> None:
    """Take a file off the application. A file not yet submitted is deleted; one the reviewers have
    seen is kept and marked replaced (nothing submitted is ever lost)."""
    if material.application_id != application.pk:
        raise NotFound()
    with transaction.atomic():
        locked = lock(application)
        _require_editable(locked, actor)
        seen = locked.submitted_at is not None and material.uploaded_at <= locked.submitted_at
        if seen:
            ApplicationMaterial.objects.filter(pk=material.pk).update(replaced=True)
        else:
            material.file.delete(save=False)
            material.delete()
        log_action(
            actor=actor,
            action="subsidies.material.removed",
            obj=locked,
            after={"file": material.original_name, "kept_as_replaced": seen},
        )


# --- submitting -----------------------------------------------------------------------------------


def _require_complete(application: Application) -> None:
    _data, errors = data_clean(application.form, application.data)
    missing = missing_items(application)
    problems = missing + [e for k, e in errors.items() if str(application.data.get(k, "")).strip()]
    if problems:
        raise DomainError(
            "incomplete",
            _("还缺少以下内容，请一并补齐后提交：%(items)s。") % {"items": "；".join(problems)},
            details={"missing": problems},
        )


def application_submit(
    *, actor, application: Application, acknowledge_warning: bool = False, seen_status: str | None = Status.DRAFT
) -> Application:
    """Submit a draft: every missing answer and material is listed at once; a pre-check with
    unmet or unknown conditions needs ``acknowledge_warning``; the amount is computed and the
    per-subject limits checked. Gives the application its number and the 受理 deadline (5 working
    days), tells the applicant, and marks the subject's 政策找人 contacts as applied.

    Submitting twice (a double click) returns the submitted application unchanged.
    """
    from chuangfu.policies.services.outreach import outreach_record_application

    current = Application.objects.get(pk=application.pk)
    if current.status == Status.SUBMITTED and current.submitted_by_id == actor.pk:
        return current
    _require_complete(current)
    check = application_precheck(current)
    if not check.clean and not acknowledge_warning:
        items = [f"{c.text}（{c.status_label}：{c.actual or _('无数据')}）" for c in check.open] or [check.error]
        raise DomainError(
            "precheck_warning",
            _("预审发现以下条件未满足或待核实：%(items)s。如确认材料可以证明，请勾选“仍然提交”。")
            % {"items": "；".join(items)},
            status=409,
            details={"conditions": [c.as_dict() for c in check.open]},
        )
    amount = amount_compute(current.form, current.data)
    check_limits(current, amount, on=today())
    day = today()

    def changes(locked):
        return {
            "number": locked.number or ApplicationCounter.next_number(day),
            "submitted_at": timezone.now(),
            "submitted_on": day,
            "accept_due": add_working_days(day, ACCEPT_DAYS),
            "submitted_by": actor,
            "precheck_result": check.result,
            "precheck_open": [c.as_dict() for c in check.open],
            "computed_amount": amount,
        }

    def after(saved):
        outreach_record_application(
            policy=saved.policy, kind=saved.subject_kind, subject_id=saved.subject.pk, applied_on=day
        )
        notify.to_applicant(
            saved,
            title=_("补贴申请已提交"),
            body=_("您的“%(policy)s”申请已提交，编号 %(n)s，受理时限 %(due)s。")
            % {"policy": saved.policy.title, "n": saved.number, "due": saved.accept_due},
        )

    warning = (
        ""
        if check.clean
        else _("预审提示（申请人确认仍然提交）：%(items)s")
        % {"items": "；".join(c.text for c in check.open) or check.error}
    )
    try:
        return fire(
            APPLICATION,
            current,
            "submit",
            actor=actor,
            expect=seen_status,
            changes=changes,
            after=after,
            event_note=warning,
        )
    except DomainError:
        # two clicks at the same moment: the other one submitted it; this one reports the same result
        again = Application.objects.get(pk=current.pk)
        if again.status == Status.SUBMITTED and again.submitted_by_id == actor.pk:
            return again
        raise


def application_withdraw(*, actor, application: Application, reason: str = "") -> Application:
    """The applicant takes the application back before it is accepted."""

    def after(saved):
        if saved.submitted_at:
            notify.to_applicant(
                saved, title=_("补贴申请已撤回"), body=_("您的申请 %(n)s 已撤回。") % {"n": saved.number}
            )

    return fire(APPLICATION, application, "withdraw", actor=actor, note=reason, after=after, public_note=reason)


def application_resubmit(*, actor, application: Application) -> Application:
    """Answer a 补正 notice: every item it named must be addressed (a new file for each material
    named, every required answer given). The paused working days move the running deadline on."""
    current = Application.objects.get(pk=application.pk)
    notice = current.corrections.order_by("-sequence").first()
    _require_complete(current)
    if notice is not None:
        stale = []
        for item in notice.items:
            if item.get("kind") == "material" and item.get("key"):
                if not current.materials.filter(
                    requirement_id=item["key"], replaced=False, uploaded_at__gt=notice.issued_at
                ).exists():
                    stale.append(_("重新上传“%(label)s”") % {"label": item.get("label")})
        if stale:
            raise DomainError(
                "correction_incomplete",
                _("补正通知中的以下事项尚未处理：%(items)s。") % {"items": "；".join(stale)},
                details={"missing": stale},
            )
    name = "resubmit" if current.accepted_at is None else "resubmit_in_review"
    day = today()

    def changes(locked):
        paused = max(working_days_between(locked.paused_since or day, day), 0)
        values = {
            "paused_since": None,
            "paused_days": locked.paused_days + paused,
            "computed_amount": amount_compute(locked.form, locked.data),
        }
        if locked.accepted_at is None and locked.accept_due:
            values["accept_due"] = add_working_days(locked.accept_due, paused)
        if locked.decision_due:
            values["decision_due"] = add_working_days(locked.decision_due, paused)
        return values

    def after(saved):
        if notice is not None:
            type(notice).objects.filter(pk=notice.pk).update(answered_at=timezone.now())
        notify.to_applicant(
            saved, title=_("补正材料已提交"), body=_("您的申请 %(n)s 已提交补正材料，等待审核。") % {"n": saved.number}
        )

    return fire(APPLICATION, current, name, actor=actor, expect=Status.CORRECTION, changes=changes, after=after)


def can_edit(application: Application, actor) -> bool:
    return application.status in EDITABLE and (actor.role == Role.DESK_STAFF or is_applicant(application, actor))
