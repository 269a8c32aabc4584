"""What every governance page shares: the access check (refusals reach the user through core.web)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from ..access import can_use, is_office


def _guard(test):
    def decorator(view):
        @login_required
        def wrapped(request, *args, **kwargs):
            if not test(request.user):
                raise Http404()
            return view(request, *args, **kwargs)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorator


# The office and leaders, or a unit's liaison; anyone else is told "not found", like an out-of-scope id.
governance_required = _guard(can_use)
office_required = _guard(is_office)


def form_errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
