"""The task ledger: the office's ledger (a unit liaison's own), plans with their roll-up and
timeline, a task's page (milestones, reports with evidence, transitions, history), the leader's
page of what needs a decision, and the .xlsx export."""

import datetime
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.bounds import in_date_range, int_param
from chuangfu.core.errors import DomainError
from chuangfu.core.scoping import assignable_jurisdictions
from chuangfu.core.web import errors_on

from .. import ledger_html, selectors
from ..access import is_office, is_unit_liaison
from ..exporters import LedgerExporter
from ..forms import DocumentForm, MilestoneForm, PlanForm, ReportForm, TaskForm, TransitionForm
from ..live import live_figure
from ..models import TaskStatus
from ..services import ledger as ledger_services
from ..services import progress, task_flow, unit_plans
from ..workflows import FORM_TRANSITIONS, TASK
from ._common import form_errors, governance_required, office_required

PAGE_SIZE = 50


def _int(value) -> int | None:
    return int_param(value)


def _date(value) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if in_date_range(day) else None


def _filters(request) -> selectors.LedgerFilters:
    return selectors.LedgerFilters(
        plan=_int(request.GET.get("plan")),
        unit=_int(request.GET.get("unit")) if is_office(request.user) else None,
        status=request.GET.get("status", "") if request.GET.get("status") in TaskStatus.values else "",
        due_before=_date(request.GET.get("due_before")),
        overdue=request.GET.get("overdue") == "1",
        supervised=request.GET.get("supervised") == "1",
        q=request.GET.get("q", "").strip()[:100],
    )


@governance_required
def ledger(request):
    filters = _filters(request)
    plans, units = selectors.ledger_choices(request.user)
    tasks = selectors.LedgerPage(actor=request.user, filters=filters, names={"plans": plans, "units": units})
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))  # its rows are LedgerRows
    office = is_office(request.user)
    context = {
        "page": page,
        "rows": mark_safe(ledger_html.rows(page.object_list)),
        "filters": filters,
        "status_options": mark_safe(ledger_html.options(TaskStatus.choices, filters.status)),
        "plan_options": mark_safe(ledger_html.options(plans, filters.plan or "")),
        "unit_options": mark_safe(ledger_html.options(units if office else [], filters.unit or "")),
        "is_office": office,
        "own_unit": request.user.unit if is_unit_liaison(request.user) else None,
        "query": request.GET.urlencode(),
    }
    return render(request, "governance/ledger/list.html", context)


@governance_required
def ledger_export(request):
    tasks = selectors.ledger(actor=request.user, filters=_filters(request))
    return LedgerExporter().response(LedgerExporter.prepare(tasks), filename=str(_("工作台账")))


@governance_required
def plan_list(request):
    plans = [(plan, selectors.plan_rollup(plan)) for plan in selectors.plans_for(request.user)[:50]]
    form = PlanForm() if is_office(request.user) else None
    return render(request, "governance/ledger/plans.html", {"plans": plans, "form": form})


@require_POST
@office_required
def plan_create(request):
    form = PlanForm(request.POST)
    if form.is_valid():
        jurisdiction = assignable_jurisdictions(request.user).filter(pk=request.user.jurisdiction_id).first()
        if jurisdiction is None:
            raise DomainError("no_jurisdiction", _("您的账号没有管辖区划，不能新建计划。"))
        plan = ledger_services.plan_create(actor=request.user, jurisdiction=jurisdiction, **form.cleaned_data)
        messages.success(request, _("计划已创建。"))
        return redirect("governance:plan", plan.pk)
    else:
        messages.error(request, form_errors(form))
    return redirect("governance:plans")


@governance_required
def plan_detail(request, pk):
    plan = selectors.get_plan_for(request.user, pk)
    unit = _int(request.GET.get("unit")) if is_office(request.user) else getattr(request.user, "unit_id", None)
    context = {
        "plan": plan,
        "documents": selectors.documents_of(plan),
        "document_form": DocumentForm() if is_office(request.user) else None,
        "own_unit_id": request.user.unit_id if is_unit_liaison(request.user) else None,
        "rollup": selectors.plan_rollup(plan),
        "timeline": (timeline := selectors.timeline(plan, unit=unit)),
        "timeline_chart": {"kind": "timeline", "rows": timeline, "today": _("今天")},
        "is_office": is_office(request.user),
        "statuses": TaskStatus.choices,
    }
    return render(request, "governance/ledger/plan.html", context)


