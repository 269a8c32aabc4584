"""Subsidy figures with drill-down, and the application list behind every figure (with its .xlsx
export). Staff only, scoped to the actor's jurisdiction."""

import datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from chuangfu.core.bounds import int_param
from chuangfu.core.scoping import scope_by_jurisdiction

from .. import figures
from ..exporters import ApplicationExporter
from ..forms import PeriodForm
from ..models import Application, Status
from .notices import staff_view


def _period(request):
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, data.get("date_from"), data.get("date_to")


def _link(**filters) -> str:
    return reverse("subsidy_reports:applications") + "?" + urlencode({k: v for k, v in filters.items() if v})


@staff_view
def figures_page(request):
    actor = request.user
    form, date_from, date_to = _period(request)
    by = request.GET.get("by") if request.GET.get("by") in figures.AMOUNT_DIMENSIONS else "policy"
    period = {
        "date_from": date_from.isoformat() if date_from else "",
        "date_to": date_to.isoformat() if date_to else "",
    }
    applications = figures.scoped_applications(actor, date_from=date_from, date_to=date_to)
    rate, granted, decided = figures.approval_rate(applications)
    rows, total = figures.amounts(actor, by=by, date_from=date_from, date_to=date_to)
    return render(
        request,
        "subsidies/reports/figures.html",
        {
            "form": form,
            "by": by,
            "dimensions": figures.AMOUNT_DIMENSIONS.items(),
            "stages": [
                (code, label, n, _link(status=code, **period)) for code, label, n in figures.by_stage(applications)
            ],
            "rate": rate,
            "granted": granted,
            "decided": decided,
            "granted_link": _link(status="granted", **period),
            "decided_link": _link(status="decided", **period),
            "times": figures.stage_times(applications),
            "amount_rows": [
                (r, _link(paid=1, **{by: r.key}, paid_from=period["date_from"], paid_to=period["date_to"]))
                for r in rows
            ],
            "amount_total": total,
            "recovery": figures.recovery_figures(actor, date_from=date_from, date_to=date_to),
            "chart": {"unit": _("元"), "labels": [r.label for r in rows], "values": [round(r.total, 2) for r in rows]},
        },
    )


STATUS_GROUPS = {"granted": figures.GRANTED, "decided": figures.DECIDED}


def application_list_for(actor, params) -> tuple[object, dict]:
    """The scoped application list filtered by ``params`` (a QueryDict), and the filters applied."""
    qs = scope_by_jurisdiction(Application.objects.exclude(status=Status.DRAFT), actor).select_related(
        "policy", "person", "enterprise", "jurisdiction", "disbursement"
    )
    applied = {}
    status = params.get("status", "")
    if status in STATUS_GROUPS:
        qs, applied["status"] = qs.filter(status__in=STATUS_GROUPS[status]), status
    elif status in Status.values:
        qs, applied["status"] = qs.filter(status=status), status
    for name in ("policy", "town"):
        value = int_param(params.get(name))
        if value is not None:
            if name == "town":
                qs = qs.filter(Q(jurisdiction_id=value) | Q(jurisdiction__parent_id=value))
            else:
                qs = qs.filter(policy_id=value)
            applied[name] = str(value)
    if params.get("paid"):
        qs, applied["paid"] = qs.filter(disbursement__isnull=False), "1"
    month = params.get("month", "")
    try:
        start = datetime.datetime.strptime(month, "%Y-%m").date() if month else None
    except ValueError:
        start = None
    if start:
        qs = qs.filter(disbursement__paid_on__year=start.year, disbursement__paid_on__month=start.month)
        applied["month"] = month
    for name, lookup in (
        ("date_from", "submitted_on__gte"),
        ("date_to", "submitted_on__lte"),
        ("paid_from", "disbursement__paid_on__gte"),
        ("paid_to", "disbursement__paid_on__lte"),
    ):
        try:
            value = datetime.date.fromisoformat(params.get(name, ""))
        except ValueError:
            continue
        qs = qs.filter(**{lookup: value})
        applied[name] = value.isoformat()
    number = params.get("q", "").strip().upper()
    if number:
        qs, applied["q"] = qs.filter(number__startswith=number), number
    return qs.order_by("-id"), applied


@staff_view
def application_list(request):
    qs, applied = application_list_for(request.user, request.GET)
    if request.GET.get("format") == "xlsx":
        return ApplicationExporter().response(qs, filename=_("补贴申请"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "subsidies/reports/applications.html",
        {
            "page": page,
            "applied": applied,
            "statuses": Status.choices[1:],
            "query": urlencode(applied),
        },
    )
