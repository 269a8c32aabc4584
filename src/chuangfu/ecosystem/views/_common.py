"""What every page of the app shares: access checks and turning a domain error into a message."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404

from chuangfu.core.errors import DomainError, NotFound

from .. import selectors


def show_error(request, exc: DomainError, form=None) -> None:
    if isinstance(exc, NotFound):
        raise Http404(str(exc.message))
    if form is not None:
        form.add_error(None, str(exc.message))
    else:
        messages.error(request, str(exc.message))


def _guarded(allowed):
    def decorator(view):
        @login_required
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user):
                raise Http404()
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(str(exc.message)) from None

        return wrapped

    return decorator


# The town's office (desk staff, leaders, admins); anyone else is told "not found".
office_required = _guarded(selectors.is_office)
# The office and carrier operators (who see only their own carriers).
ecosystem_required = _guarded(selectors.can_use)