@office_required
def task_create(request, plan_pk):
    plan = selectors.get_plan_for(request.user, plan_pk)
    initial = {"plan_item": _int(request.GET.get("item"))} if request.GET.get("item") else None
    form = TaskForm(request.POST or None, jurisdiction=plan.jurisdiction, year=plan.year, initial=initial)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            task = ledger_services.task_create(actor=request.user, plan=plan, **form.cleaned_data)
            messages.success(request, _("任务已分派，牵头和配合单位已收到通知。"))
            return redirect("governance:task", task.pk)
    return render(request, "governance/ledger/task_form.html", {"form": form, "plan": plan})


@governance_required
def task_detail(request, pk):
    task = selectors.get_task_for(request.user, pk)
    return render(request, "governance/ledger/task.html", _task_context(request, task))


def _task_context(request, task, report_form=None, milestone_form=None) -> dict:
    office = is_office(request.user)
    task = selectors.with_progress([task])[0]
    milestones = list(task.milestones.all())
    transitions = TASK.available(task, request.user)
    return {
        "task": task,
        "live": live_figure(task),
        "co_units": task.co_units.all(),
        "milestones": milestones,
        "reports": selectors.reports_of(task)[:100],
        "supervisions": task.supervisions.select_related("leader")[:20],
        "history": selectors.task_history(task)[:100],
        "transitions": [t for t in transitions if t.name not in FORM_TRANSITIONS],
        "can_extend": any(t.name == "request_extension" for t in transitions),
        "can_supervise": any(t.name == "supervise" for t in transitions),
        "is_office": office,
        "can_report": is_unit_liaison(request.user) and task.status not in (TaskStatus.CLOSED, TaskStatus.SUSPENDED),
        "report_form": report_form or ReportForm(task=task),
        "milestone_form": milestone_form or MilestoneForm(),
        "transition_form": TransitionForm(),
    }


@require_POST
@office_required
def milestone_add(request, pk):
    task = selectors.get_task_for(request.user, pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        with errors_on(form):
            ledger_services.milestone_add(actor=request.user, task=task, **form.cleaned_data)
            messages.success(request, _("时间节点已添加。"))
            return redirect("governance:task", pk)
    return render(request, "governance/ledger/task.html", _task_context(request, task, milestone_form=form), status=400)


@require_POST
@governance_required
def report_submit(request, pk):
    task = selectors.get_task_for(request.user, pk)
    form = ReportForm(request.POST, request.FILES, task=task)
    if form.is_valid():
        with errors_on(form):
            progress.progress_report_submit(actor=request.user, task=task, **form.cleaned_data)
            messages.success(request, _("进展已报送。"))
            return redirect("governance:task", pk)
    return render(request, "governance/ledger/task.html", _task_context(request, task, report_form=form), status=400)


@require_POST
@governance_required
def task_transition(request, pk, name):
    task = selectors.get_task_for(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("governance:task", pk)
    task_flow.task_transition(actor=request.user, task=task, name=name, **form.cleaned_data)
    messages.success(request, _("已%(action)s。") % {"action": TASK.transition(name).label})
    return redirect("governance:task", pk)


@require_POST
@office_required
def task_public(request, pk):
    task = selectors.get_task_for(request.user, pk)
    public = request.POST.get("public") == "1"
    ledger_services.task_set_public(actor=request.user, task=task, public=public)
    messages.success(request, _("已在门户网站公开。") if public else _("已撤回公开。"))
    return redirect("governance:task", pk)


@governance_required
def evidence_download(request, pk):
    evidence = selectors.get_evidence_for(request.user, pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


@office_required
def decisions(request):
    items = selectors.needs_decision(request.user)
    sections = [
        ("close", _("待审核销号"), items["close"]),
        ("extension", _("待审批延期"), items["extension"]),
        ("overdue", _("逾期未督办"), items["overdue"]),
    ]
    return render(request, "governance/ledger/decisions.html", {"sections": sections})


@require_POST
@office_required
def document_publish(request, pk):
    plan = selectors.get_plan_for(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        unit_plans.document_publish(
            actor=request.user, plan=plan, title=form.cleaned_data["title"], upload=form.cleaned_data["file"]
        )
        messages.success(request, _("文件已印发，各单位已收到签收通知。"))
    return redirect("governance:plan", pk)


@require_POST
@governance_required
def document_acknowledge(request, pk):
    document = selectors.get_document_for(request.user, pk)
    unit_plans.document_acknowledge(actor=request.user, document=document)
    messages.success(request, _("已签收。"))
    return redirect("governance:plan", document.plan_id)


@governance_required
def document_download(request, pk):
    document = selectors.get_document_for(request.user, pk)
    name = f"{document.title}{Path(document.file.name).suffix}"
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)
