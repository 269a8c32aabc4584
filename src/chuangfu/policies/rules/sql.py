"""Set-based evaluation: rules compiled into SQL that the database runs over the whole registry.

Each condition becomes two predicates, "met" and "not met", both false where a fact is missing
(``facts.Fact.sql``); groups combine them the Kleene way without relying on SQL's NULL logic
(all: met = AND of met, not met = OR of not met; any: the mirror; not: swap).

The facts that live in other tables are not read with a correlated sub-query per row but joined
once, pre-aggregated by subject: priority groups and tags as bit masks, organisations founded as
a count, grants of a policy in a window as the set of subjects, and "represents an enterprise
that …" as the per-person maximum of the nested rule's flags over their enterprises. The
database then scans the subject table once and compares columns with constants (derived facts
such as age are cut-off dates computed in Python, see ``dates``).

The statement selects one status per top-level condition (``flags_sql``); the result class is
derived from the statuses (``result_columns``). A full match does not run here: it reads the
facts into columns once and evaluates there (``frame``), which is ten times cheaper than the
database interpreting every condition row by row; this evaluation answers for a given set of
subjects in one statement (``match_rows``) and is held to the other two by the property
tests. Values are written into the SQL as quoted literals: they come from
validated rules (codes, numbers, dates, jurisdiction paths), and the statement needs no
parameter binding. Works on SQLite and PostgreSQL alike.
"""
import datetime
import json
from dataclasses import dataclass, field

from django.db import connection

from .context import Context

