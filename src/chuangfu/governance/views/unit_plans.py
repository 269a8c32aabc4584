"""The member units' own annual plan items: the list (by year and unit), the office's .xlsx import
with every bad row reported, and the overlay tasks built on each item."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.bounds import DATE_MAX, DATE_MIN, int_param
from chuangfu.core.errors import DomainError
from chuangfu.core.web import errors_on

from .. import selectors
from ..access import is_office, is_unit_liaison
from ..forms import PlanItemForm, PlanItemImportForm, units_of
from ..models import Task
from ..services import unit_plans as services
from ._common import governance_required, office_required


def _year(request) -> int:
    year = int_param(request.GET.get("year") or request.POST.get("year"), minimum=DATE_MIN.year, maximum=DATE_MAX.year)
    return year or timezone.localdate().year


@governance_required
def plan_item_list(request):
    return _list(request)


def _item_form(request, data=None):
    own = request.user.unit if is_unit_liaison(request.user) else None
    return PlanItemForm(data, jurisdiction=request.user.jurisdiction_id, own_unit=own, initial={"year": _year(request)})


def _list(request, *, form=None, item_form=None, errors=(), status=200):
    """The list; after a refused import, again with the form's errors and every bad row (status 400)."""
    year = _year(request)
    items = selectors.plan_items_for(request.user).filter(year=year)
    unit = int_param(request.GET.get("unit"))
    if unit is not None:
        items = items.filter(unit_id=unit)
    overlays = Task.objects.select_related("plan").order_by("id")
    items = items.select_related("unit").prefetch_related(Prefetch("overlays", queryset=overlays))
    office = is_office(request.user)
    context = {
        "items": items,
        "year": year,
        "unit": str(unit) if unit is not None else "",
        "units": units_of(request.user.jurisdiction_id) if office else [],
        "plans": selectors.plans_for(request.user).filter(year=year),
        "is_office": office,
        "form": form or (PlanItemImportForm(initial={"year": year}) if office else None),
        "errors": errors,
        "item_form": item_form or _item_form(request),
    }
    return render(request, "governance/unit_plans/list.html", context, status=status)


@office_required
def plan_item_import(request):
    if request.method != "POST":
        return redirect("governance:plan_items")
    form = PlanItemImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list(request, form=form, status=400)
    jurisdiction = request.user.jurisdiction
    try:
        if jurisdiction is None:
            raise DomainError("no_jurisdiction", _("您的账号没有管辖区划，不能导入。"))
        result = services.plan_items_import(
            actor=request.user,
            jurisdiction=jurisdiction,
            year=form.cleaned_data["year"],
            upload=form.cleaned_data["file"],
        )
    except DomainError as exc:
        form.add_error(None, str(exc.message))
        return _list(request, form=form, errors=exc.details.get("errors", []), status=400)
    messages.success(
        request,
        _("导入完成：新增 %(created)d 项，更新 %(updated)d 项，未变 %(unchanged)d 项。")
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect(f"{reverse('governance:plan_items')}?year={form.cleaned_data['year']}")


@require_POST
@governance_required
def plan_item_add(request):
    form = _item_form(request, request.POST)
    if form.is_valid():
        with errors_on(form):
            if request.user.jurisdiction is None:
                raise DomainError("no_jurisdiction", _("您的账号没有管辖区划，不能登记。"))
            item = services.plan_item_save(
                actor=request.user,
                jurisdiction=request.user.jurisdiction,
                unit=form.cleaned_data.get("unit"),
                **{k: v for k, v in form.cleaned_data.items() if k != "unit"},
            )
            messages.success(request, _("计划事项已登记。"))
            return redirect(f"{reverse('governance:plan_items')}?year={item.year}")
    return _list(request, item_form=form, status=400)
