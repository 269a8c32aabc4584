"""An enterprise's premises and leases: added and removed on its detail page, edited on a page of
their own (reached from the detail page)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.errors import DomainError, NotFound

from .. import forms, selectors, services
from ..models import Premises
from .records import ENTERPRISE, _detail_context, _urls, apply_error, record_url, staff_view


@staff_view
@require_POST
def premises_add(request, pk):
    enterprise = selectors.get_enterprise_for(request.user, pk)
    if not selectors.can_edit_registry(request.user):
        raise PermissionDenied
    form = forms.PremisesForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            services.premises_add(actor=request.user, enterprise=enterprise, **form.service_data())
            messages.success(request, _("已添加经营场地。"))
            return redirect(record_url("enterprise", pk) + "#premises")
        except NotFound:
            raise
        except (DomainError, ValidationError) as exc:
            apply_error(form, exc)
    context = _detail_context(request, ENTERPRISE, enterprise, premises_form=form)
    return render(request, "registry/enterprise_detail.html", context, status=400)


@staff_view
@require_POST
def premises_remove(request, pk, premises_id):
    enterprise = selectors.get_enterprise_for(request.user, pk)
    if not selectors.can_edit_registry(request.user):
        raise PermissionDenied
    services.premises_remove(actor=request.user, enterprise=enterprise, premises_id=premises_id)
    messages.success(request, _("已删除经营场地。"))
    return redirect(record_url("enterprise", pk) + "#premises")


def _initial(premises: Premises) -> dict:
    return {name: getattr(premises, name) for name in forms.PremisesForm.base_fields}


@staff_view
def premises_edit(request, pk, premises_id):
    """GET: the premises' form, filled in; POST: save it (twice the same: saved once)."""
    enterprise = selectors.get_enterprise_for(request.user, pk)
    if not selectors.can_edit_registry(request.user):
        raise PermissionDenied
    premises = enterprise.premises.select_related("carrier").filter(pk=premises_id).first()
    if premises is None:
        raise Http404
    form = forms.PremisesForm(request.POST or None, actor=request.user, initial=_initial(premises))
    if request.method == "POST" and form.is_valid():
        try:
            services.premises_update(
                actor=request.user, enterprise=enterprise, premises_id=premises.pk, **form.service_data()
            )
            messages.success(request, _("已保存经营场地。"))
            return redirect(record_url("enterprise", pk) + "#premises")
        except NotFound:
            raise
        except (DomainError, ValidationError) as exc:
            apply_error(form, exc)
    context = {"record": enterprise, "premises": premises, "form": form, "urls": _urls(ENTERPRISE, enterprise)}
    return render(request, "registry/premises_form.html", context, status=400 if request.method == "POST" else 200)
