"""Incubation: hosted enterprises on a carrier's page, each one's path and quarterly figures,
the spreadsheet import, and the town's figures per carrier."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.scoping import scope_by_jurisdiction
from chuangfu.core.web import errors_on
from chuangfu.registry.models import Enterprise

from .. import selectors
from ..forms import AdmitForm, ImportForm, IncubationStepForm, QuarterlyReportForm
from ..services import incubation as services
from ..workflows import INCUBATION
from ._common import ecosystem_required, office_required


@ecosystem_required
@require_POST
def incubation_admit(request, pk):
    carrier = selectors.get_carrier_for(request.user, pk)
    form = AdmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写企业统一社会信用代码和入孵日期。"))
        return redirect("ecosystem:carrier_detail", pk=pk)
    uscc = form.cleaned_data["uscc"].strip().upper()
    enterprise = scope_by_jurisdiction(Enterprise.objects.all(), request.user).filter(uscc=uscc).first()
    if enterprise is None:
        raise DomainError(
            "unknown_enterprise", _("企业名录中没有统一社会信用代码为 %(uscc)s 的企业。") % {"uscc": uscc}
        )
    services.incubation_admit(
        actor=request.user, carrier=carrier, enterprise=enterprise, admitted_on=form.cleaned_data["admitted_on"]
    )
    messages.success(request, _("“%(e)s”已入孵。") % {"e": enterprise})
    return redirect("ecosystem:carrier_detail", pk=pk)


@ecosystem_required
@require_POST
def quarterly_import(request, pk):
    """Check the file now (type, size, unpacked size, rows) and queue the reading of its cells."""
    carrier = selectors.get_carrier_for(request.user, pk)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        with errors_on(form, "file"):
            job = services.quarterly_import_start(actor=request.user, carrier=carrier, upload=form.cleaned_data["file"])
            return redirect("ecosystem:quarterly_import_status", pk=pk, job_id=job.pk)
    return render(request, "ecosystem/incubation/import.html", {"carrier": carrier, "form": form}, status=400)


@ecosystem_required
def quarterly_import_status(request, pk, job_id):
    """The import's progress (polled by htmx while it runs), then its result or every row's problem."""
    carrier = selectors.get_carrier_for(request.user, pk)
    job = selectors.get_quarterly_import_for(request.user, pk, job_id)
    template = "ecosystem/incubation/_import_progress.html" if request.htmx else "ecosystem/incubation/import.html"
    return render(request, template, {"carrier": carrier, "job": job, "result": job.result or None})


@ecosystem_required
def incubation_detail(request, pk):
    incubation = selectors.get_incubation_for(request.user, pk)
    form = QuarterlyReportForm(
        request.POST or None,
        initial={"year": timezone.localdate().year, "quarter": (timezone.localdate().month - 1) // 3 + 1},
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.quarterly_report_save(actor=request.user, incubation=incubation, **form.cleaned_data)
            messages.success(request, _("季度报表已保存。"))
            return redirect("ecosystem:incubation_detail", pk=pk)
    return render(
        request,
        "ecosystem/incubation/detail.html",
        {
            "incubation": incubation,
            "reports": incubation.reports.all(),
            "form": form,
            "transitions": INCUBATION.available(incubation, request.user),
            "step_form": IncubationStepForm(initial={"on_date": timezone.localdate()}),
        },
        status=400 if form.errors else 200,
    )


@ecosystem_required
@require_POST
def incubation_step(request, pk, name):
    incubation = selectors.get_incubation_for(request.user, pk)
    if name not in ("start", "graduate", "move_out", "deregister"):
        raise NotFound()
    form = IncubationStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写日期。"))
        return redirect("ecosystem:incubation_detail", pk=pk)
    services.incubation_transition(actor=request.user, incubation=incubation, name=name, **form.cleaned_data)
    messages.success(request, _("已处理：%(action)s。") % {"action": INCUBATION.transition(name).label})
    return redirect("ecosystem:incubation_detail", pk=pk)


@office_required
def incubation_figures(request):
    return render(
        request, "ecosystem/incubation/figures.html", {"rows": selectors.incubation_figures(actor=request.user)}
    )
