"""Registry pages for staff: list (live search, filters, pages, export), detail, create, edit.

The four record types share one set of views, configured by an ``Entity``: which selector
lists and fetches, which service writes, which form and exporter. Views stay thin: parse,
call one selector or service, render. Records outside the actor's jurisdiction are 404.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chuangfu.core.bounds import page_number
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.views.audit import history_rows

from .. import exporters, forms, selectors, services
from ..groups import detail_texts, missing_details
from ..models import EnterprisePerson, Mentor

SECTION_LABELS = dict(forms.SECTION_OPTIONS)


def staff_view(view):
    """Login required; out-of-scope records (``NotFound``) become a plain 404."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from None

    return wrapped


def record_url(kind: str, pk) -> str:
    return reverse(f"registry:{kind}_detail", args=[pk])


def _urls(entity, record=None) -> dict:
    urls = {name: reverse(f"registry:{entity.key}_{name}") for name in ("list", "count", "create", "export")}
    if record is not None:
        urls.update(
            {name: reverse(f"registry:{entity.key}_{name}", args=[record.pk]) for name in ("detail", "edit", "delete")}
        )
    return urls


def apply_error(form, exc: Exception) -> None:
    """Put a service's refusal on the form: on its field when it names one, else on top.

    A duplicate the actor may see links to the existing record.
    """
    if isinstance(exc, ValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for name, msgs in errors.items():
            for msg in msgs:
                form.add_error(form.field_for_error(name), msg)
        return
    message = str(exc.message)
    if exc.details.get("existing_id"):
        url = record_url(exc.details["existing_type"], exc.details["existing_id"])
        message = format_html('{} <a href="{}">{}</a>', message, url, _("查看已有记录"))
    form.add_error(form.field_for_error(exc.details.get("field")), message)


@dataclass(frozen=True)
class Entity:
    key: str
    title: str
    new_label: str
    list: Callable
    get: Callable
    create: Callable
    update: Callable
    delete: Callable
    form: type
    filter_form: type
    exporter: type
    can_view: Callable
    can_edit: Callable = lambda actor, record: selectors.can_edit_registry(actor)
    detail_extra: Callable = lambda request, record: {}


def _person_extra(request, person):
    return {
        "links": selectors.person_enterprises(actor=request.user, person=person),
        "groups": [
            {"row": row, "details": detail_texts(row), "missing": missing_details(row)} for row in person.groups.all()
        ],
        "can_reveal": selectors.can_reveal_personal_data(request.user),
        "mentor": getattr(person, "mentor", None),
        "insurance": selectors.insurance_spans(actor=request.user, person=person),
        "credit": person.credit_records.all(),
    }


def _enterprise_extra(request, enterprise, link_form=None, premises_form=None):
    return {
        "premises": enterprise.premises.select_related("carrier"),
        "premises_form": premises_form or forms.PremisesForm(actor=request.user),
        "links": selectors.enterprise_people(actor=request.user, enterprise=enterprise),
        "insurance": selectors.insurance_spans(actor=request.user, enterprise=enterprise),
        "credit": enterprise.credit_records.all(),
        "link_form": link_form or forms.LinkForm(actor=request.user),
        "tags": enterprise.tags.all(),
    }


def _mentor_extra(request, mentor):
    return {
        "industries": [str(SECTION_LABELS.get(code, code)) for code in mentor.industries],
        "service_modes": [str(Mentor.Mode(mode).label) for mode in mentor.service_modes if mode in Mentor.Mode.values],
    }


def _carrier_extra(request, carrier):
    hosted = selectors.enterprise_list(actor=request.user, filters={"carrier": carrier.pk})
    return {
        "hosted": selectors.page_of(hosted, per_page=50),
        "hosted_url": reverse("registry:enterprise_list") + f"?carrier={carrier.pk}",
        "mentors": selectors.carrier_mentors(actor=request.user, carrier=carrier),
    }


PERSON = Entity(
    key="person",
    title=exporters.EXPORTS["person"].title,
    new_label=gettext_lazy("登记人员"),
    list=exporters.EXPORTS["person"].list,
    get=selectors.get_person_for,
    create=services.person_create,
    update=lambda actor, record, data: services.person_update(actor=actor, person=record, data=data),
    delete=lambda actor, record: services.person_delete(actor=actor, person=record),
    form=forms.PersonForm,
    filter_form=exporters.EXPORTS["person"].filter_form,
    exporter=exporters.EXPORTS["person"].exporter,
    can_view=selectors.can_view_people,
    detail_extra=_person_extra,
)
ENTERPRISE = Entity(
    key="enterprise",
    title=exporters.EXPORTS["enterprise"].title,
    new_label=gettext_lazy("登记企业"),
    list=exporters.EXPORTS["enterprise"].list,
    get=selectors.get_enterprise_for,
    create=services.enterprise_create,
    update=lambda actor, record, data: services.enterprise_update(actor=actor, enterprise=record, data=data),
    delete=lambda actor, record: services.enterprise_delete(actor=actor, enterprise=record),
    form=forms.EnterpriseForm,
    filter_form=exporters.EXPORTS["enterprise"].filter_form,
    exporter=exporters.EXPORTS["enterprise"].exporter,
    can_view=selectors.can_view_people,
    detail_extra=_enterprise_extra,
)
CARRIER = Entity(
    key="carrier",
    title=exporters.EXPORTS["carrier"].title,
    new_label=gettext_lazy("登记载体"),
    list=exporters.EXPORTS["carrier"].list,
    get=selectors.get_carrier_for,
    create=services.carrier_create,
    update=lambda actor, record, data: services.carrier_update(actor=actor, carrier=record, data=data),
    delete=lambda actor, record: services.carrier_delete(actor=actor, carrier=record),
    form=forms.CarrierForm,
    filter_form=exporters.EXPORTS["carrier"].filter_form,
    exporter=exporters.EXPORTS["carrier"].exporter,
    can_view=selectors.can_view_carriers,
    detail_extra=_carrier_extra,
)
MENTOR = Entity(
    key="mentor",
    title=exporters.EXPORTS["mentor"].title,
    new_label=gettext_lazy("登记导师"),
    list=exporters.EXPORTS["mentor"].list,
    get=selectors.get_mentor_for,
    create=services.mentor_create,
    update=lambda actor, record, data: services.mentor_update(actor=actor, mentor=record, data=data),
    delete=lambda actor, record: services.mentor_delete(actor=actor, mentor=record),
    form=forms.MentorForm,
    filter_form=exporters.EXPORTS["mentor"].filter_form,
    exporter=exporters.EXPORTS["mentor"].exporter,
    can_view=selectors.can_view_carriers,
    detail_extra=_mentor_extra,
)
ENTITIES = {e.key: e for e in (PERSON, ENTERPRISE, CARRIER, MENTOR)}


# --- list, export ------------------------------------------------------------------------------


def _filtered(request, entity: Entity):
    if not entity.can_view(request.user):
        raise PermissionDenied
    form = entity.filter_form(request.GET or None, actor=request.user)
    return form, entity.list(actor=request.user, filters=form.filters() if request.GET else {})


def _page_number(request) -> int:
    return page_number(request.GET.get("page"))


@staff_view
def record_list(request, entity: Entity):
    form, qs = _filtered(request, entity)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "entity": entity,
        "filter_form": form,
        "page": selectors.page_of(qs, page=_page_number(request)),
        "query": query.urlencode(),
        "can_create": selectors.can_edit_registry(request.user),
        "rows_template": f"registry/{entity.key}_rows.html",
        "urls": _urls(entity),
    }
    template = "registry/_results.html" if request.htmx and request.htmx.target == "results" else "registry/list.html"
    return render(request, template, context)


