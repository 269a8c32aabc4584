"""The role table: which roles may use each page and each API operation, in one place.

Each app declares its own rows in ``<app>/access.py`` as a module-level ``ROWS`` list (so that
two engineers adding pages do not edit one file); :func:`table` assembles them once. Enforcement
is central and cannot be forgotten by a view:

- pages: :class:`AccessMiddleware` resolves the URL name (``desk:queue``) and refuses before the
  view runs — an anonymous visitor is sent to the login page, a signed-in account without one
  of the row's roles gets 403;
- API operations: :func:`install_operation_check` wraps every ninja operation's authentication
  with :func:`operation_refusal`, which refuses with 401 (not signed in) or 403 (role, or an API
  token that does not list the operation) before the operation parses its input.

A URL or operation without a row is refused (and the generated matrix test names it). The table
answers "may this role use this page at all"; which records it sees there is the selectors' job
(``core.scoping``: another town's id is "not found"), and which actions it may take on a record is
the workflow's (``machine.available``).
"""

import dataclasses
import functools
import importlib
from collections.abc import Collection, Iterable

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext

from .models import Role
from .request_scope import declare_for_row

# Pseudo-roles for rows that do not depend on the role.
ANYONE = "anyone"  # anonymous visitors too: public pages, sign-in, public API
SIGNED_IN = "signed_in"  # any account, whatever its role

PAGE = "page"
OPERATION = "operation"

# The roles an account can hold, for the matrix test and for rows that name "every staff role".
ROLES = tuple(Role.values)
STAFF = tuple(r for r in ROLES if r != Role.ENTREPRENEUR)


@dataclasses.dataclass(frozen=True)
class Row:
    """One line of the table. ``name`` is a URL name (``desk:queue``), a whole namespace
    (``admin:*``, for a URL set we do not write ourselves) or an API operation id
    (``desk_ticket_list``, as in ``/api/openapi.json``)."""

    kind: str
    name: str
    roles: frozenset[str]
    why: str = ""
    # The view applies its own finer check after the table's (Django's admin site): the matrix
    # test then only asserts that the roles outside the row are refused.
    delegated: bool = False
    # The records in its path belong to a town and another town's are "not found". False for a
    # page about a record everyone may see once published (a competition's entry form).
    scoped: bool = True
    # Why the page reads town-owned records of every town, whoever asks (core.scopes): a public
    # page of published records, a link whose token is the credential. Empty: the account's own
    # scope applies, and an anonymous visitor's or a resident's query of a town-owned model raises.
    every_town: str = ""
    # Why an account without a jurisdiction (a resident) may read every town here: the page shows
    # its own records, selected by the account in the selector. Staff keep their own scope.
    own_records: str = ""

    @property
    def public(self) -> bool:
        return ANYONE in self.roles

    def admits(self, user) -> bool:
        if ANYONE in self.roles:
            return True
        if user is None or not user.is_authenticated:
            return False
        if SIGNED_IN in self.roles or user.is_superuser:
            return True
        return user.role in self.roles


def _roles(roles: Iterable[str]) -> frozenset[str]:
    out = frozenset(str(r) for r in roles)
    unknown = out - set(ROLES) - {ANYONE, SIGNED_IN}
    if unknown or not out:
        raise ImproperlyConfigured(f"role table: unknown or missing roles {sorted(unknown)}")
    return out


def page(
    name: str,
    *roles: str | Iterable[str],
    why: str = "",
    delegated: bool = False,
    scoped: bool = True,
    every_town: str = "",
    own_records: str = "",
) -> Row:
    """A row for a URL pattern by its name (``"app:name"``); roles may be given one by one or as sets."""
    return Row(PAGE, name, _roles(_flatten(roles)), why, delegated, scoped, _reason(every_town), _reason(own_records))


def operation(
    operation_id: str,
    *roles: str | Iterable[str],
    why: str = "",
    scoped: bool = True,
    every_town: str = "",
    own_records: str = "",
) -> Row:
    """A row for an API operation by its OpenAPI ``operationId``."""
    return Row(
        OPERATION,
        operation_id,
        _roles(_flatten(roles)),
        why,
        scoped=scoped,
        every_town=_reason(every_town),
        own_records=_reason(own_records),
    )


def _reason(reason: str) -> str:
    if reason and not reason.strip():
        raise TypeError("every_town and own_records need a reason: say why the page reads every town's records")
    return reason


def _flatten(roles) -> list[str]:
    out = []
    for r in roles:
        if isinstance(r, str):
            out.append(r)
        else:
            out.extend(r)
    return out


