"""Case files (创业帮扶档案): the town's counts with drill-down, opening a file, one page per
person with everything the platform knows, the helper's follow-ups."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.crypto import lookup_hash
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.scoping import scope_by_jurisdiction
from chuangfu.core.web import errors_on
from chuangfu.registry.models import Person

from .. import selectors
from ..forms import CaseOpenForm, FollowUpDoneForm, FollowUpForm
from ..models import FollowUp
from ..services import cases as services
from ._common import office_required


@office_required
def case_list(request):
    figures = selectors.case_figures(actor=request.user)
    only = request.GET.get("only", "")
    rows = figures["rows"]
    if only == "helped":
        rows = [r for r in rows if r[1].success]
    elif only == "not_yet":
        rows = [r for r in rows if not r[1].success]
    form = CaseOpenForm(
        request.POST or None, helpers=selectors.visitor_choices(request.user), initial={"helper": request.user}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = (
            scope_by_jurisdiction(Person.objects.all(), request.user)
            .filter(id_number_hash=lookup_hash(data["id_number"].strip().upper()))
            .first()
        )
        with errors_on(form):
            if person is None:
                raise DomainError("unknown_person", _("本辖区人员名录中没有这个身份证号码。"))
            case = services.case_open(
                actor=request.user,
                person=person,
                helper=data["helper"],
                diagnosis=data["diagnosis"],
                services_planned=data["services_planned"],
            )
            return redirect("ecosystem:case_detail", pk=case.pk)
    return render(request, "ecosystem/cases/list.html", {"figures": figures, "rows": rows, "only": only, "form": form})


@office_required
def case_detail(request, pk):
    case = selectors.get_case_for(request.user, pk)
    return render(
        request,
        "ecosystem/cases/detail.html",
        {
            "case": case,
            "h": selectors.case_history(actor=request.user, case=case),
            "follow_ups": case.follow_ups.all(),
            "form": FollowUpForm(),
            "done_form": FollowUpDoneForm(),
            "months": selectors.success_months(),
        },
    )


@office_required
@require_POST
def followup_plan(request, pk):
    case = selectors.get_case_for(request.user, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        services.followup_plan(actor=request.user, case=case, **form.cleaned_data)
        messages.success(request, _("已安排跟进。"))
    else:
        messages.error(request, _("请填写跟进内容和工作日数。"))
    return redirect("ecosystem:case_detail", pk=pk)


@office_required
@require_POST
def followup_done(request, pk, follow_up_pk):
    case = selectors.get_case_for(request.user, pk)
    follow_up = FollowUp.objects.filter(case=case, pk=follow_up_pk).first()
    if follow_up is None:
        raise NotFound()
    services.followup_done(actor=request.user, follow_up=follow_up, result=request.POST.get("result", ""))
    messages.success(request, _("已记录跟进结果。"))
    return redirect("ecosystem:case_detail", pk=pk)
