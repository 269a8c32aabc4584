"""The check-in page, made for a phone: scan the QR ticket with the camera (the browser's
BarcodeDetector, or jsQR where the browser lacks it), type the code, or search by name or
mobile; register walk-ins on the spot. Each action answers with one result panel (htmx)."""

from django.shortcuts import render
from django.views.decorators.http import require_POST

from chuangfu.core.web import refused_with

from .. import selectors
from ..forms import ConsultationForm, StaffRegistrationForm
from ..services import checkins, consultations, registrations
from ._common import form_errors, manager_required


def _result(request, activity, *, checkin=None, error=None, walk_in=None, consultation=None, form=None):
    """The result panel. A success carries ``X-Result: ok`` so the page clears the form it came
    from; after an error the form keeps what was typed."""
    response = render(
        request,
        "activities/checkin/_result.html",
        {
            "activity": activity,
            "checkin": checkin,
            "error": error,
            "walk_in": walk_in,
            "consultation": consultation,
            "consultation_form": form,
            "figures": selectors.activity_figures(activity),
        },
    )
    if error is None:
        response["X-Result"] = "ok"
    return response


@manager_required
def checkin_page(request, pk):
    activity = selectors.get_activity_for(request.user, pk)
    return render(
        request,
        "activities/checkin/page.html",
        {
            "activity": activity,
            "figures": selectors.activity_figures(activity),
            "walk_in_form": StaffRegistrationForm(),
            "desk_available": selectors.desk_available(),
            "consultation_form": ConsultationForm(categories=selectors.consultation_categories(activity)),
        },
    )


def _refused(request, exc, pk, **kwargs):
    """A refused check-in answers with the result panel (its counts stay), not a bare message."""
    return _result(request, selectors.get_activity_for(request.user, pk), error=exc.message)


@manager_required
@require_POST
@refused_with(_refused)
def checkin_scan(request, pk):
    activity = selectors.get_activity_for(request.user, pk)
    checkin = checkins.registration_check_in_by_token(
        activity=activity, token=request.POST.get("token", ""), actor=request.user
    )
    return _result(request, activity, checkin=checkin)


@manager_required
def checkin_search(request, pk):
    activity = selectors.get_activity_for(request.user, pk)
    query = request.GET.get("q", "")
    return render(
        request,
        "activities/checkin/_search.html",
        {
            "activity": activity,
            "matches": selectors.checkin_search(activity, query),
            "query": query,
        },
    )


@manager_required
@require_POST
@refused_with(_refused)
def checkin_mark(request, pk, registration_pk):
    activity = selectors.get_activity_for(request.user, pk)
    registration = selectors.get_registration_for(request.user, activity, registration_pk)
    checkin = checkins.registration_check_in(registration=registration, actor=request.user)
    return _result(request, activity, checkin=checkin)


@manager_required
@require_POST
@refused_with(_refused)
def checkin_walk_in(request, pk):
    activity = selectors.get_activity_for(request.user, pk)
    form = StaffRegistrationForm(request.POST)
    if not form.is_valid():
        return _result(request, activity, error=" ".join(e for errors in form.errors.values() for e in errors))
    registration = registrations.registration_create(
        activity=activity, actor=request.user, source="walk_in", **form.cleaned_data
    )
    return _result(request, activity, walk_in=registration)


@manager_required
@require_POST
@refused_with(_refused)
def checkin_consultation(request, pk):
    """A consultation raised at the check-in desk: recorded as a desk ticket linked to the activity."""
    activity = selectors.get_activity_for(request.user, pk)
    form = ConsultationForm(request.POST, categories=selectors.consultation_categories(activity))
    if not form.is_valid():
        return _result(request, activity, error=form_errors(form))
    ticket, created = consultations.consultation_record(activity=activity, actor=request.user, **form.cleaned_data)
    fresh = ConsultationForm(categories=())  # a new key for the next consultation
    return _result(request, activity, consultation={"ticket": ticket, "created": created}, form=fresh)
