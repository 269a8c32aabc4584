"""The applicant's pages (an entrepreneur, or desk staff on their behalf): my applications, apply,
the application with its form, materials, pre-check and public timeline, 补正 and withdrawal.

Thin: parse, call one service or selector, render; a ``DomainError`` becomes a message on the page
the user came from, and an application the user may not see is a 404.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.crypto import lookup_hash
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from chuangfu.core.scoping import scope_by_jurisdiction
from chuangfu.policies.models import ObtainMode, Policy, Target
from chuangfu.registry.models import Carrier, CarrierKind, Enterprise, Person

from .. import deadlines, selectors, services
from ..models import EntitlementLine, Status
from ..prefill import prefill
from ..services.applying import can_edit
from ..services.limits import period_choices
from ..workflows import APPLICATION

APPLY_ROLES = frozenset({Role.ENTREPRENEUR, Role.DESK_STAFF})


def applicant_view(view):
    """Logged in as an entrepreneur or desk staff; NotFound is a plain 404."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.role not in APPLY_ROLES and not request.user.is_superuser:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@applicant_view
def mine(request):
    actor = request.user
    if actor.role == Role.DESK_STAFF:
        applications = scope_by_jurisdiction(
            selectors.Application.objects.filter(created_by=actor).select_related("policy", "person", "enterprise"),
            actor,
        ).order_by("-id")
    else:
        applications = selectors.applications_mine(actor).order_by("-id")
    return render(
        request,
        "subsidies/mine.html",
        {
            "applications": applications[:200],
            "policies": selectors.policies_open_for_applications().order_by("title"),
        },
    )


def _subjects_for_desk(request, policy):
    """Desk staff name the subject by 身份证号码 or 统一社会信用代码; only their town's records."""
    code = (request.POST.get("subject_code") or "").strip().upper()
    if not code:
        raise DomainError("subject_required", _("请填写申请人的身份证号码或企业的统一社会信用代码。"))
    if policy.target == Target.PERSON:
        qs = Person.objects.filter(id_number_hash=lookup_hash(code))
    else:
        qs = Enterprise.objects.filter(uscc=code)
    subject = scope_by_jurisdiction(qs, request.user).first()
    if subject is None:
        raise DomainError(
            "subject_not_found",
            _("本镇名录中没有这个%(target)s，请先在名录中登记。") % {"target": policy.get_target_display()},
        )
    return subject


@applicant_view
def apply(request, policy_id):
    actor = request.user
    try:
        policy = selectors.policies_open_for_applications().get(pk=policy_id)
    except (Policy.DoesNotExist, ValueError):
        raise Http404 from None
    subjects = [
        s
        for s in selectors.subjects_for(actor)
        if isinstance(s, Person if policy.target == Target.PERSON else Enterprise)
    ]
    from chuangfu.policies.selectors import version_in_force

    try:
        form = version_in_force(policy, deadlines.today()).application_form
    except (DomainError, Exception):
        form = None
    carriers = (
        scope_by_jurisdiction(Carrier.objects.filter(kind=CarrierKind.DOORSTEP_STATION), actor)
        if actor.role == Role.DESK_STAFF
        else []
    )
    if request.method == "POST":
        try:
            if actor.role == Role.DESK_STAFF:
                subject = _subjects_for_desk(request, policy)
                carrier = next((c for c in carriers if str(c.pk) == request.POST.get("carrier")), None)
            else:
                key = request.POST.get("subject", "")
                subject = next((s for s in subjects if f"{type(s).__name__}:{s.pk}" == key), None)
                if subject is None:
                    raise DomainError("subject_required", _("请选择申请对象。"))
                carrier = None
            application = services.application_start(
                actor=actor, policy=policy, subject=subject, period=request.POST.get("period", ""), carrier=carrier
            )
        except DomainError as exc:
            if not exc.details.get("application_id"):
                raise
            messages.error(request, str(exc.message))  # the one already started: go on with it
            return redirect("subsidies:my_detail", exc.details["application_id"])
        return redirect("subsidies:my_detail", application.pk)
    return render(
        request,
        "subsidies/apply.html",
        {
            "policy": policy,
            "subjects": [(f"{type(s).__name__}:{s.pk}", s) for s in subjects],
            "carriers": carriers,
            "form": form,
            "periods": period_choices(form.period_kind, deadlines.today()) if form else [""],
            "rule_text": selectors.rule_text(form) if form else "",
        },
    )


