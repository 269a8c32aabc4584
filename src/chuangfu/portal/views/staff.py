"""The office's publicity desk: model cases, articles, the media and campaign log, open datasets.

Thin views: parse, call one service or selector, render. Records outside the actor's
jurisdiction are 404; the roles come from ``portal.workflows`` (editors write, publishers
approve and withdraw).
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.web import errors_on

from .. import forms, selectors, services
from ..workflows import ARTICLE, CASE


def staff_only(view):
    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.can_edit(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# --- model cases -------------------------------------------------------------------------------


@staff_only
def case_list(request):
    return render(request, "portal/staff/case_list.html", {"cases": selectors.cases_for(request.user)[:200]})


@staff_only
def case_edit(request, pk: int | None = None):
    case = selectors.get_case_for(request.user, pk) if pk else None
    form = forms.CaseForm(request.POST or None, request.FILES or None, instance=case, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("photo", "consent_file")}
            files = {k: request.FILES.get(k) for k in ("photo", "consent_file") if request.FILES.get(k)}
            # the form has written its values onto ``case``: the service reads the stored row afresh
            stored = selectors.get_case_for(request.user, pk) if pk else None
            case = services.case_save(actor=request.user, case=stored, data=data, files=files)
            messages.success(request, _("已保存。"))
            return redirect("portal_staff:case_detail", case.pk)
    return render(request, "portal/staff/case_form.html", {"form": form, "case": case})


@staff_only
def case_detail(request, pk: int):
    case = selectors.get_case_for(request.user, pk)
    return render(
        request,
        "portal/staff/case_detail.html",
        {
            "case": case,
            "actions": CASE.available(case, request.user),
            "nominations": case.nominations.all(),
            "nomination_form": forms.NominationForm(),
            "result_form": forms.NominationResultForm(),
            "can_publish": selectors.can_publish(request.user),
        },
    )


@staff_only
@require_POST
def case_action(request, pk: int, name: str):
    case = selectors.get_case_for(request.user, pk)
    services.case_transition(actor=request.user, case=case, name=name, note=request.POST.get("note", ""))
    messages.success(request, _("已%(action)s。") % {"action": CASE.transition(name).label})
    return redirect("portal_staff:case_detail", case.pk)


@staff_only
@require_POST
def case_nominate(request, pk: int):
    case = selectors.get_case_for(request.user, pk)
    form = forms.NominationForm(request.POST)
    if form.is_valid():
        try:
            services.nomination_create(actor=request.user, case=case, data=form.cleaned_data)
        except ValidationError as exc:  # a DomainError reaches the user through core.web
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已推荐参评。"))
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("portal_staff:case_detail", case.pk)


@staff_only
@require_POST
def nomination_result(request, pk: int, nomination_pk: int):
    case = selectors.get_case_for(request.user, pk)
    nomination = case.nominations.filter(pk=nomination_pk).first()
    if nomination is None:
        raise Http404
    form = forms.NominationResultForm(request.POST)
    if form.is_valid():
        try:
            services.nomination_record_result(actor=request.user, nomination=nomination, **form.cleaned_data)
        except ValidationError as exc:  # a DomainError reaches the user through core.web
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已记录评选结果。"))
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("portal_staff:case_detail", case.pk)


# --- articles ----------------------------------------------------------------------------------


@staff_only
def article_list(request):
    return render(
        request,
        "portal/staff/article_list.html",
        {"articles": selectors.articles_for(request.user)[:200], "now": timezone.now()},
    )


@staff_only
def article_edit(request, pk: int | None = None):
    article = selectors.get_article_for(request.user, pk) if pk else None
    form = forms.ArticleForm(request.POST or None, request.FILES or None, instance=article, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            data = {k: v for k, v in form.cleaned_data.items() if k != "cover"}
            files = {"cover": request.FILES["cover"]} if request.FILES.get("cover") else {}
            stored = selectors.get_article_for(request.user, pk) if pk else None
            article = services.article_save(actor=request.user, article=stored, data=data, files=files)
            messages.success(request, _("已保存。"))
            return redirect("portal_staff:article_detail", article.pk)
    return render(request, "portal/staff/article_form.html", {"form": form, "article": article})


@staff_only
def article_detail(request, pk: int):
    article = selectors.get_article_for(request.user, pk)
    return render(
        request,
        "portal/staff/article_detail.html",
        {"article": article, "actions": ARTICLE.available(article, request.user)},
    )


@staff_only
@require_POST
def article_action(request, pk: int, name: str):
    article = selectors.get_article_for(request.user, pk)
    services.article_transition(actor=request.user, article=article, name=name, note=request.POST.get("note", ""))
    messages.success(request, _("已%(action)s。") % {"action": ARTICLE.transition(name).label})
    return redirect("portal_staff:article_detail", article.pk)


# --- publicity log -----------------------------------------------------------------------------


@staff_only
def publicity(request):
    coverage_form = forms.CoverageForm(actor=request.user, prefix="coverage")
    campaign_form = forms.CampaignForm(actor=request.user, prefix="campaign")
    if request.method == "POST":
        kind = request.POST.get("kind")
        form = (
            forms.CoverageForm(request.POST, actor=request.user, prefix="coverage")
            if kind == "coverage"
            else forms.CampaignForm(request.POST, actor=request.user, prefix="campaign")
        )
        if kind == "coverage":
            coverage_form = form
        else:
            campaign_form = form
        if form.is_valid():
            create = services.coverage_create if kind == "coverage" else services.campaign_create
            with errors_on(form):
                create(actor=request.user, data=form.cleaned_data)
                messages.success(request, _("已登记。"))
                return redirect("portal_staff:publicity")
    return render(
        request,
        "portal/staff/publicity.html",
        {
            "coverage": selectors.coverage_for(request.user)[:100],
            "campaigns": selectors.campaigns_for(request.user)[:100],
            "coverage_form": coverage_form,
            "campaign_form": campaign_form,
        },
    )


# --- datasets ----------------------------------------------------------------------------------


@staff_only
def dataset_list(request):
    if not selectors.can_publish(request.user):
        raise PermissionDenied
    return render(request, "portal/staff/dataset_list.html", {"datasets": selectors.datasets_for(request.user)})


@staff_only
def dataset_edit(request, pk: int | None = None):
    if not selectors.can_publish(request.user):
        raise PermissionDenied
    dataset = selectors.get_dataset_for(request.user, pk) if pk else None
    form = forms.DatasetForm(request.POST or None, instance=dataset, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            stored = selectors.get_dataset_for(request.user, pk) if pk else None
            services.dataset_save(actor=request.user, dataset=stored, data=form.cleaned_data)
            messages.success(request, _("已保存。"))
            return redirect("portal_staff:datasets")
    return render(request, "portal/staff/dataset_form.html", {"form": form, "dataset": dataset})
