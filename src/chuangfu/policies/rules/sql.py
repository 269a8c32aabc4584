"""Set-based evaluation: the same rule compiled into one SQL statement over the whole registry.

Each condition becomes two predicates, "met" and "not met" (``facts.Fact.sql``), both false
where a fact is missing; groups combine them the Kleene way without relying on SQL's NULL logic
(all: met = AND of met, not met = OR of not met; any: the mirror; not: swap). The statement
selects, per subject, one 0/1 flag pair per top-level condition in an inner query and derives
the result class in the outer one, so every predicate is computed once per row::

    SELECT m.id, CASE WHEN t0 + t1 = 2 THEN 'eligible' … END, … FROM (SELECT id, t0, f0, …) m

``match_rows`` reads those rows; ``insert_matches`` writes them straight into the match table
with INSERT … SELECT (no rows pass through Python). Works on SQLite and PostgreSQL alike.
"""
import datetime

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

from .context import Context
from .facts import FACTS, ROOT, Scope
from .tree import node_kind, top_conditions


def compile_node(node: dict, ctx: Context, scope: Scope = ROOT) -> tuple[Q, Q]:
    """(met, not met) for a rule node, as Q objects over the subject's model."""
    kind = node_kind(node)
    if kind in ("all", "any"):
        parts = [compile_node(child, ctx, scope) for child in node[kind]]
        met, not_met = parts[0]
        for child_met, child_not_met in parts[1:]:
            if kind == "all":
                met, not_met = met & child_met, not_met | child_not_met
            else:
                met, not_met = met | child_met, not_met & child_not_met
        return met, not_met
    if kind == "not":
        met, not_met = compile_node(node["not"], ctx, scope)
        return not_met, met
    return FACTS[node["fact"]].sql(node, ctx, scope)


def _flag(predicate: Q) -> Case:
    return Case(When(predicate, then=Value(1)), default=Value(0), output_field=IntegerField())


def result_sql(model, rule: dict, ctx: Context, ids=None) -> tuple[str, list]:
    """SELECT subject_id, result, open_index, open_count for every row of ``model`` (or ``ids``)."""
    tops = top_conditions(rule)
    flags = {}
    for index, top in enumerate(tops):
        met, not_met = compile_node(top, ctx)
        flags[f"t{index}"] = _flag(met)
        flags[f"f{index}"] = _flag(not_met)
    qs = model._base_manager.order_by()
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    inner, params = qs.annotate(**flags).values("id", *flags).query.sql_with_params()
    n = len(tops)
    met_sum = " + ".join(f"m.t{i}" for i in range(n))
    not_met_sum = " + ".join(f"m.f{i}" for i in range(n))
    almost = f"WHEN ({not_met_sum}) > 0 AND ({met_sum}) = {n - 1} THEN 'almost' " if n >= 2 else ""
    result = (
        f"CASE WHEN ({met_sum}) = {n} THEN 'eligible' {almost}"
        f"WHEN ({not_met_sum}) > 0 THEN 'ineligible' ELSE 'unknown' END"
    )
    open_index = "CASE " + " ".join(f"WHEN m.t{i} = 0 THEN {i}" for i in range(n)) + " ELSE NULL END"
    sql = (
        f"SELECT m.id AS subject_id, {result} AS result, {open_index} AS open_index, "
        f"{n} - ({met_sum}) AS open_count FROM ({inner}) m"
    )
    return sql, list(params)


def match_rows(model, rule: dict, ctx: Context, ids=None) -> list[tuple]:
    """(subject id, result, open index, open count) for every subject, evaluated in the database."""
    ids = None if ids is None else list(ids)
    if ids is not None and not ids:
        return []
    sql, params = result_sql(model, rule, ctx, ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def insert_matches(*, model, rule: dict, ctx: Context, policy_id: int, version_id: int,
                   computed_at: datetime.datetime, ids=None) -> int:
    """Store every subject that is not plainly ineligible as a ``Match`` row; returns the count.

    The caller removes the policy's previous rows first, in the same transaction.
    """
    from ..models import Match

    ids = None if ids is None else list(ids)
    if ids is not None and not ids:
        return 0
    subject_column = Match._meta.get_field("person" if model._meta.model_name == "person" else "enterprise").column
    select, params = result_sql(model, rule, ctx, ids)
    table = connection.ops.quote_name(Match._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in (
        "policy_id", "version_id", subject_column, "result", "open_index", "open_count", "summary",
        "evaluated_on", "computed_at"))
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT %s, %s, r.subject_id, r.result, r.open_index, r.open_count, '', "
        f"%s, %s FROM ({select}) r WHERE r.result <> 'ineligible'"
    )
    constants = [policy_id, version_id, connection.ops.adapt_datefield_value(ctx.on),
                 connection.ops.adapt_datetimefield_value(computed_at)]
    with connection.cursor() as cursor:
        cursor.execute(sql, constants + params)
        return cursor.rowcount
