"""Life after payment: the staff's obligation and recovery pages, the terms editor of a policy
version, and the beneficiary's own obligations with the report form. Thin: the services decide,
a refusal comes back as the user's message (``core.web``), another town's record is a 404."""

import datetime
import functools

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chuangfu.core.bounds import BoundedInputsMixin
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from chuangfu.policies.models import PolicyVersion
from chuangfu.policies.permissions import can_edit_policy

from .. import selectors_aftercare as selectors
from ..models import ObligationKind, ObligationStatus, RecoveryStatus
from ..services import obligations, recoveries
from ..workflows_aftercare import OBLIGATION, RECOVERY, RECOVERY_DECISIONS

PER_PAGE = 30
EVIDENCE_LABELS = {
    "enterprise": gettext_lazy("企业"),
    "uscc": gettext_lazy("统一社会信用代码"),
    "registration_status_label": gettext_lazy("登记状态"),
    "status_changed_on": gettext_lazy("状态变更日期（审计记录）"),
    "due_on": gettext_lazy("到期日期"),
    "checked_on": gettext_lazy("核查日期"),
    "required": gettext_lazy("最少参保人数"),
    "months": gettext_lazy("各月参保人数"),
    "extract_reaches": gettext_lazy("社保数据截至"),
    "submitted_on": gettext_lazy("报告提交日期"),
    "by": gettext_lazy("认定人"),
}


def _staff(allowed):
    def decorate(view):
        @login_required
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


obligation_staff = _staff(selectors.can_see_obligations)
recovery_staff = _staff(selectors.can_see_recoveries)


def evidence_rows(evidence: dict) -> list[tuple[str, str]]:
    """What a check read, as labelled rows (months as "2026-11: 3 人")."""
    rows = []
    for key, label in EVIDENCE_LABELS.items():
        value = (evidence or {}).get(key)
        if value in (None, "", {}):
            continue
        if key == "months":
            value = "；".join(_("%(m)s：%(n)s 人") % {"m": m, "n": n} for m, n in value.items())
        rows.append((str(label), str(value)))
    return rows


def _checks(obligation):
    checks = list(selectors.obligation_checks(obligation))
    for check in checks:
        check.rows = evidence_rows(check.evidence)
    return checks


# --- staff: obligations -----------------------------------------------------------------------------


@obligation_staff
def obligation_list(request):
    g = request.GET
    qs = selectors.obligations_for_staff(
        request.user, status=g.get("status", ""), kind=g.get("kind", ""), q=g.get("q", "")
    )
    page = Paginator(qs, PER_PAGE).get_page(g.get("page"))
    return render(
        request,
        "subsidies/aftercare/obligations.html",
        {
            "page": page,
            "statuses": ObligationStatus.choices,
            "kinds": ObligationKind.choices,
            "filters": g,
            "query": "&".join(f"{k}={v}" for k, v in g.items() if k != "page" and v),
            "tab": "obligations",
        },
    )


def _obligation_context(request, obligation) -> dict:
    actor = request.user
    report = getattr(obligation, "report", None) if obligation.kind == ObligationKind.REPORT else None
    pending = obligation.status == ObligationStatus.PENDING
    reopen = OBLIGATION.transition("reopen")
    correctable = obligation.status == ObligationStatus.BREACHED and (actor.is_superuser or actor.role in reopen.roles)
    return {
        "obligation": obligation,
        "checks": _checks(obligation),
        "report": report,
        "can_check": pending and any(t.name == "meet" for t in OBLIGATION.available(obligation, actor)),
        "can_report": pending
        and report is None
        and obligation.kind == ObligationKind.REPORT
        and obligation_staff_reports(actor),
        "recovery": obligation.recoveries.first(),
        "can_see_recovery": selectors.can_see_recoveries(actor),
        # 更正误判: offered while the recovery waits for the decision; otherwise why not
        "correct_refusal": OBLIGATION.refusal(obligation, reopen, actor) if correctable else None,
        "can_correct": correctable and OBLIGATION.refusal(obligation, reopen, actor) is None,
        "max_chars": obligations.MAX_REPORT_CHARS,
        "tab": "obligations",
    }


def obligation_staff_reports(actor) -> bool:
    return actor.is_superuser or actor.role == Role.DESK_STAFF


