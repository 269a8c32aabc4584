"""What every page of the app shares: access checks, the proven mobile, parsing filters."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone

from chuangfu.core.bounds import in_date_range, int_param
from chuangfu.core.crypto import lookup_hash

from .. import selectors


def manager_required(view):
    """Staff who run activities; anyone else is told "not found", like an out-of-scope id."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not selectors.can_manage(request.user):
            raise Http404()
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


PROVEN_MOBILES = "activities_proven_mobiles"
PROOF_TTL = datetime.timedelta(minutes=30)


def mobile_proven(request, mobile: str) -> bool:
    """The mobile belongs to the logged-in account, or was proven by a code in this session."""
    user = request.user
    if user.is_authenticated and user.mobile == mobile and user.mobile_verified_at:
        return True
    proof = request.session.get(PROVEN_MOBILES, {}).get(lookup_hash(mobile))
    return bool(proof) and timezone.now().timestamp() - proof < PROOF_TTL.total_seconds()


def remember_mobile_proof(request, mobile: str) -> None:
    proofs = request.session.get(PROVEN_MOBILES, {})
    proofs[lookup_hash(mobile)] = timezone.now().timestamp()
    request.session[PROVEN_MOBILES] = proofs


def prove_mobile(request, mobile: str, code: str) -> None:
    """Require an SMS code for ``mobile`` unless this session or account has already proven it."""
    from ..services.verification import mobile_code_verify

    if not mobile_proven(request, mobile):
        mobile_code_verify(mobile=mobile, code=code)
        remember_mobile_proof(request, mobile)


def staff_required(view):
    """Any staff account (mentors and judges included); selectors decide what each may see."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff_role and not request.user.is_superuser:
            raise Http404()
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def form_errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def parse_month(value: str) -> datetime.date | None:
    try:
        month = datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None
    return month if in_date_range(month) else None


def parse_int(value) -> int | None:
    """An id from the query string; anything else, or beyond an id's range, is no id."""
    return int_param(value)


def this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)
