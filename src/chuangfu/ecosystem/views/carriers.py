"""The carrier network: carriers with their sites and photos, operators' change requests and
the town's review of them, the town's coverage by the 15-minute circle."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.errors import NotFound
from chuangfu.core.web import errors_on
from chuangfu.registry.models import CarrierKind

from .. import geo, selectors
from ..forms import AdmitForm, CarrierChangeForm, DecisionForm, ImportForm, PhotoForm, SiteForm
from ..models import CarrierPhoto
from ..services import carriers as services
from ..workflows import CARRIER_CHANGE
from ._common import ecosystem_required, office_required


@ecosystem_required
def carrier_list(request):
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.carrier_list(actor=request.user, kind=kind, q=q), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "ecosystem/carriers/list.html",
        {
            "page": page,
            "kind": kind,
            "q": q,
            "kinds": CarrierKind.choices,
            "waiting": selectors.waiting_changes(actor=request.user).count(),
        },
    )


@ecosystem_required
def carrier_detail(request, pk):
    carrier = selectors.get_carrier_for(request.user, pk)
    site = getattr(carrier, "site", None)
    office = selectors.can_review_carriers(request.user)
    return render(
        request,
        "ecosystem/carriers/detail.html",
        {
            "carrier": carrier,
            "site": site,
            "photos": CarrierPhoto.objects.filter(carrier=carrier, published=True),
            "changes": selectors.changes_for(request.user).filter(carrier=carrier)[:10],
            "accounts": selectors.operator_accounts(carrier),
            "visits": selectors.visit_list(actor=request.user, carrier_id=carrier.pk)[:20],
            "incubations": selectors.incubations_for(request.user).filter(carrier=carrier),
            "admit_form": AdmitForm(initial={"admitted_on": timezone.localdate()}),
            "import_form": ImportForm(),
            "can_review": office,
            "is_operator": selectors.is_operator_of(request.user, carrier),
            "site_form": SiteForm(
                initial={
                    "latitude": site.latitude if site else None,
                    "longitude": site.longitude if site else None,
                    "opening_hours": site.opening_hours if site else "",
                    "published": site.published if site else True,
                }
            )
            if office
            else None,
            "photo_form": PhotoForm() if office else None,
        },
    )


@office_required
@require_POST
def carrier_site(request, pk):
    carrier = selectors.get_carrier_for(request.user, pk)
    form = SiteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写数字形式的纬度和经度。"))
        return redirect("ecosystem:carrier_detail", pk=pk)
    services.carrier_site_update(actor=request.user, carrier=carrier, **form.cleaned_data)
    messages.success(request, _("已保存载体位置和开放时间。"))
    return redirect("ecosystem:carrier_detail", pk=pk)


@office_required
@require_POST
def carrier_photo(request, pk):
    carrier = selectors.get_carrier_for(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        services.carrier_photo_add(actor=request.user, carrier=carrier, **form.cleaned_data)
        messages.success(request, _("照片已上传。"))
    else:
        messages.error(request, _("请选择要上传的照片。"))
    return redirect("ecosystem:carrier_detail", pk=pk)


@ecosystem_required
def carrier_propose(request, pk):
    carrier = selectors.get_carrier_for(request.user, pk)
    if not selectors.is_operator_of(request.user, carrier):
        raise NotFound()
    site = getattr(carrier, "site", None)
    initial = {name: getattr(carrier, name) for name in services.CARRIER_OPERATOR_FIELDS}
    if site:
        initial.update({name: getattr(site, name) for name in services.SITE_FIELDS})
    form = CarrierChangeForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            change = services.carrier_change_submit(
                actor=request.user, carrier=carrier, data=form.proposal(), photos=form.cleaned_data["photos"]
            )
            messages.success(request, _("变更申请已提交，镇里审核通过后生效。"))
            return redirect("ecosystem:change_detail", pk=change.pk)
    return render(request, "ecosystem/carriers/propose.html", {"carrier": carrier, "form": form})


@ecosystem_required
def change_list(request):
    status = request.GET.get("status", "submitted")
    changes = selectors.changes_for(request.user)
    if status:
        changes = changes.filter(status=status)
    page = Paginator(changes, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "ecosystem/carriers/changes.html",
        {"page": page, "status": status, "statuses": CARRIER_CHANGE.choices()},
    )


@ecosystem_required
def change_detail(request, pk):
    change = selectors.get_change_for(request.user, pk)
    carrier, site = change.carrier, getattr(change.carrier, "site", None)
    labels = {name: field.label for name, field in CarrierChangeForm.base_fields.items()}
    rows = [
        {
            "label": labels.get(name, name),
            "before": getattr(site, name, None) if name in services.SITE_FIELDS else getattr(carrier, name),
            "after": value,
        }
        for name, value in change.proposed.items()
    ]
    return render(
        request,
        "ecosystem/carriers/change.html",
        {
            "change": change,
            "rows": rows,
            "photos": change.photos.all(),
            "transitions": CARRIER_CHANGE.available(change, request.user),
            "form": DecisionForm(),
        },
    )


@ecosystem_required
@require_POST
def change_transition(request, pk, name):
    change = selectors.get_change_for(request.user, pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    actions = {
        "approve": lambda: services.carrier_change_approve(actor=request.user, change=change),
        "reject": lambda: services.carrier_change_reject(actor=request.user, change=change, note=note),
        "withdraw": lambda: services.carrier_change_withdraw(actor=request.user, change=change),
    }
    if name not in actions:
        raise NotFound()
    actions[name]()
    messages.success(request, _("已处理：%(action)s。") % {"action": CARRIER_CHANGE.transition(name).label})
    return redirect("ecosystem:change_detail", pk=pk)


@office_required
def coverage(request):
    towns = list(selectors.town_choices(request.user))
    town = next((t for t in towns if str(t.pk) == request.GET.get("town")), towns[0] if towns else None)
    kinds = [k for k in request.GET.getlist("kind") if k in CarrierKind.values] or list(selectors.STATION_KINDS)
    rows = selectors.town_coverage(actor=request.user, town=town, kinds=kinds) if town else []
    return render(
        request,
        "ecosystem/carriers/coverage.html",
        {
            "towns": towns,
            "town": town,
            "rows": rows,
            "kinds": CarrierKind.choices,
            "chosen": kinds,
            "speed": geo.WALKING_SPEED_KMH,
            "minutes": geo.CIRCLE_MINUTES,
            "metres": round(geo.walking_metres()),
        },
    )
