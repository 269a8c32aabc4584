"""What every page of the app shares: access checks and turning a domain error into a message."""

import functools

from django.contrib.auth.decorators import login_required
from django.http import Http404

from .. import selectors


def _guarded(allowed):
    def decorator(view):
        @login_required
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user):
                raise Http404()
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# The town's office (desk staff, leaders, admins); anyone else is told "not found".
office_required = _guarded(selectors.is_office)
# The office and carrier operators (who see only their own carriers).
ecosystem_required = _guarded(selectors.can_use)
