"""拨付 pages: approved applications waiting for payment, batches for the finance department (with
their .xlsx), payment one by one, the import of finance's sheet (a job with its row-by-row
report) and the list of payments made. Thin; another town's records are a 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.models import Job
from chuangfu.core.web import errors_on

from .. import selectors
from ..exporters import DisbursementExporter, FinanceListExporter
from ..forms import DisbursementBatchForm, ImportForm, PaymentForm, PeriodForm
from ..models import Status
from ..services import disbursements
from .notices import staff_view


@staff_view
def home(request):
    actor = request.user
    return render(
        request,
        "subsidies/disbursements/home.html",
        {
            "batches": selectors.disbursement_batches(actor=actor)[:100],
            "unpaid": selectors.unpaid_approved(actor=actor)[:500],
            "candidates": selectors.disbursement_candidates(actor=actor).count(),
            "can_pay": disbursements.can_disburse(actor),
            "import_form": ImportForm(),
            "recent_jobs": Job.objects.filter(created_by=actor, kind=disbursements.IMPORT_KIND)[:5],
        },
    )


@staff_view
def batch_create(request):
    form = DisbursementBatchForm(request.POST or None, candidates=selectors.disbursement_candidates(actor=request.user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with errors_on(form) as refusal:
                batch = disbursements.disbursement_batch_create(
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    applications=list(form.cleaned_data["applications"]),
                )
                messages.success(
                    request, _("已生成拨付批次 %(number)s，可导出拨付清单交财务。") % {"number": batch.number}
                )
                return redirect("disbursements:batch_detail", batch.pk)
            if refusal:
                status = refusal.status
        status = status if status != 200 else 400
    return render(request, "subsidies/disbursements/create.html", {"form": form}, status=status)


@staff_view
def batch_detail(request, pk):
    batch = selectors.get_disbursement_batch_for(request.user, pk)
    return render(
        request,
        "subsidies/disbursements/batch.html",
        {
            "batch": batch,
            "items": selectors.batch_items(batch),
            "can_pay": disbursements.can_disburse(request.user),
        },
    )


@staff_view
def batch_export(request, pk):
    batch = selectors.get_disbursement_batch_for(request.user, pk)
    return FinanceListExporter().response(selectors.batch_items(batch), filename=f"{_('拨付清单')}-{batch.number}")


@staff_view
def pay(request, application_id):
    application = selectors.get_approved_application_for(request.user, application_id)
    if application.status not in (Status.APPROVED, Status.DISBURSED):
        raise Http404()
    paid = getattr(application, "disbursement", None) if application.status == Status.DISBURSED else None
    form = PaymentForm(request.POST or None, initial={"amount": application.amount})
    status = 200
    if request.method == "POST" and paid is None:
        if form.is_valid():
            d = form.cleaned_data
            with errors_on(form) as refusal:
                disbursements.disbursement_record(
                    actor=request.user,
                    application=application,
                    amount=d["amount"],
                    paid_on=d["paid_on"],
                    reference=d["reference"],
                )
                messages.success(request, _("已登记拨付：%(number)s。") % {"number": application.number})
                return redirect("disbursements:home")
            if refusal:
                status = refusal.status
        else:
            status = 400
    return render(
        request,
        "subsidies/disbursements/pay.html",
        {"application": application, "form": form, "paid": paid},
        status=status,
    )


@require_POST
@staff_view
def import_start(request):
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        job = disbursements.disbursement_import_start(actor=request.user, upload=form.cleaned_data["file"])
        return redirect("disbursements:import_status", job.pk)
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("disbursements:home")


@staff_view
def import_status(request, job_id):
    job = Job.objects.filter(pk=job_id, created_by=request.user, kind=disbursements.IMPORT_KIND).first()
    if job is None:
        raise Http404()
    template = (
        "subsidies/disbursements/_import_progress.html" if request.htmx else "subsidies/disbursements/import.html"
    )
    return render(request, template, {"job": job})


@staff_view
def payment_list(request):
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    payments = selectors.disbursement_list(
        actor=request.user, date_from=data.get("date_from"), date_to=data.get("date_to")
    )
    if request.GET.get("format") == "xlsx":
        return DisbursementExporter().response(payments, filename=_("拨付记录"))
    return render(
        request,
        "subsidies/disbursements/payments.html",
        {"form": form, "payments": payments[:500], "query": request.GET.urlencode()},
    )
