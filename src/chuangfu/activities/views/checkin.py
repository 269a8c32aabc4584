"""The check-in page, made for a phone: scan the QR ticket with the camera (the browser's
BarcodeDetector, or jsQR where the browser lacks it), type the code, or search by name or
mobile; register walk-ins on the spot. Each action answers with one result panel (htmx)."""
from django.shortcuts import render
from django.views.decorators.http import require_POST

from chuangfu.core.errors import DomainError

from .. import selectors
from ..forms import StaffRegistrationForm
from ..services import registrations
from ._common import manager_required


def _result(request, activity, *, checkin=None, error=None, walk_in=None):
    return render(request, "activities/checkin/_result.html", {
        "activity": activity, "checkin": checkin, "error": error, "walk_in": walk_in,
        "figures": selectors.activity_figures(activity),
    })


@manager_required
def checkin_page(request, pk):
    activity = selectors.get_activity_for(request.user, pk)
    return render(request, "activities/checkin/page.html", {
        "activity": activity, "figures": selectors.activity_figures(activity), "walk_in_form": StaffRegistrationForm(),
    })


@manager_required
@require_POST
def checkin_scan(request, pk):
    activity = selectors.get_activity_for(request.user, pk)
    try:
        checkin = registrations.checkin_by_token(activity=activity, token=request.POST.get("token", ""), actor=request.user)
    except DomainError as exc:
        return _result(request, activity, error=exc.message)
    return _result(request, activity, checkin=checkin)


@manager_required
def checkin_search(request, pk):
    activity = selectors.get_activity_for(request.user, pk)
    query = request.GET.get("q", "")
    return render(request, "activities/checkin/_search.html", {
        "activity": activity, "matches": selectors.checkin_search(activity, query), "query": query,
    })


@manager_required
@require_POST
def checkin_mark(request, pk, registration_pk):
    activity = selectors.get_activity_for(request.user, pk)
    registration = selectors.get_registration_for(request.user, activity, registration_pk)
    try:
        checkin = registrations.checkin_registration(registration=registration, actor=request.user)
    except DomainError as exc:
        return _result(request, activity, error=exc.message)
    return _result(request, activity, checkin=checkin)


@manager_required
@require_POST
def checkin_walk_in(request, pk):
    activity = selectors.get_activity_for(request.user, pk)
    form = StaffRegistrationForm(request.POST)
    if not form.is_valid():
        return _result(request, activity, error=" ".join(e for errors in form.errors.values() for e in errors))
    try:
        registration = registrations.registration_create(
            activity=activity, actor=request.user, source="walk_in", **form.cleaned_data
        )
    except DomainError as exc:
        return _result(request, activity, error=exc.message)
    return _result(request, activity, walk_in=registration)