PERSON, ENTERPRISE = "person", "enterprise"


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def lit(value) -> str:
    """A value as an SQL literal (both SQLite and PostgreSQL read these the same way)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        value = value.isoformat()
    return "'" + str(value).replace("'", "''") + "'"


def lits(values) -> str:
    return "(" + ", ".join(lit(v) for v in values) + ")"


def like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return lit(escaped + "%") + " ESCAPE '\\'"


def _table(model_name: str) -> str:
    from chuangfu.registry.models import Enterprise, Person

    return qn((Person if model_name == PERSON else Enterprise)._meta.db_table)


@dataclass
class Query:
    """One SELECT over a subject table (alias ``s``) and the joins its facts asked for."""

    kind: str
    joins: dict = field(default_factory=dict)  # key -> (alias, render() -> "LEFT JOIN …")
    tag_bits: dict = field(default_factory=dict)  # tag code -> bit, for this statement's tag masks
    # Shared aggregate joins, one per subject row whatever the number of conditions using them:
    # key -> {column SQL: column name}, rendered when the statement is (columns are added as
    # the conditions compile).
    aggregates: dict = field(default_factory=dict)
    inner: dict = field(default_factory=dict)  # key -> the Query of a nested rule's subjects
    counter: int = 0

    def join(self, key, stem: str, render) -> str:
        if key not in self.joins:
            self.counter += 1
            alias = f"{stem}{self.counter}"
            self.joins[key] = (alias, render(alias))
        return self.joins[key][0]

    def tag_bit(self, code: str) -> int:
        if code not in self.tag_bits:
            self.tag_bits[code] = 1 << len(self.tag_bits)
        return self.tag_bits[code]

    def aggregate_column(self, key, expr: str) -> str:
        """The name of ``expr`` among the columns of the shared aggregate join ``key``."""
        columns = self.aggregates.setdefault(key, {})
        if expr not in columns:
            columns[expr] = f"a{len(columns)}"
        return columns[expr]

    def from_sql(self) -> str:
        rendered = [r() if callable(r) else r for _alias, r in self.joins.values()]
        return f"{_table(self.kind)} s " + " ".join(rendered)

    @property
    def root(self) -> "Scope":
        return Scope(self, "s", "s.id", self.kind)


@dataclass(frozen=True)
class Scope:
    """Where one subject's columns are: the statement's own row, or a related row (the legal
    representative of the enterprise being evaluated)."""

    query: Query
    alias: str  # the subject's row
    id_sql: str  # the subject's id, as the outer row sees it
    kind: str

    def col(self, name: str) -> str:
        return f"{self.alias}.{qn(name)}"

    def jurisdiction(self) -> str:
        from chuangfu.core.models import Jurisdiction

        table = qn(Jurisdiction._meta.db_table)
        return self.query.join(("jurisdiction", self.alias), "j",
                               lambda a: f"LEFT JOIN {table} {a} ON {a}.id = {self.col('jurisdiction_id')}")

    def carrier(self) -> str:
        from chuangfu.registry.models import Carrier

        table = qn(Carrier._meta.db_table)
        return self.query.join(("carrier", self.alias), "c",
                               lambda a: f"LEFT JOIN {table} {a} ON {a}.id = {self.col('carrier_id')}")

    def groups_mask(self) -> str:
        """Priority groups of the person as a bit mask (bit i = the i-th ``PriorityGroup``)."""
        from chuangfu.registry.models import PersonGroup, PriorityGroup

        cases = " ".join(f"WHEN {lit(code)} THEN {1 << i}" for i, code in enumerate(PriorityGroup.values))
        table = qn(PersonGroup._meta.db_table)
        sub = f'SELECT person_id AS sid, SUM(CASE {qn("group")} {cases} END) AS m FROM {table} GROUP BY person_id'
        alias = self.query.join(("groups", self.id_sql), "g",
                                lambda a: f"LEFT JOIN ({sub}) {a} ON {a}.sid = {self.id_sql}")
        return f"COALESCE({alias}.m, 0)"

    def tags_mask(self) -> str:
        """The enterprise's tags among those the statement names, as a bit mask (see ``tag_bit``)."""
        from chuangfu.registry.models import Enterprise, Tag

        through = qn(Enterprise.tags.through._meta.db_table)
        tags = qn(Tag._meta.db_table)

        def render(a):
            def sql():
                cases = " ".join(f"WHEN {lit(code)} THEN {bit}" for code, bit in self.query.tag_bits.items())
                sub = (f"SELECT et.enterprise_id AS sid, SUM(CASE t.code {cases} ELSE 0 END) AS m "
                       f"FROM {through} et JOIN {tags} t ON t.id = et.tag_id GROUP BY et.enterprise_id")
                return f"LEFT JOIN ({sub}) {a} ON {a}.sid = {self.id_sql}"
            return sql

        alias = self.query.join(("tags", self.id_sql), "t", render)
        return f"COALESCE({alias}.m, 0)"

    def founded_count(self) -> str:
        from chuangfu.registry.models import EnterprisePerson

        from .facts import FOUNDER_RELATIONS

        table = qn(EnterprisePerson._meta.db_table)
        sub = (f"SELECT person_id AS sid, COUNT(DISTINCT enterprise_id) AS n FROM {table} "
               f"WHERE relation IN {lits(FOUNDER_RELATIONS)} GROUP BY person_id")
        alias = self.query.join(("founded", self.id_sql), "f",
                                lambda a: f"LEFT JOIN ({sub}) {a} ON {a}.sid = {self.id_sql}")
        return f"COALESCE({alias}.n, 0)"

    def granted(self, policy_id: int | None, on: datetime.date, since: datetime.date | None) -> str:
        """A predicate: the subject was granted the policy on or before ``on`` (and after ``since``).

        Every grant condition of the statement reads one join: the subject's grants aggregated
        once, one 0/1 column per (policy, window)."""
        from ..models import Grant

        column = "person_id" if self.kind == PERSON else "enterprise_id"
        window = f" AND granted_on > {lit(since)}" if since else ""
        key = ("granted", self.id_sql)
        name = self.query.aggregate_column(key, (
            f"MAX(CASE WHEN policy_id = {lit(policy_id if policy_id is not None else -1)} "
            f"AND granted_on <= {lit(on)}{window} THEN 1 ELSE 0 END)"))

        def render(a):
            def sql():
                cols = ", ".join(f"{expr} AS {n}" for expr, n in self.query.aggregates[key].items())
                sub = (f"SELECT {column} AS sid, {cols} FROM {qn(Grant._meta.db_table)} "
                       f"WHERE {column} IS NOT NULL GROUP BY {column}")
                return f"LEFT JOIN ({sub}) {a} ON {a}.sid = {self.id_sql}"
            return sql

        alias = self.query.join(key, "gr", render)
        return f"COALESCE({alias}.{name}, 0) = 1"

    def represents(self, rule: dict, ctx: Context) -> tuple[str, str]:
        """(met, not met) of "is the legal representative of an enterprise that satisfies ``rule``".

        Every such condition of the statement reads one join: the enterprises grouped by their
        legal representative once, with a (met somewhere, not met everywhere) column pair per
        distinct nested rule."""
        key = ("represents", self.id_sql)
        inner = self.query.inner.setdefault(key, Query(ENTERPRISE))
        met, not_met = compile_node(rule, ctx, inner.root)
        t = self.query.aggregate_column(key, f"MAX(CASE WHEN {met} THEN 1 ELSE 0 END)")
        nf = self.query.aggregate_column(key, f"MAX(CASE WHEN {not_met} THEN 0 ELSE 1 END)")

        def render(a):
            def sql():
                cols = ", ".join(f"{expr} AS {n}" for expr, n in self.query.aggregates[key].items())
                sub = (f"SELECT s.legal_representative_id AS sid, {cols} FROM {inner.from_sql()} "
                       f"WHERE s.legal_representative_id IS NOT NULL GROUP BY s.legal_representative_id")
                return f"LEFT JOIN ({sub}) {a} ON {a}.sid = {self.id_sql}"
            return sql

        alias = self.query.join(key, "r", render)
        return f"COALESCE({alias}.{t}, 0) = 1", f"COALESCE({alias}.{nf}, 0) = 0"

    def legal_rep(self) -> "Scope":
        from chuangfu.registry.models import Person

        table = qn(Person._meta.db_table)
        alias = self.query.join(("legal_rep", self.alias), "lr",
                                lambda a: f"LEFT JOIN {table} {a} ON {a}.id = {self.col('legal_representative_id')}")
        return Scope(self.query, alias, f"{alias}.id", PERSON)


