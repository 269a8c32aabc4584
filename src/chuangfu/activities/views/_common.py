"""What every page of the app shares: turning a domain error into a message, access checks."""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone

from chuangfu.core.errors import DomainError, NotFound

from .. import selectors


def show_error(request, exc: DomainError, form=None) -> None:
    """A refused request becomes a form error when there is a form, a message otherwise."""
    if isinstance(exc, NotFound):
        raise Http404(str(exc.message))
    if form is not None:
        form.add_error(None, str(exc.message))
    else:
        messages.error(request, str(exc.message))


def manager_required(view):
    """Staff who run activities; anyone else is told "not found", like an out-of-scope id."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not selectors.can_manage(request.user):
            raise Http404()
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from None

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def parse_month(value: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None


def parse_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)
