"""An enterprise's premises and leases, added and removed from its detail page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.errors import DomainError, NotFound

from .. import forms, selectors, services
from .records import ENTERPRISE, _detail_context, apply_error, record_url, staff_view


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
