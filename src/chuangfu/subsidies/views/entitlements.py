"""免申即享 pages: each automatic policy's cycle and batches, building a cycle's batch on demand,
reviewing a batch line by line (htmx), the leadership's approval and the publication as a 公示.
Thin: parse, call a service or selector, render. Another town's batch or line is a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Jurisdiction, Role
from chuangfu.core.scoping import scope_by_jurisdiction
from chuangfu.core.web import errors_on, refused_with
from chuangfu.policies.permissions import can_edit_policy
from chuangfu.policies.selectors import current_version

from .. import selectors
from ..forms import EntitlementBuildForm, EntitlementCycleForm, EntitlementExcludeForm
from ..models import EntitlementStatus, PeriodKind
from ..services import entitlement_review as review
from ..services import entitlements
from ..services.limits import period_of
from ..workflows import ENTITLEMENT
from .notices import staff_view

LINES_PER_PAGE = 100
ACTIONS = {
    "submit": review.entitlement_batch_submit,
    "approve": review.entitlement_batch_approve,
    "return": review.entitlement_batch_return,
    "publish": review.entitlement_batch_publish,
}


def _is_reviewer(user) -> bool:
    return user.is_superuser or user.role == Role.REVIEWER


def _towns(user):
    towns = Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN).order_by("code")
    return scope_by_jurisdiction(towns, user, field="")


def _policy_rows(user):
    today = timezone.localdate()
    rows = []
    for policy in selectors.automatic_policies():
        version = current_version(policy, today)
        cycle = entitlements.policy_cycle(policy, version)
        problem = None
        try:
            entitlements.refuse_unless_automatic(policy, version)
        except DomainError as exc:
            problem = exc.message
        rows.append(
            {
                "policy": policy,
                "version": version,
                "cycle": cycle,
                "cycle_label": PeriodKind(cycle).label,
                "period": period_of(cycle, today),
                "problem": problem if version else _("没有已发布的版本。"),
            }
        )
    return rows


@staff_view
def entitlement_list(request):
    user = request.user
    rows = _policy_rows(user)
    build_form = EntitlementBuildForm(
        policies=selectors.automatic_policies(), towns=_towns(user), initial={"town": user.jurisdiction_id}
    )
    return render(
        request,
        "subsidies/entitlements/list.html",
        {
            "rows": rows,
            "batches": selectors.entitlement_batches(actor=user)[:200],
            "build_form": build_form if _is_reviewer(user) else None,
        },
    )


@require_POST
@staff_view
def entitlement_build(request):
    user = request.user
    form = EntitlementBuildForm(request.POST, policies=selectors.automatic_policies(), towns=_towns(user))
    if form.is_valid():
        with errors_on(form) as refusal:
            report = entitlements.entitlement_batches_build(
                policy=form.cleaned_data["policy"], town=form.cleaned_data["town"], actor=user
            )
            if report.created:
                batch = report.created[0]
                messages.success(
                    request,
                    _("已生成 %(number)s，共 %(n)d 个对象，请逐一核对。")
                    % {"number": batch.number, "n": batch.lines.count()},
                )
                return redirect("subsidies:entitlement_detail", batch.pk)
            if report.existing:
                messages.info(request, _("本周期的名单已经生成，无需重复生成。"))
                return redirect("subsidies:entitlement_detail", report.existing[0].pk)
            messages.info(
                request,
                _("资格认定日 %(day)s 本镇没有符合“%(policy)s”条件的对象，未生成名单。")
                % {"day": report.cycle_on.isoformat(), "policy": report.policy.title},
            )
            return redirect("subsidies:entitlement_list")
        status = refusal.status if refusal else 400
    else:
        status = 400
    return render(
        request,
        "subsidies/entitlements/list.html",
        {
            "rows": _policy_rows(user),
            "batches": selectors.entitlement_batches(actor=user)[:200],
            "build_form": form,
        },
        status=status,
    )


@staff_view
def entitlement_detail(request, pk):
    batch = selectors.get_entitlement_batch_for(request.user, pk)
    page = Paginator(selectors.entitlement_lines(batch), LINES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "subsidies/entitlements/detail.html",
        {
            "batch": batch,
            "page": page,
            "lines": page.object_list,
            "actions": ENTITLEMENT.available(batch, request.user),
            "can_review": _is_reviewer(request.user) and batch.status == EntitlementStatus.REVIEWING,
            "exclude_form": EntitlementExcludeForm(),
            "excluded_count": batch.line_count - batch.included_count,
        },
    )


@require_POST
@staff_view
def entitlement_act(request, pk, name):
    batch = selectors.get_entitlement_batch_for(request.user, pk)
    action = ACTIONS.get(name)
    if action is None:
        ENTITLEMENT.transition(name)  # "unknown action" for a name the machine does not have
        return redirect("subsidies:entitlement_detail", batch.pk)
    kwargs = {"actor": request.user, "batch": batch, "seen_status": request.POST.get("seen") or None}
    if name in ("approve", "return"):
        kwargs["note"] = request.POST.get("note", "")
    batch = action(**kwargs)
    messages.success(
        request,
        _("已%(action)s，名单当前为“%(state)s”。")
        % {"action": ENTITLEMENT.transition(name).label, "state": batch.get_status_display()},
    )
    return redirect("subsidies:entitlement_detail", batch.pk)


def _line_refused(request, exc, pk, line_id):
    if not request.htmx:
        raise exc  # a plain form post goes back to the page with the message (core.web)
    batch = selectors.get_entitlement_batch_for(request.user, pk)
    line = selectors.get_entitlement_line_for(batch, line_id)
    form = EntitlementExcludeForm(request.POST)
    form.is_valid()
    form.add_error(None, str(exc.message))
    return _line_response(request, batch, line, form)


def _line_response(request, batch, line, form=None):
    context = {
        "batch": batch,
        "line": line,
        "can_review": _is_reviewer(request.user) and batch.status == EntitlementStatus.REVIEWING,
        "exclude_form": form or EntitlementExcludeForm(),
    }
    return render(request, "subsidies/entitlements/_line.html", context)


@require_POST
@staff_view
@refused_with(_line_refused)
def entitlement_line(request, pk, line_id):
    """Exclude a line (with a reason) or take it back in; htmx answers with the line's row."""
    batch = selectors.get_entitlement_batch_for(request.user, pk)
    line = selectors.get_entitlement_line_for(batch, line_id)
    if request.POST.get("include"):
        line = review.entitlement_line_include(actor=request.user, line=line)
    else:
        line = review.entitlement_line_exclude(actor=request.user, line=line, reason=request.POST.get("reason", ""))
    if not request.htmx:
        return redirect("subsidies:entitlement_detail", batch.pk)
    batch = selectors.get_entitlement_batch_for(request.user, pk)
    return _line_response(request, batch, selectors.get_entitlement_line_for(batch, line.pk))


@require_POST
@staff_view
def entitlement_cycle(request, policy_id):
    """A policy editor sets an automatic policy's cycle (from the application forms page)."""
    policy = get_object_or_404(selectors.automatic_policies(), pk=policy_id)
    if not can_edit_policy(request.user, policy):
        raise Http404  # another town's policy: not found, as its records are
    form = EntitlementCycleForm(request.POST)
    if form.is_valid():
        entitlements.entitlement_cycle_set(
            actor=request.user,
            policy=policy,
            cycle=form.cleaned_data["cycle"],
            max_amount_per_year=form.cleaned_data["max_amount_per_year"],
        )
        messages.success(request, _("“%(title)s”的发放周期和每年最高金额已保存。") % {"title": policy.title})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("subsidies:forms_list")