@obligation_staff
def obligation_detail(request, pk):
    obligation = selectors.get_obligation_for(request.user, pk)
    return render(request, "subsidies/aftercare/obligation.html", _obligation_context(request, obligation))


@obligation_staff
@require_POST
def report_on_behalf(request, pk):
    """Desk staff hand in the report a beneficiary brought to the window (or dictated)."""
    obligation = selectors.get_obligation_for(request.user, pk)
    content = request.POST.get("content", "")
    try:
        obligations.obligation_report_submit(actor=request.user, obligation=obligation, content=content)
    except DomainError as exc:
        obligation = selectors.get_obligation_for(request.user, pk)
        context = _obligation_context(request, obligation) | {"content": content[:20000], "error": str(exc.message)}
        return render(request, "subsidies/aftercare/obligation.html", context, status=exc.status)
    messages.success(request, _("报告已代为提交。"))
    return redirect("aftercare:obligation", pk)


@obligation_staff
@require_POST
def obligation_check(request, pk):
    obligation = selectors.get_obligation_for(request.user, pk)
    check = obligations.obligation_check(obligation=obligation, actor=request.user)
    if request.htmx:
        obligation = selectors.get_obligation_for(request.user, pk)
        return render(request, "subsidies/aftercare/_checks.html", _obligation_context(request, obligation))
    messages.success(request, _("已核查：%(s)s") % {"s": check.summary})
    return redirect("aftercare:obligation", pk)


@obligation_staff
@require_POST
def obligation_mark(request, pk, name):
    obligation = selectors.get_obligation_for(request.user, pk)
    obligations.obligation_mark(
        obligation=obligation, actor=request.user, name=name, reason=request.POST.get("reason", "")
    )
    messages.success(request, _("已完成：%(a)s。") % {"a": OBLIGATION.transition(name).label})
    return redirect("aftercare:obligation", pk)


@obligation_staff
@require_POST
def obligation_correct(request, pk):
    """更正误判: the breach was found wrong; the obligation is pending again (and its recovery closed
    when it stood on nothing else)."""
    obligation = selectors.get_obligation_for(request.user, pk)
    obligations.obligation_breach_correct(
        obligation=obligation, actor=request.user, reason=request.POST.get("reason", "")
    )
    messages.success(request, _("已更正误判，该义务恢复为待履行。"))
    return redirect("aftercare:obligation", pk)


# --- staff: recoveries -------------------------------------------------------------------------------


@recovery_staff
def recovery_list(request):
    status = request.GET.get("status", "")
    page = Paginator(selectors.recoveries_for_staff(request.user, status=status), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "subsidies/aftercare/recoveries.html",
        {
            "page": page,
            "status": status,
            "statuses": [(selectors.UNFINISHED, _("未办结")), *RecoveryStatus.choices],
            "tab": "recoveries",
        },
    )


