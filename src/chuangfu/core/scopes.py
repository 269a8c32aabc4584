"""Scoping that cannot be forgotten: inside a request, a town-owned model is read within a
jurisdiction scope or not at all (decision 33).

Selectors scope every read by the actor (``core.scoping``); this is the net underneath them. A
town-owned model's default manager (:class:`TownScopedManager`) asks :func:`current` which scope
the code runs in:

- **none** — outside any request (management commands, queue tasks, a test calling a service):
  nothing is enforced, querysets are plain;
- **a request** — ``core.request_scope.ScopeMiddleware`` enters it for every request. A staff account with a
  jurisdiction reads within its jurisdictions (its subtree and the places above it, so that a
  village account still reads its town's tickets); a platform admin or a superuser without a
  jurisdiction reads every town; anyone else (an anonymous visitor, a resident) has declared
  nothing, and a query of a town-owned model **raises** :class:`ScopeError` when it runs;
- **declared** — on the page's role-table row, ``every_town="why"`` (a public page of published
  records of every town, a link whose token is the credential: anyone reads every town) or
  ``own_records="why"`` (a resident's own records, selected by the account: an account without a
  jurisdiction reads every town, staff keep their scope); in code, ``every_town("why")`` or
  ``scope_to(ids)``, as a context manager or a decorator.

The account is looked at when a scoped model is first read, not when the request starts: a page
that reads no town-owned record pays nothing, an API token's account (set by ninja's
authentication, after the middlewares) is the one scoped, and the ids come from
``visible_jurisdiction_ids``, which each request works out once.
"""

import contextvars
import functools
from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import BooleanField, Expression

# What :func:`current` answers.
EVERY_TOWN = None  # plain querysets: no enforcement, or every town declared


class ScopeError(Exception):
    """A town-owned model was queried inside a request that declared no jurisdiction scope."""


class _Required:
    """Inside a request, nothing declared (see :func:`current`)."""

    def __repr__(self):
        return "REQUIRED"


REQUIRED = _Required()


class _Declared:
    def __init__(self, ids: frozenset[int] | None, reason: str):
        self.ids = ids
        self.reason = reason

    def resolve(self):
        return self.ids


_scope: contextvars.ContextVar = contextvars.ContextVar("chuangfu_scope", default=None)


def enter(state):
    """Make ``state`` (anything with ``resolve()``, or None) the current scope; returns the token
    for :func:`leave`. For the request's scope (``core.request_scope``)."""
    return _scope.set(state)


def leave(token) -> None:
    _scope.reset(token)


def current():
    """:data:`EVERY_TOWN` (``None``: no enforcement, or every town declared), the jurisdiction ids
    to read within, or :data:`REQUIRED` (a request that declared nothing)."""
    state = _scope.get()
    return EVERY_TOWN if state is None else state.resolve()


class _Scope:
    """A declaration, as a context manager or a decorator; nests, and restores what was before."""

    def __init__(self, state):
        self._state = state
        self._tokens: list = []

    def __enter__(self):
        self._tokens.append(_scope.set(self._state))
        return self

    def __exit__(self, *exc):
        _scope.reset(self._tokens.pop())

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with _Scope(self._state):
                return func(*args, **kwargs)

        return wrapper


def every_town(reason: str) -> _Scope:
    """Read every town's records here. ``reason`` says why (a public page of published records, a
    resident's own records narrowed by the selector); it is required so that the code says it."""
    if not isinstance(reason, str) or not reason.strip():
        raise TypeError("every_town() needs a reason: say why this code may read every town's records")
    return _Scope(_Declared(None, reason))


def scope_to(ids: Iterable[int]) -> _Scope:
    """Read only records of these jurisdictions (ids, as ``visible_jurisdiction_ids`` gives)."""
    return _Scope(_Declared(frozenset(ids), ""))


def install_task_hooks(huey) -> None:
    """A queue task reads as a task, not as the request that queued it: with huey's immediate mode
    (tests, a single-process setup) the task runs inside the request; this puts it outside."""

    @huey.pre_execute(name="chuangfu_scopes_enter")
    def _enter(task):
        task._town_scope_token = _scope.set(None)

    @huey.post_execute(name="chuangfu_scopes_leave")
    def _leave(task, value, exc):
        token = getattr(task, "_town_scope_token", None)
        if token is not None:
            del task._town_scope_token
            _scope.reset(token)


# --- the manager -----------------------------------------------------------------------------


class _Undeclared(Expression):
    """A condition that refuses to become SQL: the queryset raises when it runs, not when built
    (so a queryset passed around and filtered further still names the missing declaration)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def as_sql(self, compiler, connection):
        if compiler.query.is_empty():
            raise EmptyResultSet  # .none(): nothing is read, nothing to refuse
        raise ScopeError(
            f"{self.label} is owned by a town and was queried inside a request that declared no "
            "jurisdiction scope (an anonymous visitor or a resident). Scope the read in the selector "
            'and declare what the page reads: every_town="why" or own_records="why" on its role-table '
            'row (core.roles), or `with every_town("why"):` / `scope_to(ids)` (core.scopes) around the read.'
        )

    def get_group_by_cols(self):
        return []


def scope_filter(qs: models.QuerySet, path: str, ids):
    """``qs`` within ``ids`` by the model's ``path`` to its jurisdiction. A path through a parent
    (``ticket__jurisdiction``) filters by a subquery on the parent, not a join: no extra rows are
    locked by ``select_for_update`` and no duplicate rows can appear."""
    head, sep, rest = path.partition("__")
    if not sep:
        return qs.filter(**{f"{head}_id__in": ids})
    parent = qs.model._meta.get_field(head).related_model
    return qs.filter(**{f"{head}__in": scope_filter(parent._base_manager.all(), rest, ids).values("pk")})


class TownScopedManager(models.Manager):
    """The default manager of a town-owned model: within the current scope (see the module doc).

    ``path`` leads from the model to its jurisdiction: ``"jurisdiction"``, or through the parent
    that owns the row (``"ticket__jurisdiction"``). Related managers (``ticket.assignments``)
    derive from it and are scoped too; the base manager stays plain, so following a foreign key
    (``assignment.ticket``) always works.
    """

    def __init__(self, path: str = "jurisdiction"):
        super().__init__()
        self._path = path

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        # Related managers are built without arguments; they find the path on the model.
        cls.town_scope_path = self._path

    def get_queryset(self):
        qs = super().get_queryset()
        scope = current()
        if scope is EVERY_TOWN:
            return qs
        if scope is REQUIRED:
            return qs.filter(_Undeclared(self.model._meta.label))
        return scope_filter(qs, self.model.town_scope_path, scope)


def is_town_scoped(model) -> bool:
    return isinstance(model._default_manager, TownScopedManager)
