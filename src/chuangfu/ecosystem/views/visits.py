"""Visits (走访): the list with overdue plans flagged, planning, recording on a phone, problems
turned into tickets with one click."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.errors import NotFound
from chuangfu.core.web import errors_on

from .. import selectors
from ..forms import CancelForm, ProblemTicketForm, VisitPlanForm, VisitRecordForm
from ..hooks import problem_destinations
from ..models import VisitProblem
from ..services import visits as services
from ..workflows import VISIT
from ._common import ecosystem_required, office_required


@ecosystem_required
def visit_list(request):
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    visits = selectors.visit_list(actor=request.user, status=status, overdue=overdue)
    return render(
        request,
        "ecosystem/visits/list.html",
        {
            "page": Paginator(visits, 30).get_page(request.GET.get("page")),
            "status": status,
            "overdue": overdue,
            "statuses": VISIT.choices(),
            "overdue_count": selectors.overdue_visit_count(request.user),
            "can_plan": selectors.is_office(request.user),
        },
    )


@office_required
def visit_plan(request):
    carriers = selectors.carrier_list(actor=request.user)
    form = VisitPlanForm(
        request.POST or None,
        carriers=carriers,
        visitors=selectors.visitor_choices(request.user),
        initial={"carrier": request.GET.get("carrier"), "visitors": [request.user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            visit = services.visit_plan(actor=request.user, **form.cleaned_data)
            messages.success(request, _("已安排走访。"))
            return redirect("ecosystem:visit_detail", pk=visit.pk)
    return render(request, "ecosystem/visits/plan.html", {"form": form})


@ecosystem_required
def visit_detail(request, pk):
    visit = selectors.get_visit_for(request.user, pk)
    office = selectors.is_office(request.user)
    carrier = visit.carrier
    return render(
        request,
        "ecosystem/visits/detail.html",
        {
            "visit": visit,
            "problems": visit.problems.select_related("follow_up_type"),
            "photos": visit.photos.all(),
            "transitions": VISIT.available(visit, request.user),
            "record_form": VisitRecordForm() if office and visit.status == "planned" else None,
            "cancel_form": CancelForm() if office and visit.status == "planned" else None,
            "ticket_form": ProblemTicketForm(initial={"requester_name": carrier.contact_name}) if office else None,
            "destinations": problem_destinations().values() if office else (),
        },
    )


@office_required
@require_POST
def visit_record(request, pk):
    visit = selectors.get_visit_for(request.user, pk)
    form = VisitRecordForm(request.POST, request.FILES)
    if form.is_valid():
        with errors_on(form):
            services.visit_record(
                actor=request.user,
                visit=visit,
                attendees=form.cleaned_data["attendees"],
                findings=form.cleaned_data["findings"],
                resources_found=form.cleaned_data["resources_found"],
                problems=form.problem_list(),
                photos=form.cleaned_data["photos"],
            )
            messages.success(request, _("走访记录已保存。"))
            return redirect("ecosystem:visit_detail", pk=pk)
    return render(
        request,
        "ecosystem/visits/detail.html",
        {"visit": visit, "record_form": form, "problems": [], "photos": [], "transitions": []},
        status=400,
    )


@office_required
@require_POST
def visit_cancel(request, pk):
    visit = selectors.get_visit_for(request.user, pk)
    form = CancelForm(request.POST)
    services.visit_cancel(actor=request.user, visit=visit, note=form.data.get("note", ""))
    messages.success(request, _("已取消走访。"))
    return redirect("ecosystem:visit_detail", pk=pk)


def _problem(request, pk, problem_pk) -> VisitProblem:
    visit = selectors.get_visit_for(request.user, pk)
    problem = VisitProblem.objects.filter(visit=visit, pk=problem_pk).first()
    if problem is None:
        raise NotFound()
    return problem


@office_required
@require_POST
def problem_ticket(request, pk, problem_pk):
    problem = _problem(request, pk, problem_pk)
    form = ProblemTicketForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写反映人姓名和手机号。"))
        return redirect("ecosystem:visit_detail", pk=pk)
    ticket = services.problem_to_ticket(actor=request.user, problem=problem, **form.cleaned_data)
    messages.success(request, _("已转为工单 %(number)s。") % {"number": ticket.number})
    return redirect("ecosystem:visit_detail", pk=pk)


@office_required
@require_POST
def problem_send(request, pk, problem_pk, destination):
    problem = _problem(request, pk, problem_pk)
    services.problem_send(actor=request.user, problem=problem, destination=destination)
    messages.success(request, _("已转办。"))
    return redirect("ecosystem:visit_detail", pk=pk)