class RepaymentForm(BoundedInputsMixin, forms.Form):
    amount = forms.CharField(label=gettext_lazy("还款金额（元）"), max_length=20)
    paid_on = forms.DateField(
        label=gettext_lazy("还款日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reference = forms.CharField(label=gettext_lazy("缴款凭证号"), max_length=64)


@recovery_staff
def recovery_detail(request, pk):
    actor = request.user
    recovery = selectors.get_recovery_for(actor, pk)
    available = {t.name for t in RECOVERY.available(recovery, actor)}
    return render(
        request,
        "subsidies/aftercare/recovery.html",
        {
            "recovery": recovery,
            "owed": recovery.amount - recovery.repaid_sum,
            "repayments": recovery.repayments.select_related("recorded_by"),
            "events": selectors.recovery_events(recovery, staff=True),
            "can_set_amount": "set_amount" in available,
            "decisions": [t for t in RECOVERY.available(recovery, actor) if t.name in RECOVERY_DECISIONS],
            "can_repay": "repay" in available,
            "repayment_form": RepaymentForm(initial={"paid_on": datetime.date.today()}),
            "tab": "recoveries",
        },
    )


@recovery_staff
@require_POST
def recovery_act(request, pk, name):
    recovery = selectors.get_recovery_for(request.user, pk)
    p = request.POST
    if name == "set_amount":
        recoveries.recovery_set_amount(
            actor=request.user, recovery=recovery, amount=p.get("amount"), reason=p.get("note", "")
        )
    else:
        recoveries.recovery_decide(
            actor=request.user,
            recovery=recovery,
            name=name,
            note=p.get("note", ""),
            expect=p.get("seen_status") or None,
        )
    messages.success(request, _("已完成：%(a)s。") % {"a": RECOVERY.transition(name).label})
    return redirect("aftercare:recovery", pk)


@recovery_staff
@require_POST
def repayment_record(request, pk):
    recovery = selectors.get_recovery_for(request.user, pk)
    form = RepaymentForm(request.POST)
    if not form.is_valid():
        raise DomainError("invalid", " ".join(str(e) for errors in form.errors.values() for e in errors))
    data = form.cleaned_data
    recoveries.repayment_record(
        actor=request.user,
        recovery=recovery,
        amount=data["amount"],
        paid_on=data["paid_on"],
        reference=data["reference"],
    )
    messages.success(request, _("还款已登记。"))
    return redirect("aftercare:recovery", pk)


# --- the terms of a policy version ------------------------------------------------------------------


@login_required
def terms_edit(request, version_id):
    try:
        version = PolicyVersion.objects.select_related("policy").get(pk=version_id)
    except (PolicyVersion.DoesNotExist, ValueError):
        raise Http404 from None
    if not can_edit_policy(request.user, version.policy):
        raise Http404
    errors = []
    if request.method == "POST":
        p = request.POST
        specs = []
        for n in range(obligations.MAX_TERMS + 3):
            kind = p.get(f"term-{n}-kind", "")
            if not kind:
                continue
            specs.append(
                obligations.TermSpec(
                    kind=kind,
                    months=p.get(f"term-{n}-months", ""),
                    employees=p.get(f"term-{n}-employees", "") or None,
                    title=p.get(f"term-{n}-title", ""),
                    description=p.get(f"term-{n}-description", ""),
                    remind_days=p.get(f"term-{n}-remind_days", ""),
                )
            )
        try:
            obligations.obligation_terms_save(actor=request.user, version=version, terms=specs)
            messages.success(request, _("后续义务已保存，此后拨付的补贴按新的义务执行。"))
            return redirect("aftercare:terms", version.pk)
        except DomainError as exc:
            errors = exc.details.get("errors") or [str(exc.message)]
        rows = specs
    else:
        rows = list(selectors.obligation_terms(version))
    return render(
        request,
        "subsidies/aftercare/terms.html",
        {
            "version": version,
            "policy": version.policy,
            "errors": errors,
            "rows": list(rows) + [None] * 3,
            "kinds": ObligationKind.choices,
        },
        status=400 if errors else 200,
    )


# --- the beneficiary -------------------------------------------------------------------------------


@login_required
def mine(request):
    actor = request.user
    return render(
        request,
        "subsidies/aftercare/mine.html",
        {
            "obligations": selectors.obligations_mine(actor).order_by("status", "due_on"),
            "recoveries": selectors.recoveries_mine(actor),
        },
    )


def _my_obligation_page(request, obligation, *, content: str = "", error: str = "", status: int = 200):
    recovery = getattr(obligation.paid, "recovery", None)
    return render(
        request,
        "subsidies/aftercare/my_obligation.html",
        {
            "obligation": obligation,
            "checks": selectors.obligation_checks(obligation),
            "report": getattr(obligation, "report", None) if obligation.kind == ObligationKind.REPORT else None,
            "recovery": recovery,
            "recovery_owed": recovery.amount - recovery.repaid if recovery else None,
            "recovery_events": selectors.recovery_events(recovery, staff=False) if recovery else [],
            "max_chars": obligations.MAX_REPORT_CHARS,
            "content": content,
            "error": error,
        },
        status=status,
    )


@login_required
def my_obligation(request, pk):
    return _my_obligation_page(request, selectors.get_obligation_for(request.user, pk))


@login_required
@require_POST
def report_submit(request, pk):
    obligation = selectors.get_obligation_for(request.user, pk)
    content = request.POST.get("content", "")
    try:
        obligations.obligation_report_submit(actor=request.user, obligation=obligation, content=content)
    except DomainError as exc:
        # the page again, with what was typed and the reason: nothing submitted is lost
        obligation = selectors.get_obligation_for(request.user, pk)
        return _my_obligation_page(
            request, obligation, content=content[:20000], error=str(exc.message), status=exc.status
        )
    messages.success(request, _("报告已提交。"))
    return redirect("aftercare:my_obligation", pk)
