"""Who may see what: every selector scopes its queryset through here, never a template.

A town account sees its town and the villages under it; a district account sees every town
under the district; a platform admin without a jurisdiction sees everything.
"""

from django.db import connection
from django.db.models import Q, QuerySet

from .errors import NotFound
from .models import Jurisdiction, Role


def _subtree(root_id: int) -> list[tuple[int, str, bool]]:
    """``(id, level, above)`` of a jurisdiction, everything under it and (``above``) the places
    it belongs to, in one statement.

    Every staff request asks this, so it is plain SQL: the ORM spent 0.5 ms building a query that
    runs in 0.01 ms. A descendant's path starts with the root's path and "/", compared with
    ``substr`` rather than ``LIKE`` so that no character of a code acts as a wildcard and a
    sibling whose code merely starts with the same digits is not taken for a child; an ancestor's
    path is, the same way, the start of the root's.
    """
    table = connection.ops.quote_name(Jurisdiction._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT j.id, j.level, CASE WHEN j.id <> r.id AND substr(r.path, 1, length(j.path) + 1) = j.path || '/' "
            f"THEN 1 ELSE 0 END FROM {table} j, {table} r WHERE r.id = %s "
            f"AND (j.id = r.id OR substr(j.path, 1, length(r.path) + 1) = r.path || '/' "
            f"OR substr(r.path, 1, length(j.path) + 1) = j.path || '/') ORDER BY j.path",
            [root_id],
        )
        return [(pk, level, bool(above)) for pk, level, above in cursor.fetchall()]


def visible_jurisdiction_ids(actor) -> list[int] | None:
    """Ids of the jurisdictions ``actor`` may see, or None for "all" (a platform admin)."""
    if actor is None or not actor.is_authenticated:
        return []
    cached = getattr(actor, "_visible_jurisdiction_ids", False)
    if cached is not False:
        return cached
    level = None
    above: list[int] = []
    if actor.jurisdiction_id is None:
        ids = None if (actor.is_superuser or actor.role == Role.ADMIN) else []
    else:
        rows = _subtree(actor.jurisdiction_id)
        ids = [pk for pk, _, is_above in rows if not is_above]
        above = [pk for pk, _, is_above in rows if is_above]
        level = next((lvl for pk, lvl, _ in rows if pk == actor.jurisdiction_id), None)
    actor._visible_jurisdiction_ids = ids
    actor._scope_jurisdiction_ids = None if ids is None else (*ids, *above)
    actor._jurisdiction_level = level
    return ids


def scope_jurisdiction_ids(actor) -> tuple[int, ...] | None:
    """What a request of ``actor`` may read at all (``core.scopes``, the net under the selectors):
    the visible jurisdictions and the places above the actor's own — a village account reads its
    town's tickets, a town account its district's records — never a sibling's. None: every town."""
    if actor is None or not actor.is_authenticated:
        return ()
    visible_jurisdiction_ids(actor)
    return actor._scope_jurisdiction_ids


def jurisdiction_level(actor) -> str | None:
    """The level (district, town, village) of the actor's own jurisdiction; None without one."""
    visible_jurisdiction_ids(actor)
    return getattr(actor, "_jurisdiction_level", None)


def is_village_account(actor) -> bool:
    """An account of a village or residential committee (a 家门口服务站), below the town."""
    return jurisdiction_level(actor) == Jurisdiction.Level.VILLAGE


def within(jurisdiction: Jurisdiction, field: str = "jurisdiction") -> Q:
    """Records whose ``field`` is ``jurisdiction`` or a jurisdiction under it (for figures and
    reports about a place, where there is no actor to scope by)."""
    return Q(**{f"{field}__path": jurisdiction.path}) | Q(**{f"{field}__path__startswith": f"{jurisdiction.path}/"})


def scope_by_jurisdiction(qs: QuerySet, actor, field: str = "jurisdiction") -> QuerySet:
    ids = visible_jurisdiction_ids(actor)
    if ids is None:
        return qs
    return qs.filter(**{f"{field}_id__in" if field else "id__in": ids})


def get_scoped_or_404(qs: QuerySet, actor, field: str = "jurisdiction", **lookup):
    """Fetch one record in the actor's scope; anything outside it is simply "not found"."""
    try:
        return scope_by_jurisdiction(qs, actor, field).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def assignable_jurisdictions(actor) -> QuerySet:
    """Jurisdictions the actor may put a record into (their own subtree)."""
    return scope_by_jurisdiction(Jurisdiction.objects.all(), actor, field="")
