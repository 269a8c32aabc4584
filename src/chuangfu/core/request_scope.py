"""The scope of a request (``core.scopes``, decision 33): the middleware that enters it, what the
page's role-table row declares, and which scope an account reads in.

Apart from ``core.scopes`` so that the manager, which the models use, does not import the
scoping of accounts (which imports the models)."""

from . import scopes
from .scopes import EVERY_TOWN, REQUIRED
from .scoping import scope_jurisdiction_ids


def account_scope(user):
    """The scope a request of ``user`` reads in: ids, :data:`EVERY_TOWN` or :data:`REQUIRED`."""
    if user is None or not user.is_authenticated:
        return REQUIRED
    ids = scope_jurisdiction_ids(user)
    if ids is None:
        return EVERY_TOWN  # a platform admin or a superuser without a jurisdiction
    if user.is_superuser or user.is_staff_role:
        return ids
    return REQUIRED  # a resident: their pages declare what they read


class _RequestScope:
    """The scope of one request: an explicit declaration (the role-table row's) or the account's."""

    def __init__(self, request):
        self.request = request
        self.every_town = ""  # the page's row declares it (declare_for_row)
        self.own_records = ""

    def resolve(self):
        if self.every_town:
            return EVERY_TOWN
        scope = account_scope(getattr(self.request, "user", None))
        if scope is REQUIRED and self.own_records:
            return EVERY_TOWN  # a resident's own records: the selector selects them by the account
        return scope


class ScopeMiddleware:
    """Enters the request's scope (see the module doc). Placed after authentication and the role
    table's middleware, which passes on what the page's row declares (:func:`declare_for_row`);
    for an API operation the table's check does, after ninja's authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._town_scope = _RequestScope(request)
        token = scopes.enter(request._town_scope)
        try:
            return self.get_response(request)
        finally:
            scopes.leave(token)


def declare_for_row(request, row) -> None:
    """What the page's role-table row declares: ``every_town`` (anyone reads every town) or
    ``own_records`` (an account without a jurisdiction of its own does)."""
    scope = getattr(request, "_town_scope", None)
    if scope is not None and row is not None:
        scope.every_town = row.every_town
        scope.own_records = row.own_records
