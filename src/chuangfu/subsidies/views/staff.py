"""Staff pages: the queue with filters and deadline flags, an application with the actions the
machine offers the user, and the structured editor of a policy version's application form."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.bounds import int_param
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import Role
from chuangfu.core.uploads import KINDS
from chuangfu.policies.models import ObtainMode, PolicyVersion
from chuangfu.policies.permissions import can_edit_policy

from .. import deadlines, selectors, services
from ..models import APPLY_MODES, CYCLE_KINDS, AmountKind, ApplicationForm, FieldKind, PeriodKind, Status
from ..prefill import choices_for as prefill_choices
from ..services.entitlements import policy_cycle, policy_year_max
from ..services.forms import FieldSpec, MaterialSpec
from ..workflows import APPLICATION, CAUTION, WITH_FORM, involvement

PER_PAGE = 30


def staff_view(view):
    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.can_see_queue(request.user):
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from None

    return wrapper


def _decorate(application):
    application.flag = deadlines.flag(application)
    application.flag_label = deadlines.FLAG_LABELS.get(application.flag, "")
    application.status_label = APPLICATION.label(application.status)
    running = deadlines.running_deadline(application)
    application.running = (deadlines.CLOCK_LABELS[running[0]], running[1]) if running else None
    return application


@staff_view
def queue(request):
    actor = request.user
    g = request.GET
    qs = selectors.applications_for_staff(
        actor,
        status=g.get("status", ""),
        policy_id=int_param(g.get("policy")),
        q=g.get("q", ""),
        flag=g.get("flag", ""),
    )
    page = Paginator(qs, PER_PAGE).get_page(g.get("page"))
    for application in page:
        _decorate(application)
    flags = [
        (deadlines.OVERDUE, deadlines.FLAG_LABELS[deadlines.OVERDUE]),
        (deadlines.DUE_SOON, deadlines.FLAG_LABELS[deadlines.DUE_SOON]),
        ("deemed", _("视为受理")),
        ("fault", _("流程瑕疵")),
    ]
    return render(
        request,
        "subsidies/staff_queue.html",
        {
            "page": page,
            "statuses": [s for s in Status.choices if s[0] != Status.DRAFT],
            "flags": flags,
            "policies": selectors.policies_open_for_applications().order_by("title"),
            "filters": g,
            "query": "&".join(f"{k}={v}" for k, v in g.items() if k != "page" and v),
        },
    )


# Done on the 公示 and 拨付 pages (a notice batch, an objection, a payment with its reference).
ON_RELEASE_PAGES = {"publish", "uphold_objection", "disburse"}


def _actions(application, actor) -> list[dict]:
    return [
        {"t": t, "caution": t.name in CAUTION, "form": t.name in WITH_FORM}
        for t in APPLICATION.available(application, actor)
        if t.name not in ("submit", "resubmit", "resubmit_in_review", "withdraw", *ON_RELEASE_PAGES)
    ]


def _release_links(application, actor) -> list[tuple[str, str]]:
    """Links to where the 公示 and 拨付 steps the actor may take on this application are done."""
    links = []
    for t in APPLICATION.available(application, actor):
        if t.name == "publish":
            links.append((t.label, reverse("notices:batch_create")))
        elif t.name == "disburse":
            links.append((t.label, reverse("disbursements:pay", args=[application.pk])))
        elif t.name == "uphold_objection":
            entry = application.notice_entries.order_by("-id").first()
            if entry is not None:
                links.append((_("处理异议"), reverse("notices:batch_detail", args=[entry.batch_id])))
    return links


def _waiting_for(application, actor) -> list[dict]:
    """The next steps (forward transitions) the actor cannot take: why not, and which role and
    which people of the jurisdiction can (复审 needs a reviewer other than the first)."""
    people = list(selectors.staff_who_may_act(application))
    rows = []
    for t, able in APPLICATION.who_may(application, people):
        if t.target is None or t.name in CAUTION or APPLICATION.refusal(application, t, actor) is None:
            continue
        rows.append(
            {
                "label": t.label,
                "roles": "、".join(str(Role(r).label) for r in Role.values if r in t.roles),
                "why": APPLICATION.refusal(application, t, actor),
                "people": able,
            }
        )
    return rows


@staff_view
def detail(request, pk):
    actor = request.user
    application = _decorate(selectors.get_application_for(actor, pk))
    files = list(application.materials.all())
    actions, release_links = _actions(application, actor), _release_links(application, actor)
    return render(
        request,
        "subsidies/staff_detail.html",
        {
            "application": application,
            "actions": actions,
            "release_links": release_links,
            "waiting_for": _waiting_for(application, actor),
            "involved": involvement(application, actor),
            "fields": [(f, application.data.get(f.key, "")) for f in application.form.fields.all()],
            "materials": [
                {"req": r, "files": [f for f in files if f.requirement_id == r.pk]}
                for r in application.form.materials.all()
            ],
            "events": selectors.timeline(application, staff=True),
            "corrections": application.corrections.all(),
            "rule_text": selectors.rule_text(application.form),
        },
    )


@staff_view
@require_POST
def act(request, pk, name):
    actor = request.user
    application = selectors.get_application_for(actor, pk)
    p = request.POST
    inputs = {}
    try:
        if name == "request_correction":
            reasons = {k: v for k, v in p.items() if k.startswith(("material_", "field_"))}
            inputs["items"] = services.correction_items(
                application,
                materials=p.getlist("materials"),
                fields=p.getlist("fields"),
                other=p.get("other", ""),
                reasons=reasons,
            )
        elif name == "set_amount":
            inputs["amount"] = p.get("amount", "")
        services.application_transition(
            application=application,
            actor=actor,
            name=name,
            note=p.get("note", ""),
            inputs=inputs,
            seen_status=p.get("seen_status", ""),
        )
        messages.success(request, _("已完成：%(a)s。") % {"a": APPLICATION.transition(name).label})
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("subsidies:staff_detail", pk)


# --- the application form of a policy version -------------------------------------------------------


def _rows(post, prefix: str, names: tuple) -> list[dict]:
    """Rows of a repeated group of inputs named ``<prefix>-<n>-<name>`` (blank rows dropped)."""
    rows = {}
    for key, value in post.items():
        parts = key.split("-", 2)
        if len(parts) == 3 and parts[0] == prefix and parts[1].isdigit() and parts[2] in names:
            rows.setdefault(int(parts[1]), {})[parts[2]] = value
    for key in post:
        parts = key.split("-", 2)
        if len(parts) == 3 and parts[0] == prefix and parts[2] == "kinds" and parts[1].isdigit():
            rows.setdefault(int(parts[1]), {})["kinds"] = ",".join(post.getlist(key))
    return [
        rows[n]
        for n in sorted(rows)
        if any(str(v).strip() for k, v in rows[n].items() if k not in ("kind", "required", "kinds", "id"))
    ]


@staff_view
def forms_list(request):
    """The versions of policies obtained on this platform, with or without their application form."""
    from chuangfu.policies.permissions import can_edit_policies

    if not can_edit_policies(request.user):
        raise Http404
    versions = (
        PolicyVersion.objects.filter(policy__obtain_mode__in=APPLY_MODES)
        .select_related("policy", "application_form")
        .order_by("policy__title", "-number")
    )
    rows = [
        {
            "version": v,
            "form": getattr(v, "application_form", None),
            "editable": can_edit_policy(request.user, v.policy),
        }
        for v in versions
    ]
    automatic = [
        {
            "policy": p,
            "cycle": (cycle := policy_cycle(p)),
            "cycle_label": PeriodKind(cycle).label,
            "year_max": policy_year_max(p),
            "editable": can_edit_policy(request.user, p),
        }
        for p in selectors.automatic_policies()
    ]
    cycles = [(k, PeriodKind(k).label) for k in CYCLE_KINDS]
    return render(request, "subsidies/forms_list.html", {"rows": rows, "automatic": automatic, "cycles": cycles})


@staff_view
def form_edit(request, version_id):
    actor = request.user
    try:
        version = PolicyVersion.objects.select_related("policy").get(pk=version_id)
    except (PolicyVersion.DoesNotExist, ValueError):
        raise Http404 from None
    if not can_edit_policy(actor, version.policy) or version.policy.obtain_mode not in APPLY_MODES:
        raise Http404
    form = ApplicationForm.objects.filter(version=version).first()
    # a new version starts from the form of the version before it (an amendment rarely changes the form)
    source = form or ApplicationForm.objects.filter(version__policy=version.policy).order_by("-version__number").first()
    errors = []
    if request.method == "POST":
        p = request.POST
        fields = [
            FieldSpec(
                key=r.get("key", "").strip(),
                label=r.get("label", ""),
                kind=r.get("kind", FieldKind.TEXT),
                required=r.get("required") == "1",
                choices=r.get("choices", ""),
                help_text=r.get("help_text", ""),
                prefill=r.get("prefill", ""),
            )
            for r in _rows(p, "field", ("key", "label", "kind", "required", "choices", "help_text", "prefill"))
        ]
        materials = [
            MaterialSpec(
                name=r.get("name", ""),
                description=r.get("description", ""),
                required=r.get("required") == "1",
                accepted_kinds=r.get("kinds", ""),
                id=int(r["id"]) if r.get("id", "").isdigit() else None,
            )
            for r in _rows(p, "material", ("name", "description", "required", "id"))
        ]
        values = {
            k: p.get(k, "")
            for k in (
                "instructions",
                "amount_kind",
                "amount_value",
                "amount_cap",
                "heads_field",
                "months_field",
                "fees_field",
                "max_times",
                "max_amount_per_year",
                "period_kind",
            )
        }
        try:
            services.form_save(actor=actor, version=version, values=values, fields=fields, materials=materials)
            messages.success(request, _("申请表已保存。"))
            return redirect("subsidies:form_edit", version.pk)
        except DomainError as exc:
            errors = exc.details.get("errors") or [str(exc.message)]
        posted = {"values": values, "fields": fields, "materials": materials}
    else:
        posted = {
            "values": {
                k: getattr(source, k) if source else ""
                for k in (
                    "instructions",
                    "amount_kind",
                    "amount_value",
                    "amount_cap",
                    "heads_field",
                    "months_field",
                    "fees_field",
                    "max_times",
                    "max_amount_per_year",
                    "period_kind",
                )
            },
            "fields": list(source.fields.all()) if source else [],
            "materials": [
                MaterialSpec(
                    name=m.name,
                    description=m.description,
                    required=m.required,
                    accepted_kinds=m.accepted_kinds,
                    id=m.pk if form else None,
                )
                for m in source.materials.all()
            ]
            if source
            else [],
        }
        if source is None:
            posted["values"].update(
                amount_kind=AmountKind.FIXED,
                period_kind=PeriodKind.NONE,
                amount_value=version.benefit_amount or "",
                amount_cap=version.benefit_cap or "",
                max_times=version.max_times or "",
            )
            posted["materials"] = [MaterialSpec(name=m) for m in version.material_list]
    blank = 3
    return render(
        request,
        "subsidies/form_edit.html",
        {
            "version": version,
            "policy": version.policy,
            "errors": errors,
            "values": posted["values"],
            "fields": list(posted["fields"]) + [None] * blank,
            "materials": [(m, set(m.accepted_kinds.split(","))) for m in posted["materials"]]
            + [(None, {"image", "pdf"})] * blank,
            "field_kinds": FieldKind.choices,
            "amount_kinds": AmountKind.choices,
            "period_kinds": PeriodKind.choices,
            "prefill_choices": prefill_choices(version.policy.target)
            if version.policy.obtain_mode == ObtainMode.QUICK
            else None,
            "file_kinds": [(k, label) for k, (label, _exts) in KINDS.items()],
            "application_count": form.applications.count() if form else 0,
            "copied_from": source.version if source is not None and form is None else None,
        },
    )