@staff_view
def record_count(request, entity: Entity):
    """How many records match, counted up to a cap; the list page loads it after the rows."""
    _form, qs = _filtered(request, entity)
    count, more = selectors.count_capped(qs)
    return render(request, "registry/_count.html", {"count": count, "count_more": more})


@staff_view
def record_export(request, entity: Entity):
    """The current filtered list as .xlsx, identifiers masked; a long list becomes a background job."""
    _form, qs = _filtered(request, entity)
    _count, more = selectors.count_capped(qs, cap=exporters.DIRECT_EXPORT_LIMIT)
    if not more:
        return entity.exporter().response(qs, filename=str(entity.title))
    job = exporters.export_start(
        entity=entity.key, actor=request.user, query=request.GET.urlencode(), title=str(entity.title)
    )
    return redirect("core:export_status", job.pk)


# --- detail, create, edit, delete --------------------------------------------------------------


def _detail_context(request, entity: Entity, record, **extra) -> dict:
    return {
        "entity": entity,
        "record": record,
        "history": history_rows(record),
        "urls": _urls(entity, record),
        "can_edit": entity.can_edit(request.user, record),
        "can_delete": selectors.can_edit_registry(request.user),
        **entity.detail_extra(request, record, **extra),
    }


@staff_view
def record_detail(request, pk, entity: Entity):
    record = entity.get(request.user, pk)
    return render(request, f"registry/{entity.key}_detail.html", _detail_context(request, entity, record))