class Table:
    def __init__(self, rows: Iterable[Row]):
        self.pages: dict[str, Row] = {}
        self.operations: dict[str, Row] = {}
        for row in rows:
            into = self.pages if row.kind == PAGE else self.operations
            if row.name in into:
                raise ImproperlyConfigured(f"role table: two rows for {row.kind} {row.name!r}")
            into[row.name] = row

    def page(self, view_name: str) -> Row | None:
        row = self.pages.get(view_name)
        if row is None and ":" in view_name:
            row = self.pages.get(view_name.split(":", 1)[0] + ":*")
        return row

    def operation(self, operation_id: str) -> Row | None:
        return self.operations.get(operation_id)


@functools.cache
def table() -> Table:
    """Every installed app's ``access.ROWS``, checked for duplicates."""
    rows: list[Row] = []
    for config in apps.get_app_configs():
        if config.name.startswith("chuangfu.") and module_has_submodule(config.module, "access"):
            rows.extend(importlib.import_module(f"{config.name}.access").ROWS)
    return Table(rows)


def page_allowed(user, view_name: str) -> bool:
    row = table().page(view_name)
    return row is not None and row.admits(user)


def operation_allowed(user, operation_id: str, *, token_operations: Collection[str] | None = None) -> bool:
    """May ``user`` call the operation? The one check every API caller goes through.

    ``token_operations`` is the set of operation ids an API token was issued for: a request
    authenticated by a token passes only if the table admits the token's account *and* the token
    lists the operation.
    """
    row = table().operation(operation_id)
    if row is None:
        return False
    if token_operations is not None and operation_id not in token_operations:
        return False
    return row.admits(user)


# --- pages --------------------------------------------------------------------------------------


class AccessMiddleware:
    """Refuses a page before its view runs unless the table admits the account (see module doc).

    URLs served by API operations are checked by ninja (:func:`install_operation_check`); the
    API's schema and docs pages are pages here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_api_operation(view_func):
            return None
        row = table().page(request.resolver_match.view_name)
        user = getattr(request, "user", None)
        if row is not None and row.admits(user):
            declare_for_row(request, row)
            return None
        if user is None or not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        raise PermissionDenied(gettext("您没有使用此页面的权限。"))


def is_api_operation(view_func) -> bool:
    """A URL served by a ninja operation (checked by :func:`operation_refusal`, not as a page)."""
    return view_func.__module__ == "ninja.operation"


# --- API operations -----------------------------------------------------------------------------


def operation_refusal(api, request, operation_id: str):
    """None when the request may call the operation, else the 401/403 response.

    Runs after the operation's own authentication (session, or an API token: a token
    authenticator sets ``request.user`` to the token's account and ``request.token_operations``
    to the ids the token was issued for).
    """
    row = table().operation(operation_id)
    declare_for_row(request, row)  # the scope follows the account ninja authenticated (core.scopes)
    if row is not None and row.public:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        message = gettext("请登录，或在 Authorization 头中提供有效的接口令牌。")
        return api.create_response(request, {"code": "unauthenticated", "message": message, "details": {}}, status=401)
    token_operations = getattr(request, "token_operations", None)
    if token_operations is not None and operation_id not in token_operations:
        message = gettext("此令牌不能调用接口 %(op)s。") % {"op": operation_id}
        return api.create_response(
            request, {"code": "operation_not_allowed", "message": message, "details": {}}, status=403
        )
    if operation_allowed(user, operation_id, token_operations=token_operations):
        return None
    return api.create_response(
        request, {"code": "forbidden", "message": gettext("您没有使用此接口的权限。"), "details": {}}, status=403
    )


def api_operations(api):
    """``(operation_id, method, path, operation)`` of every operation the API serves."""
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for op in path_view.operations:
                op_id = op.operation_id or api.get_openapi_operation_id(op)
                for method in op.methods:
                    yield op_id, method, path, op


def install_operation_check(api) -> None:
    """Put the table's check after the authentication of every operation of ``api``, public ones
    included (an operation opened with ``auth=None`` still needs a public row).

    ninja runs authentication and throttling in ``Operation._run_checks``; the check is chained
    after it, before any input is parsed. The matrix test proves every operation carries it.
    """
    for op_id, _method, _path, op in api_operations(api):
        if getattr(op, "access_checked", False):
            continue
        original = op._run_checks

        def checked(request, _original=original, _op_id=op_id):
            return _original(request) or operation_refusal(api, request, _op_id)

        op._run_checks = checked
        op.access_checked = True
