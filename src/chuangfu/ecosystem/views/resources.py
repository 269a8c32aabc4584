"""Resources and linkage (资源对接): the inventory, needs matched to resources with reasons,
each 对接 with its outcome, and the counts."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.crypto import lookup_hash
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import Unit
from chuangfu.core.scoping import scope_by_jurisdiction
from chuangfu.core.web import errors_on
from chuangfu.desk.selectors import get_ticket_by_number_for
from chuangfu.registry.models import Enterprise, Person

from .. import selectors
from ..forms import NeedForm, OutcomeForm, ResourceForm
from ..models import Linkage, LinkageStatus, NeedSource, ResourceKind
from ..services import resources as services
from ._common import office_required


def _enterprise(actor, uscc):
    uscc = (uscc or "").strip().upper()
    if not uscc:
        return None
    found = scope_by_jurisdiction(Enterprise.objects.all(), actor).filter(uscc=uscc).first()
    if found is None:
        raise DomainError(
            "unknown_enterprise", _("本辖区企业名录中没有统一社会信用代码为 %(uscc)s 的企业。") % {"uscc": uscc}
        )
    return found


def _person(actor, id_number):
    id_number = (id_number or "").strip().upper()
    if not id_number:
        return None
    found = scope_by_jurisdiction(Person.objects.all(), actor).filter(id_number_hash=lookup_hash(id_number)).first()
    if found is None:
        raise DomainError("unknown_person", _("本辖区人员名录中没有这个身份证号码。"))
    return found


@office_required
def resource_list(request):
    kind, q = request.GET.get("kind", ""), request.GET.get("q", "").strip()
    towns = selectors.town_choices(request.user)
    only_town = towns[0] if len(towns[:2]) == 1 else None  # a town's staff need not pick their own town
    form = ResourceForm(
        request.POST or None,
        initial={"jurisdiction": only_town},
        towns=towns,
        carriers=selectors.carrier_list(actor=request.user),
        units=scope_by_jurisdiction(Unit.objects.filter(active=True), request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with errors_on(form):
            data["holder_enterprise"] = _enterprise(request.user, data["holder_enterprise"])
            services.resource_create(actor=request.user, **data)
            messages.success(request, _("资源已登记。"))
            return redirect("ecosystem:resource_list")
    page = Paginator(selectors.resource_list(actor=request.user, kind=kind, q=q), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "ecosystem/resources/list.html",
        {"page": page, "form": form, "kind": kind, "q": q, "kinds": ResourceKind.choices},
    )


@office_required
@require_POST
def resource_toggle(request, pk):
    resource = selectors.get_resource_for(request.user, pk)
    services.resource_set_active(actor=request.user, resource=resource, active=not resource.active)
    return redirect("ecosystem:resource_list")


@office_required
def need_list(request):
    initial = {"source": request.GET.get("source", NeedSource.STAFF), "visit": request.GET.get("visit")}
    form = NeedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form):
            origin = None
            if data["source"] == NeedSource.TICKET and data["ticket_number"]:
                origin = get_ticket_by_number_for(request.user, data["ticket_number"].strip())
                if origin is None:
                    raise DomainError("unknown_ticket", _("没有找到这个工单编号。"))
            elif data["source"] == NeedSource.VISIT and data["visit"]:
                origin = selectors.get_visit_for(request.user, data["visit"])
            need = services.need_create(
                actor=request.user,
                enterprise=_enterprise(request.user, data["uscc"]),
                person=_person(request.user, data["id_number"]),
                kinds=data["kinds"],
                description=data["description"],
                source=data["source"],
                origin=origin,
            )
            return redirect("ecosystem:need_detail", pk=need.pk)
    needs = selectors.needs_for(request.user).prefetch_related("linkages")
    return render(
        request,
        "ecosystem/resources/needs.html",
        {"page": Paginator(needs, 30).get_page(request.GET.get("page")), "form": form},
    )


@office_required
def need_detail(request, pk):
    need = selectors.get_need_for(request.user, pk)
    return render(
        request,
        "ecosystem/resources/need.html",
        {
            "need": need,
            "matches": selectors.match_resources(actor=request.user, need=need),
            "linkages": need.linkages.select_related("resource"),
            "outcome_form": OutcomeForm(),
            "kind_labels": dict(ResourceKind.choices),
        },
    )


@office_required
@require_POST
def linkage_create(request, pk, resource_pk):
    need = selectors.get_need_for(request.user, pk)
    resource = selectors.get_resource_for(request.user, resource_pk)
    services.linkage_create(actor=request.user, need=need, resource=resource)
    messages.success(request, _("已开始对接：%(r)s。") % {"r": resource})
    return redirect("ecosystem:need_detail", pk=pk)


@office_required
@require_POST
def linkage_outcome(request, pk, linkage_pk, outcome):
    need = selectors.get_need_for(request.user, pk)
    linkage = Linkage.objects.filter(need=need, pk=linkage_pk).first()
    if linkage is None or outcome not in ("met", "failed"):
        raise NotFound()
    form = OutcomeForm(request.POST)
    note = form.data.get("note", "")
    services.linkage_outcome(actor=request.user, linkage=linkage, met=outcome == "met", note=note)
    messages.success(request, _("已记录对接结果。"))
    return redirect("ecosystem:need_detail", pk=pk)


@office_required
def linkage_figures(request):
    status = request.GET.get("status", "")
    status = status if status in LinkageStatus.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in ResourceKind.values else ""
    linkages = selectors.linkages_for(request.user)
    if status:
        linkages = linkages.filter(status=status)
    if kind:
        linkages = linkages.filter(resource__kind=kind)
    shown = [str(label) for value, label in (*ResourceKind.choices, *LinkageStatus.choices) if value in (kind, status)]
    return render(
        request,
        "ecosystem/resources/figures.html",
        {
            "counts": selectors.linkage_counts(actor=request.user),
            "statuses": LinkageStatus.choices,
            "page": Paginator(linkages, 50).get_page(request.GET.get("page")),
            "status": status,
            "kind": kind,
            "shown": shown,
        },
    )