def _save(request, entity: Entity, record=None):
    actor = request.user
    form = entity.form(request.POST or None, actor=actor, record=record)
    if request.method == "POST" and form.is_valid():
        try:
            if record is None:
                record = entity.create(actor=actor, **form.service_data())
                messages.success(request, _("已登记：%(name)s") % {"name": record})
            else:
                entity.update(actor, record, form.service_data())
                messages.success(request, _("已保存：%(name)s") % {"name": record})
            return redirect(record_url(entity.key, record.pk))
        except NotFound:
            raise
        except (DomainError, ValidationError) as exc:
            apply_error(form, exc)
    status = 400 if request.method == "POST" else 200
    context = {"entity": entity, "form": form, "record": record, "urls": _urls(entity, record)}
    return render(request, "registry/form.html", context, status=status)


@staff_view
def record_create(request, entity: Entity):
    if not selectors.can_edit_registry(request.user):
        raise PermissionDenied
    return _save(request, entity)


@staff_view
def record_edit(request, pk, entity: Entity):
    record = entity.get(request.user, pk)
    if not entity.can_edit(request.user, record):
        raise PermissionDenied
    return _save(request, entity, record)


@staff_view
@require_POST
def record_delete(request, pk, entity: Entity):
    record = entity.get(request.user, pk)
    if not selectors.can_edit_registry(request.user):
        raise PermissionDenied
    name = str(record)
    try:
        entity.delete(request.user, record)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(record_url(entity.key, pk))
    messages.success(request, _("已删除：%(name)s") % {"name": name})
    return redirect(f"registry:{entity.key}_list")


# --- personal data, links ----------------------------------------------------------------------


@staff_view
@require_POST
def person_reveal(request, pk, field_name):
    """The full ID number or mobile for roles that need it (others: 404); audited."""
    person = selectors.get_person_for(request.user, pk)
    value = services.person_reveal(actor=request.user, person=person, field=field_name)
    return HttpResponse(format_html('<span class="cf-masked">{}</span>', value))


@staff_view
@require_POST
def enterprise_link(request, pk):
    enterprise = selectors.get_enterprise_for(request.user, pk)
    if not selectors.can_edit_registry(request.user):
        raise PermissionDenied
    form = forms.LinkForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            services.enterprise_person_link(actor=request.user, enterprise=enterprise, **form.service_data())
            messages.success(request, _("已添加人员关系。"))
            return redirect(record_url("enterprise", pk))
        except NotFound:
            raise
        except (DomainError, ValidationError) as exc:
            apply_error(form, exc)
    context = _detail_context(request, ENTERPRISE, enterprise, link_form=form)
    return render(request, "registry/enterprise_detail.html", context, status=400)


@staff_view
@require_POST
def enterprise_unlink(request, pk, link_id):
    enterprise = selectors.get_enterprise_for(request.user, pk)
    if not selectors.can_edit_registry(request.user):
        raise PermissionDenied
    link = selectors.enterprise_people(actor=request.user, enterprise=enterprise).filter(pk=link_id).first()
    if link is None:
        raise Http404
    services.enterprise_person_unlink(actor=request.user, link=link)
    messages.success(
        request,
        _("已解除%(person)s的%(relation)s关系。")
        % {"person": link.person, "relation": EnterprisePerson.Relation(link.relation).label},
    )
    return redirect(record_url("enterprise", pk))
