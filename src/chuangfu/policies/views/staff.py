"""Staff pages of the policy library: list, create and edit policies and versions, the rule
editor and rule test cases, publishing, matches, 政策找人 (outreach lists, export, campaigns),
grant lists, rates, and a subject's policy panel. Thin: parse, call a service or selector, render.
Records outside the actor's scope are 404; refusals from services are shown where they belong."""

import datetime
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError
from chuangfu.core.models import STAFF_ROLES, Job, Jurisdiction
from chuangfu.core.web import errors_on, put_error

from .. import editor, rates, rules, selectors, services
from ..exporters import EnterpriseOutreachExporter, PersonOutreachExporter
from ..forms import (
    CampaignForm,
    ContactForm,
    FactsForm,
    GrantImportForm,
    PolicyFilterForm,
    PolicyForm,
    RatesFilterForm,
    RuleCaseForm,
    VersionForm,
    plan_questions,
)
from ..models import OutreachContact, Result, Target, VersionStatus
from ..permissions import can_edit_policies, can_edit_policy, can_outreach, can_view_matches, role_of
from ..workflows import VERSION


def staff_view(view):
    """Staff only; records outside the actor's scope (``NotFound``) are a plain 404."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if role_of(request.user) not in STAFF_ROLES:
            raise Http404()
        return view(request, *args, **kwargs)

    return wrapped


def _page(request, qs, per_page=30):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


# --- library ------------------------------------------------------------------------------------


@staff_view
def policy_list(request):
    form = PolicyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    policies = selectors.policy_list(actor=request.user, filters=filters)
    counts = {}
    if can_view_matches(request.user):
        counts = selectors.scoped_match_counts(actor=request.user)
    context = {"form": form, "policies": policies, "counts": counts, "can_edit": can_edit_policies(request.user)}
    template = "policies/_policy_rows.html" if request.htmx else "policies/policy_list.html"
    return render(request, template, context)


@staff_view
def policy_create(request):
    if not can_edit_policies(request.user):
        raise Http404()
    policy_form = PolicyForm(request.POST or None, actor=request.user, prefix="p")
    version_form = VersionForm(request.POST or None, prefix="v", initial={"effective_from": timezone.localdate()})
    if request.method == "POST" and policy_form.is_valid() and version_form.is_valid():
        try:
            version = services.policy_create(
                actor=request.user, policy_data=policy_form.cleaned_data, version_data=version_form.cleaned_data
            )
        except DomainError as exc:
            target = exc.details.get("field")
            form = policy_form if target in policy_form.fields else version_form
            put_error(form, exc, target if target in form.fields else None)
        else:
            messages.success(request, _("已创建政策草稿，请设置享受条件。"))
            return redirect("policies:rule_edit", version.policy_id, version.number)
    return render(
        request,
        "policies/policy_form.html",
        {"policy_form": policy_form, "version_form": version_form, "title": _("新建政策")},
    )


@staff_view
def policy_edit(request, pk):
    policy = selectors.get_policy(pk, actor=request.user)
    if not can_edit_policy(request.user, policy):
        raise Http404()
    form = PolicyForm(request.POST or None, instance=policy, actor=request.user, prefix="p")
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.policy_update(actor=request.user, policy=policy, data=form.cleaned_data)
            messages.success(request, _("已保存。"))
            return redirect("policies:policy_detail", policy.pk)
    return render(request, "policies/policy_form.html", {"policy_form": form, "title": _("修改政策"), "policy": policy})


@staff_view
def policy_detail(request, pk):
    policy = selectors.get_policy(pk, actor=request.user)
    versions = list(selectors.version_list(policy, actor=request.user))
    current = selectors.current_version(policy)
    context = {
        "policy": policy,
        "versions": versions,
        "current": current,
        "described": rules.describe(current.rule) if current and current.rule else None,
        "draft": next((v for v in versions if v.status != VersionStatus.PUBLISHED), None),
        "can_edit": can_edit_policy(request.user, policy),
        "can_view_matches": can_view_matches(request.user),
        "can_outreach": can_outreach(request.user),
    }
    if context["can_view_matches"]:
        context["counts"] = selectors.match_counts(actor=request.user, policy=policy)
        context["outreach_count"] = selectors.outreach_pages(actor=request.user, policy=policy).count()
        context["campaigns"] = selectors.campaign_list(actor=request.user, policy=policy)[:5]
    return render(request, "policies/policy_detail.html", context)


@staff_view
@require_POST
def policy_amend(request, pk):
    policy = selectors.get_policy(pk, actor=request.user)
    version = services.version_amend(actor=request.user, policy=policy)
    messages.success(request, _("已新建第%(n)d版草稿（复制了上一版的内容、条件和测试用例）。") % {"n": version.number})
    return redirect("policies:version_edit", pk, version.number)


# --- versions, rules, test cases ---------------------------------------------------------------


def _version(request, pk, number):
    policy = selectors.get_policy(pk, actor=request.user)
    return selectors.get_version(policy, number, actor=request.user)


@staff_view
def version_detail(request, pk, number):
    version = _version(request, pk, number)
    policy = version.policy
    results = selectors.rule_case_results(version)
    context = {
        "policy": policy,
        "version": version,
        "results": results,
        "described": rules.describe(version.rule) if version.rule else None,
        "can_edit": version.is_draft and can_edit_policy(request.user, policy),
        "can_publish": VERSION.refusal(version, VERSION.transition("publish"), request.user) is None,
        "publish_refusal": VERSION.refusal(version, VERSION.transition("publish"), request.user)
        if version.is_draft and can_edit_policy(request.user, policy)
        else None,
        "can_consult": VERSION.refusal(version, VERSION.transition("consult"), request.user) is None,
        "consultations": version.consultations.order_by("-number"),
    }
    return render(request, "policies/version_detail.html", context)


@staff_view
def version_edit(request, pk, number):
    version = _version(request, pk, number)
    if not (version.is_draft and can_edit_policy(request.user, version.policy)):
        raise Http404()
    form = VersionForm(request.POST or None, instance=version, prefix="v")
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.version_update(actor=request.user, version=version, data=form.cleaned_data)
            messages.success(request, _("已保存。"))
            return redirect("policies:version_detail", pk, number)
    version.refresh_from_db()
    return render(request, "policies/version_form.html", {"form": form, "version": version, "policy": version.policy})


@staff_view
def rule_edit(request, pk, number):
    version = _version(request, pk, number)
    policy = version.policy
    if not (version.is_draft and can_edit_policy(request.user, policy)):
        raise Http404()
    errors = []
    if request.method == "POST":
        tree = editor.parse(request.POST)
        action = request.POST.get("action", "refresh")
        if action == "save":
            try:
                services.version_set_rule(actor=request.user, version=version, rule=tree)
            except rules.RuleError as exc:
                errors = exc.errors
            except DomainError as exc:
                errors = [str(exc.message)]
            else:
                messages.success(request, _("享受条件已保存。"))
                url = reverse("policies:version_detail", args=[pk, number])
                if request.htmx:
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = url
                    return response
                return redirect(url)
        else:
            editor.apply(tree, action, policy.target)
    else:
        tree = editor.starting_tree(version.rule, policy.target)
    context = {
        "policy": policy,
        "version": version,
        "root": editor.build(tree, policy.target),
        "errors": errors,
        "group_kinds": editor.group_kinds(),
        "places": _place_choices(),
        "policies": _policy_choices(request.user),
        "preview": _preview(tree, policy.target),
    }
    template = "policies/_rule_editor.html" if request.htmx else "policies/rule_edit.html"
    return render(request, template, context)


def _preview(tree, subject):
    try:
        return rules.describe(rules.validate_rule(tree, subject))
    except rules.RuleError:
        return None


def _place_choices():
    return [(j.code, ("　" * j.path.count("/")) + str(j)) for j in Jurisdiction.objects.order_by("path")]


def _policy_choices(actor):
    """Policies a rule may refer to: those the editor sees (no other town's draft)."""
    return list(
        selectors.policy_list(actor=actor).prefetch_related(None).order_by("title").values_list("code", "title")
    )


def _case_form(request, version, case=None):
    questions = plan_questions([(version.rule, version.policy.code)], version.policy.target)
    initial = (
        {"name": case.name, "expected": case.expected, **FactsForm.initial_from(case.facts, questions)}
        if case
        else None
    )
    return RuleCaseForm(request.POST or None, questions=questions, mode="case", initial=initial)


@staff_view
def case_edit(request, pk, number, case_id=None):
    version = _version(request, pk, number)
    if not (version.is_draft and can_edit_policy(request.user, version.policy)):
        raise Http404()
    case = None
    if case_id is not None:
        case = version.test_cases.filter(pk=case_id).first()
        if case is None:
            raise Http404()
    if not version.rule:
        messages.error(request, _("请先设置享受条件，再添加测试用例。"))
        return redirect("policies:rule_edit", pk, number)
    form = _case_form(request, version, case)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.rule_case_save(
                actor=request.user,
                version=version,
                name=form.cleaned_data["name"],
                facts=form.facts(),
                expected=form.cleaned_data["expected"],
                case=case,
            )
            messages.success(request, _("测试用例已保存。"))
            return redirect("policies:version_detail", pk, number)
    return render(
        request, "policies/case_form.html", {"form": form, "version": version, "policy": version.policy, "case": case}
    )


@staff_view
@require_POST
def case_delete(request, pk, number, case_id):
    version = _version(request, pk, number)
    case = version.test_cases.filter(pk=case_id).first()
    if case is None:
        raise Http404()
    services.rule_case_delete(actor=request.user, case=case)
    return redirect("policies:version_detail", pk, number)


@staff_view
@require_POST
def version_publish(request, pk, number):
    version = _version(request, pk, number)
    services.version_publish(actor=request.user, version=version)
    messages.success(request, _("第%(n)d版已发布，正在后台匹配名录。") % {"n": version.number})
    return redirect("policies:policy_detail", pk)


# --- matching -----------------------------------------------------------------------------------


@staff_view
@require_POST
def match_start(request):
    job = services.match_start(actor=request.user)
    return redirect("policies:job_status", job.pk)


@staff_view
def job_status(request, job_id):
    job = Job.objects.filter(pk=job_id, created_by=request.user, kind__startswith="policies.").first()
    if job is None:
        raise Http404()
    template = "policies/_job_progress.html" if request.htmx else "policies/job_status.html"
    return render(request, template, {"job": job})


@staff_view
def match_list(request, pk):
    policy = selectors.get_policy(pk, actor=request.user)
    result = request.GET.get("result") or Result.ELIGIBLE
    if result not in (Result.ELIGIBLE, Result.ALMOST, Result.UNKNOWN):
        raise Http404()
    matches = selectors.match_list(actor=request.user, policy=policy, result=result)
    return render(
        request,
        "policies/match_list.html",
        {
            "policy": policy,
            "result": result,
            "page": _page(request, matches),
            "tabs": [(r, Result(r).label) for r in (Result.ELIGIBLE, Result.ALMOST, Result.UNKNOWN)],
        },
    )


# --- 政策找人 -------------------------------------------------------------------------------------


@staff_view
def outreach(request, pk):
    policy = selectors.get_policy(pk, actor=request.user)
    places = selectors.campaign_jurisdictions(request.user)
    form = CampaignForm(
        request.POST or None,
        places=places,
        initial={
            "jurisdiction": request.user.jurisdiction_id,
            "title": _("政策提醒：%(title)s") % {"title": policy.title},
            "message": _("您可能符合“%(title)s”的享受条件，欢迎到社区事务受理服务中心或登录创服平台了解和申请。")
            % {"title": policy.title},
        },
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            campaign = services.campaign_start(actor=request.user, policy=policy, **form.cleaned_data)
            messages.success(request, _("政策找人行动已开始，正在后台通知。"))
            return redirect("policies:campaign_detail", campaign.pk)
    listed = selectors.outreach_pages(actor=request.user, policy=policy)
    return render(
        request,
        "policies/outreach.html",
        {
            "policy": policy,
            "page": _page(request, listed),
            "form": form,
            "can_outreach": can_outreach(request.user),
            "campaigns": selectors.campaign_list(actor=request.user, policy=policy)[:20],
        },
    )


@staff_view
def outreach_export(request, pk):
    policy = selectors.get_policy(pk, actor=request.user)
    listed = selectors.outreach_list(actor=request.user, policy=policy)
    exporter = PersonOutreachExporter() if policy.target == Target.PERSON else EnterpriseOutreachExporter()
    if policy.target == Target.ENTERPRISE:
        listed = listed.select_related("enterprise__legal_representative")

    log_action(
        actor=request.user, action="policies.outreach.exported", obj=policy, note=_("导出政策找人名单（已脱敏）")
    )
    return exporter.response(listed, filename=f"政策找人-{policy.title}")


@staff_view
def campaign_detail(request, campaign_id):
    campaign = selectors.get_campaign_for(request.user, campaign_id)
    contacts = selectors.campaign_contacts(actor=request.user, campaign=campaign)
    job = Job.objects.filter(kind="policies.campaign", params__campaign_id=campaign.pk).first()
    return render(
        request,
        "policies/campaign_detail.html",
        {
            "campaign": campaign,
            "page": _page(request, contacts, 50),
            "job": job,
            "channels": OutreachContact.Channel.choices,
            "can_outreach": can_outreach(request.user),
        },
    )


@staff_view
@require_POST
def contact_update(request, campaign_id, contact_id):
    campaign = selectors.get_campaign_for(request.user, campaign_id)
    contact = selectors.campaign_contacts(actor=request.user, campaign=campaign).filter(pk=contact_id).first()
    if contact is None:
        raise Http404()
    form = ContactForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            contact = services.contact_record(
                actor=request.user,
                contact=contact,
                channel=form.cleaned_data["channel"],
                reached=form.cleaned_data["reached"],
                applied_on=form.cleaned_data["applied_on"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            error = str(exc.message)
    else:
        error = "；".join(str(e) for errors in form.errors.values() for e in errors)
    if request.htmx:
        return render(
            request,
            "policies/_contact_row.html",
            {
                "contact": contact,
                "campaign": campaign,
                "error": error,
                "channels": OutreachContact.Channel.choices,
                "can_outreach": True,
            },
        )
    if error:
        messages.error(request, error)
    return redirect("policies:campaign_detail", campaign.pk)


# --- grants -------------------------------------------------------------------------------------


@staff_view
def grants(request, pk):
    policy = selectors.get_policy(pk, actor=request.user)
    form = GrantImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            job = services.grant_import_start(
                actor=request.user,
                policy=policy,
                upload=form.cleaned_data["file"],
                reference=form.cleaned_data["reference"],
            )
            return redirect("policies:job_status", job.pk)
    return render(
        request,
        "policies/grants.html",
        {
            "policy": policy,
            "form": form,
            "can_outreach": can_outreach(request.user),
            "page": _page(request, selectors.grant_list(actor=request.user, policy=policy)),
        },
    )


# --- rates --------------------------------------------------------------------------------------


def _period(request):
    today = timezone.localdate()
    start, end = datetime.date(today.year, 1, 1), today
    form = RatesFilterForm(
        request.GET if ("start" in request.GET or "end" in request.GET) else None, initial={"start": start, "end": end}
    )
    if form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
    return form, start, end


@staff_view
def rates_view(request):
    form, start, end = _period(request)
    return render(
        request,
        "policies/rates.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "rows": rates.policy_rates(actor=request.user, start=start, end=end),
        },
    )


@staff_view
def rates_policy(request, pk):
    policy = selectors.get_policy(pk, actor=request.user)
    form, start, end = _period(request)
    (row,) = rates.policy_rates(actor=request.user, start=start, end=end, policies=[policy])
    town = None
    if request.GET.get("town"):
        town = Jurisdiction.objects.filter(code=request.GET["town"]).first()
        if town is None:
            raise Http404()
    people = rates.subjects(actor=request.user, policy=policy, start=start, end=end, town=town)
    return render(
        request,
        "policies/rates_policy.html",
        {
            "policy": policy,
            "row": row,
            "form": form,
            "start": start,
            "end": end,
            "town": town,
            "page": _page(request, people, 50),
        },
    )


# --- one subject's policies ---------------------------------------------------------------------


@staff_view
def subject_panel(request, kind, subject_id):
    subject = selectors.get_subject_for(request.user, kind, subject_id)
    explained = selectors.explain_subject(kind, subject.pk)
    template = "policies/_subject_panel.html" if request.htmx else "policies/subject_panel.html"
    return render(request, template, {"subject": subject, "kind": kind, **panel_groups(explained)})


def panel_groups(explained) -> dict:
    """Explanations sorted for display: eligible, almost eligible (one condition), unknown."""
    return {
        "eligible": [e for e in explained if e.result == Result.ELIGIBLE],
        "almost": [e for e in explained if e.result == Result.ALMOST],
        "unknown": [e for e in explained if e.result == Result.UNKNOWN],
    }