def _material_rows(application):
    files = list(application.materials.filter(replaced=False))
    rows = []
    for req in application.form.materials.all():
        rows.append({"req": req, "files": [f for f in files if f.requirement_id == req.pk]})
    return rows


def _field_rows(application):
    """(field, answer, what the registry gives) per field; the last is None for a field that is not
    pre-filled (快申快享 shows where each pre-filled answer came from and whether it was changed)."""
    registry = {}
    if application.policy.obtain_mode == ObtainMode.QUICK:
        registry = {filled.key: filled for filled in prefill(application.form, application.subject)}
    return [(f, application.data.get(f.key, ""), registry.get(f.key)) for f in application.form.fields.all()]


@applicant_view
def detail(request, pk):
    actor = request.user
    application = selectors.get_application_for(actor, pk)
    editable = can_edit(application, actor)
    context = {
        "application": application,
        "editable": editable,
        "materials": _material_rows(application),
        "fields": _field_rows(application),
        "quick": application.policy.obtain_mode == ObtainMode.QUICK,
        "entitlement": EntitlementLine.objects.filter(application=application).select_related("batch").first(),
        "events": selectors.timeline(application, staff=False),
        "rule_text": selectors.rule_text(application.form),
        "notice": application.corrections.order_by("-sequence").first(),
        "can_withdraw": any(t.name == "withdraw" for t in APPLICATION.available(application, actor)),
        "status_label": APPLICATION.label(application.status),
    }
    if editable:
        context["precheck"] = selectors.application_precheck(application)
        context["missing"] = selectors.missing_items(application)
    return render(request, "subsidies/detail.html", context)


@applicant_view
@require_POST
def save(request, pk):
    application = selectors.get_application_for(request.user, pk)
    raw = {f.key: request.POST.get(f.key, "") for f in application.form.fields.all()}
    services.application_save(actor=request.user, application=application, raw=raw)
    messages.success(request, _("已保存。"))
    return redirect("subsidies:my_detail", pk)


@applicant_view
@require_POST
def upload(request, pk, requirement_id):
    application = selectors.get_application_for(request.user, pk)
    requirement = application.form.materials.filter(pk=requirement_id).first()
    if requirement is None:
        raise Http404
    files = request.FILES.getlist("file")
    if not files:
        messages.error(request, _("请选择要上传的文件。"))
    for upload_ in files:
        services.material_upload(actor=request.user, application=application, requirement=requirement, upload=upload_)
    return redirect("subsidies:my_detail", pk)


@applicant_view
@require_POST
def remove(request, pk, material_id):
    material = selectors.get_material_for(request.user, pk, material_id)
    services.material_remove(actor=request.user, application=material.application, material=material)
    return redirect("subsidies:my_detail", pk)


@applicant_view
@require_POST
def submit(request, pk):
    application = selectors.get_application_for(request.user, pk)
    if application.status == Status.CORRECTION:
        services.application_resubmit(actor=request.user, application=application)
        messages.success(request, _("补正材料已提交。"))
    else:
        saved = services.application_submit(
            actor=request.user,
            application=application,
            acknowledge_warning=request.POST.get("acknowledge") == "1",
            seen_status=request.POST.get("seen_status") or Status.DRAFT,
        )
        messages.success(request, _("申请已提交，编号 %(n)s。") % {"n": saved.number})
    return redirect("subsidies:my_detail", pk)


@applicant_view
@require_POST
def withdraw(request, pk):
    application = selectors.get_application_for(request.user, pk)
    services.application_withdraw(actor=request.user, application=application, reason=request.POST.get("reason", ""))
    messages.success(request, _("申请已撤回。"))
    return redirect("subsidies:my_detail", pk)


@login_required
def material(request, pk, material_id):
    """A material's file, for whoever may see the application (applicant or staff in scope)."""
    item = selectors.get_material_for(request.user, pk, material_id)
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