def compile_node(node: dict, ctx: Context, scope: Scope) -> tuple[str, str]:
    """(met, not met) for a rule node, as SQL boolean expressions over ``scope``."""
    from .facts import FACTS
    from .tree import node_kind

    kind = node_kind(node)
    if kind in ("all", "any"):
        parts = [compile_node(child, ctx, scope) for child in node[kind]]
        mets, not_mets = [p[0] for p in parts], [p[1] for p in parts]
        if kind == "all":
            return "(" + " AND ".join(mets) + ")", "(" + " OR ".join(not_mets) + ")"
        return "(" + " OR ".join(mets) + ")", "(" + " AND ".join(not_mets) + ")"
    if kind == "not":
        met, not_met = compile_node(node["not"], ctx, scope)
        return not_met, met
    return FACTS[node["fact"]].sql(node, ctx, scope)


MET, UNKNOWN, NOT_MET = 2, 1, 0


def _value(met: str, not_met: str) -> str:
    """A condition's status as one small integer: 2 met, 0 not met, 1 unknown (neither)."""
    return f"CASE WHEN {met} THEN {MET} WHEN {not_met} THEN {NOT_MET} ELSE {UNKNOWN} END"


@dataclass
class Compiled:
    """The status columns of one rule's top-level conditions inside a statement shared by several rules."""

    columns: list  # one column name per top-level condition


def add_rule(query: Query, flags: dict, rule: dict, ctx: Context) -> Compiled:
    """Add a rule's top-level status columns to ``flags`` (key -> (name, SQL)); identical
    conditions of the same policy share a column."""
    from .tree import top_conditions

    columns = []
    for top in top_conditions(rule):
        key = json.dumps(top, sort_keys=True) + "|" + ctx.policy_code
        if key not in flags:
            met, not_met = compile_node(top, ctx, query.root)
            flags[key] = (f"v{len(flags)}", _value(met, not_met))
        columns.append(flags[key][0])
    return Compiled(columns)


def flags_sql(query: Query, flags: dict, ids=None) -> str:
    selected = ", ".join(f"{expr} AS {name}" for name, expr in flags.values())
    where = f" WHERE s.id IN {lits(ids)}" if ids is not None else ""
    return f"SELECT s.id AS sid, {selected} FROM {query.from_sql()}{where}"


def _least(values: list[str]) -> str:
    if len(values) == 1:
        return values[0]
    return ("LEAST(" if connection.vendor == "postgresql" else "MIN(") + ", ".join(values) + ")"


def result_columns(compiled: Compiled, m: str = "m") -> dict[str, str]:
    """SQL for result, open_index and open_count from a rule's status columns in row ``m``,
    and ``keep``: the rows whose result is not "ineligible".

    With n conditions, s the sum of the statuses and z their least: eligible ⇔ s = 2n; almost
    (exactly one not met, the others met) ⇔ z = 0 and s = 2n − 2 (one 0 and n − 1 twos is the
    only way to reach 2n − 2 once a 0 is present); otherwise ineligible ⇔ z = 0; unknown else.
    """
    cols = [f"{m}.{c}" for c in compiled.columns]
    n = len(cols)
    total = "(" + " + ".join(cols) + ")"
    least = _least(cols)
    almost = f"{least} = {NOT_MET} AND {total} = {2 * n - 2}"
    result = (f"CASE WHEN {total} = {2 * n} THEN 'eligible' "
              + (f"WHEN {almost} THEN 'almost' " if n >= 2 else "")
              + f"WHEN {least} = {NOT_MET} THEN 'ineligible' ELSE 'unknown' END")
    open_count = " + ".join(f"CASE WHEN {c} = {MET} THEN 0 ELSE 1 END" for c in cols)
    return {
        "result": result,
        "open_index": "CASE " + " ".join(f"WHEN {c} <> {MET} THEN {i}" for i, c in enumerate(cols)) + " ELSE NULL END",
        "open_count": open_count,
        "keep": f"({least} <> {NOT_MET}" + (f" OR {total} = {2 * n - 2})" if n >= 2 else ")"),
    }


def match_rows(model, rule: dict, ctx: Context, ids=None) -> list[tuple]:
    """(subject id, result, open index, open count) for every subject, evaluated in the database."""
    ids = None if ids is None else list(ids)
    if ids is not None and not ids:
        return []
    query, flags = Query(model._meta.model_name), {}
    compiled = add_rule(query, flags, rule, ctx)
    cols = result_columns(compiled)
    sql = (f"SELECT m.sid, {cols['result']}, {cols['open_index']}, {cols['open_count']} "
           f"FROM ({flags_sql(query, flags, ids)}) m")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()
