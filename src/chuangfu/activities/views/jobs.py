"""Job postings: staff pages (postings, interest, hires, jobs created) and the public list
where people register interest and enterprise accounts post openings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.errors import DomainError
from chuangfu.core.scoping import scope_by_jurisdiction
from chuangfu.core.web import errors_on
from chuangfu.registry.models import Enterprise

from .. import exporters, selectors
from ..forms import HireForm, JobInterestForm, JobPostingForm
from ..services import jobs
from ..services._common import clean_mobile, clean_uscc
from ._common import form_errors, manager_required, parse_int, prove_mobile


@manager_required
def posting_list(request):
    dimension = request.GET.get("by") if request.GET.get("by") in selectors.JOBS_DIMENSIONS else "enterprise"
    postings = selectors.job_postings_for(request.user)
    if request.GET.get("export"):
        return exporters.JobPostingExporter().response(postings, filename=_("企业招聘岗位"))
    return render(
        request,
        "activities/jobs/list.html",
        {
            "postings": postings[:300],
            "form": JobPostingForm(actor=request.user),
            "dimension": dimension,
            "jobs_created": selectors.jobs_created(actor=request.user, dimension=dimension),
        },
    )


@manager_required
@require_POST
def posting_create(request):
    form = JobPostingForm(request.POST, actor=request.user)
    if form.is_valid():
        data = form.cleaned_data
        uscc = clean_uscc(data.pop("enterprise_uscc"))
        enterprise = scope_by_jurisdiction(Enterprise.objects.all(), request.user).filter(uscc=uscc).first()
        if enterprise is None:
            raise DomainError(
                "enterprise_unknown", _("本辖区的企业名录中没有这个统一社会信用代码，请先在名录中登记该企业。")
            )
        posting = jobs.job_posting_create(actor=request.user, enterprise=enterprise, **data)
        messages.success(request, _("岗位已发布。"))
        return redirect("activities:job_detail", posting.pk)
    else:
        messages.error(request, form_errors(form))
    return redirect("activities:jobs")


@manager_required
def posting_detail(request, pk):
    posting = selectors.get_job_posting_for(request.user, pk)
    return render(
        request,
        "activities/jobs/detail.html",
        {
            "posting": posting,
            "interests": posting.interests.select_related("hire"),
            "hires": posting.hires.all(),
            "hire_form": HireForm(),
        },
    )


@manager_required
@require_POST
def hire_create(request, pk):
    posting = selectors.get_job_posting_for(request.user, pk)
    form = HireForm(request.POST)
    if form.is_valid():
        interest = (
            posting.interests.filter(pk=form.cleaned_data["interest"]).first()
            if form.cleaned_data["interest"]
            else None
        )
        jobs.hire_record(
            posting=posting,
            actor=request.user,
            hired_on=form.cleaned_data["hired_on"],
            interest=interest,
            name=form.cleaned_data["name"],
        )
        messages.success(request, _("已记录录用。"))
    else:
        messages.error(request, form_errors(form))
    return redirect("activities:job_detail", pk)


@manager_required
@require_POST
def posting_close(request, pk):
    posting = selectors.get_job_posting_for(request.user, pk)
    jobs.job_posting_close(posting=posting, actor=request.user)
    return redirect("activities:job_detail", pk)


# --- public --------------------------------------------------------------------------------


def public_list(request):
    user = request.user if request.user.is_authenticated else None
    return render(
        request,
        "activities/jobs/public_list.html",
        {
            "postings": selectors.public_job_postings(
                town=parse_int(request.GET.get("town")), activity=parse_int(request.GET.get("activity"))
            )[:300],
            "can_post": bool(user and getattr(user, "enterprise", None)),
        },
    )


def public_interest(request, pk):
    posting = selectors.get_public_job_posting(pk)
    user = request.user if request.user.is_authenticated else None
    form = JobInterestForm(
        request.POST or None, initial={"name": user.display_name, "mobile": user.mobile} if user else {}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form):
            mobile = clean_mobile(data["mobile"])
            prove_mobile(request, mobile, data["sms_code"])
            jobs.job_interest_register(posting=posting, name=data["name"], mobile=mobile, user=user, note=data["note"])
            messages.success(request, _("已登记求职意向，企业会与您联系。"))
            return redirect("events:jobs")
    return render(
        request,
        "activities/jobs/interest.html",
        {
            "posting": posting,
            "form": form,
            "needs_code": not (user and user.mobile and user.mobile_verified_at),
        },
    )


@login_required
def public_post(request):
    """An enterprise account posts an opening for its own enterprise."""
    enterprise = getattr(request.user, "enterprise", None)
    if enterprise is None:
        raise Http404()
    form = JobPostingForm(request.POST or None, actor=request.user, initial={"enterprise_uscc": enterprise.uscc})
    form.fields["activity"].queryset = selectors.public_activities(selectors.PublicFilters()).filter(
        type__is_recruitment=True
    )
    del form.fields["enterprise_uscc"]
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            jobs.job_posting_create(actor=request.user, enterprise=enterprise, **form.cleaned_data)
            messages.success(request, _("岗位已发布。"))
            return redirect("events:jobs")
    return render(request, "activities/jobs/public_post.html", {"form": form, "enterprise": enterprise})
