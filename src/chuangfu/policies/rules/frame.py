"""Whole-registry evaluation over columns: the facts read once into numpy arrays, every rule
evaluated a column at a time.

A full match asks every policy about every subject. Interpreting each condition row by row in
the database cost ~100 ns a row and condition (decision 13); a comparison over a numpy column
costs ~1 ns a value, so the facts are read by one plain SELECT per table (dates as day numbers
and choices as small codes, computed by the database) and the rules run over the columns. The
semantics are those of the per-subject evaluation (``evaluate``): every condition gives a "met"
and a "not met" mask, both false where the fact is missing, and groups combine them the Kleene
way. The property tests hold the two to the same answers.

``Frames`` reads lazily and shares what it read: a subject kind's own columns on first use, a
related table (groups, tags, founders, grants, carriers, places) when a condition first needs
it, and the other kind's frame when a relation ("represents an enterprise that …", "the legal
representative …") is evaluated.
"""

import datetime
import functools
import gc
import itertools
import sqlite3
from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from chuangfu.core.models import Jurisdiction
from chuangfu.registry.models import (
    Carrier,
    CreditRecord,
    Enterprise,
    EnterprisePerson,
    InsuranceMonth,
    Person,
    PersonGroup,
    PriorityGroup,
    Tag,
)

from ..models import Grant
from . import months
from .context import Context
from .links import FOUNDER_RELATIONS, LINK_CODES
from .nodes import node_kind

PERSON, ENTERPRISE = "person", "enterprise"
MISSING = np.iinfo(np.int32).min  # a missing date or number
EPOCH = datetime.date(1970, 1, 1)
MET, UNKNOWN, NOT_MET = 2, 1, 0
READ_CHUNK = 50_000  # rows turned into arrays at a time


def day_number(day: datetime.date) -> int:
    return (day - EPOCH).days


def _days_sql(column: str) -> str:
    """A date column as days since 1970-01-01 (``MISSING`` when NULL), computed by the database."""
    if connection.vendor == "postgresql":
        return f"COALESCE(s.{column} - DATE '1970-01-01', {MISSING})"
    if sqlite3.sqlite_version_info >= (3, 38):  # unixepoch() is the cheapest way there
        return f"COALESCE(unixepoch(s.{column}) / 86400, {MISSING})"
    return f"COALESCE(CAST(julianday(s.{column}) - 2440587.5 AS INTEGER), {MISSING})"


def _int_sql(column: str) -> str:
    return f"COALESCE(s.{column}, {MISSING})"


def _code_sql(column: str) -> str:
    """A column of digits (a 4-digit industry class) as its number, ``MISSING`` when blank."""
    return f"COALESCE(CAST(NULLIF(s.{column}, '') AS INTEGER), {MISSING})"


# (column, how it is read): "days" dates, "int" numbers and ids, "text" choices as codes, "bool" flags,
# "code" digits stored as text.
COLUMNS = {
    PERSON: (
        ("birth_date", "days"),
        ("gender", "text"),
        ("retirement_group", "text"),
        ("hukou_kind", "text"),
        ("hukou_place_id", "int"),
        ("residence_permit_since", "days"),
        ("jurisdiction_id", "int"),
        ("education", "text"),
        ("graduation_date", "days"),
        ("employment_status", "text"),
        ("unemployment_registered_on", "days"),
        ("entrepreneurial_intent", "bool"),
    ),
    ENTERPRISE: (
        ("founded_on", "days"),
        ("entity_type", "text"),
        ("is_small_micro", "bool"),
        ("registration_status", "text"),
        ("jurisdiction_id", "int"),
        ("industry_section", "text"),
        ("industry_division", "text"),
        ("industry_class", "code"),
        ("insured_employees", "int"),
        ("carrier_id", "int"),
        ("legal_representative_id", "int"),
    ),
}


def _select(sql: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _int_array(rows: list[tuple], width: int | None = None) -> np.ndarray:
    """Rows of integers (booleans count as 0/1) as one 2-D array, converted by numpy in one go
    (from the flattened rows: a third less CPU than ``np.array`` of the tuples)."""
    if not rows:
        return np.zeros((0, width or 1), dtype=np.int64)
    width = len(rows[0])
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=len(rows) * width)
    return flat.reshape(len(rows), width)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@dataclass
class Text:
    """A choice column as small integer codes: tests are integer ones. ``vocabulary`` maps each
    choice, and "" (blank or NULL: missing), to its code; a stored value that is no choice has
    code 0 and equals nothing a rule can name."""

    codes: np.ndarray
    vocabulary: dict

    def equals(self, value) -> np.ndarray:
        code = self.vocabulary.get("" if value is None else str(value))
        return np.zeros(len(self.codes), bool) if code is None else self.codes == code

    def among(self, values) -> np.ndarray:
        wanted = [self.vocabulary[v] for v in {str(v) for v in values} if v in self.vocabulary]
        table = np.zeros(max(self.vocabulary.values(), default=0) + 1, bool)
        table[wanted] = True
        return table[self.codes]


def member_of(column: np.ndarray, values) -> np.ndarray:
    """``np.isin(column, values)`` for the small non-negative integers the frames hold (codes,
    jurisdiction and carrier ids): one lookup in a table of flags instead of a sort of the column.
    Other values (``MISSING``, anything beyond the table) are not members."""
    values = np.asarray(values, dtype=np.int64)
    if not len(values):
        return np.zeros(len(column), bool)
    low, high = int(values.min()), int(values.max())
    if low < 0 or high >= 1 << 24:
        return np.isin(column, values)
    table = np.zeros(high + 2, bool)
    table[values] = True
    return table[np.where((column >= 0) & (column <= high), column, high + 1)]


def _vocabulary(choices) -> dict:
    """{value: code}: "" (blank or NULL) is 1, the choices 2, 3, …; any other value reads as 0."""
    return {v: i + 1 for i, v in enumerate(["", *(str(c) for c in choices)])}


def _codes_sql(column: str, vocabulary: dict) -> str:
    """The column's code, computed by the database, so codes arrive as small integers (which
    Python does not allocate); a short CASE for a few choices, a string search for many."""

    def quoted(text):
        return "'" + text.replace("'", "''") + "'"

    value = f"COALESCE(s.{column}, '')"
    if len(vocabulary) <= 16:
        return f"CASE {value} " + " ".join(f"WHEN {quoted(v)} THEN {c}" for v, c in vocabulary.items()) + " ELSE 0 END"
    # Many choices: the value's position in "|a|b|…|" (the choices are plain codes without "|"),
    # turned into its code with the position table ``_positions``.
    joined = "|" + "|".join(vocabulary) + "|"
    search = "strpos" if connection.vendor == "postgresql" else "instr"
    return f"{search}({quoted(joined)}, '|' || {value} || '|')"


def _positions(vocabulary: dict) -> np.ndarray:
    """For ``_codes_sql``'s string search: position in the joined string → code (0 elsewhere)."""
    joined = "|" + "|".join(vocabulary) + "|"
    table = np.zeros(len(joined) + 2, dtype=np.int32)
    for value, code in vocabulary.items():
        table[joined.index("|" + value + "|") + 1] = code
    return table


@dataclass
class Frame:
    """One subject kind's facts, one array per column, rows in id order."""

    kind: str
    frames: "Frames"
    ids: np.ndarray
    columns: dict
    _cache: dict = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)

    def column(self, name: str):
        return self.columns[name]

    def positions(self, ids) -> np.ndarray:
        """Each id's row in this frame, −1 where there is none."""
        ids = np.asarray(ids, dtype=np.int64)
        if not self.size:
            return np.full(len(ids), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.ids, ids), self.size - 1)
        return np.where(self.ids[at] == ids, at, -1)

    def flags_of(self, ids: np.ndarray) -> np.ndarray:
        """A mask of the rows whose id is in ``ids``."""
        mask = np.zeros(self.size, bool)
        at = self.positions(ids)
        mask[at[at >= 0]] = True
        return mask

    def cached(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    # --- related facts, read when first asked for -------------------------------------------

    # The raw reads of the related tables (``*_rows``) are public: the benchmark's OpenFisca
    # baseline is fed exactly what the match reads (decision 40).

    def member_rows(self) -> tuple[dict, np.ndarray]:
        """({group or tag code: key}, rows of (subject id, key)): priority groups as their
        position among the choices, tags by id."""
        if self.kind == PERSON:
            keys = {c: i + 1 for i, c in enumerate(PriorityGroup.values)}
            case = " ".join(f"WHEN '{c}' THEN {k}" for c, k in keys.items())
            rows = self.frames.rows(
                f'SELECT s.person_id, CASE s."group" {case} ELSE 0 END FROM {_table(PersonGroup)} s',
                kind=PERSON,
                column="s.person_id",
            )
        else:
            keys = dict(_select(f"SELECT code, id FROM {_table(Tag)}"))
            rows = self.frames.rows(
                f"SELECT s.enterprise_id, s.tag_id FROM {_table(Enterprise.tags.through)} s",
                kind=ENTERPRISE,
                column="s.enterprise_id",
            )
        return keys, _int_array(rows, 2)

    def members(self, code: str) -> np.ndarray:
        """People in a priority group / enterprises with a tag."""

        def read():
            keys, pairs = self.member_rows()
            subject_ids, found = pairs[:, 0], pairs[:, 1]
            return {c: self.flags_of(subject_ids[found == k]) for c, k in keys.items()}

        found = self.cached("members", read).get(code)
        return np.zeros(self.size, bool) if found is None else found

    def founded_count(self) -> np.ndarray:
        """How many organisations each person founded (legal representative or founder of; a
        person linked to one both ways founded it once), from the links the relations read too."""

        def compute():
            person_at, enterprise_at, relation, _share = self.frames.links()
            chosen = member_of(relation, [LINK_CODES[r] for r in FOUNDER_RELATIONS]) & (person_at >= 0)
            width = int(enterprise_at.max(initial=0)) + 2
            pairs = months.sorted_unique(person_at[chosen] * width + enterprise_at[chosen] + 1)
            return np.bincount(pairs // width, minlength=self.size)[: self.size]

        return self.cached("founded", compute)

    def founded_days(self) -> tuple[np.ndarray, np.ndarray]:
        """Per person: the earliest founding day of the organisations they founded (legal
        representative or founder; a large number if none is dated) and how many have no date."""

        def compute():
            person_at, enterprise_at, relation, _share = self.frames.links()
            chosen = member_of(relation, [LINK_CODES[r] for r in FOUNDER_RELATIONS])
            chosen &= (person_at >= 0) & (enterprise_at >= 0)
            day = self.frames.get(ENTERPRISE).column("founded_on")[enterprise_at[chosen]]
            who = person_at[chosen]
            earliest = np.full(self.size, np.iinfo(np.int64).max, dtype=np.int64)
            np.minimum.at(earliest, who[day != MISSING], day[day != MISSING])
            undated = np.bincount(who[day == MISSING], minlength=self.size)[: self.size]
            return earliest, undated

        return self.cached("founded_days", compute)

    def grant_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every grant to this kind as (subject id, policy id, day number)."""
        column = "person_id" if self.kind == PERSON else "enterprise_id"
        rows = self.frames.rows(
            f"SELECT s.{column}, s.policy_id, {_days_sql('granted_on')} FROM {_table(Grant)} s",
            kind=self.kind,
            column=f"s.{column}",
            where=f"s.{column} IS NOT NULL",
        )
        return tuple(_int_array(rows, 3).T)

    def granted(self, policy_id: int | None, on: datetime.date, since: datetime.date | None) -> np.ndarray:
        """Subjects granted the policy on or before ``on`` (and after ``since``)."""

        def read():
            subject, policy, day = self.grant_rows()
            return self.positions(subject), policy, day

        at, policy, day = self.cached("grants", read)
        if policy_id is None:
            return np.zeros(self.size, bool)
        chosen = (policy == policy_id) & (day <= day_number(on)) & (at >= 0)
        if since is not None:
            chosen &= day > day_number(since)
        mask = np.zeros(self.size, bool)
        mask[at[chosen]] = True
        return mask

    def within(self, path: str, column: str = "jurisdiction_id") -> np.ndarray:
        """Subjects whose jurisdiction (or the place in ``column``) is ``path`` or under it."""
        places = self.frames.places()
        inside = np.array([pk for pk, p in places.items() if p == path or p.startswith(path + "/")], dtype=np.int64)
        return member_of(self.column(column), inside)

    def place_known(self, column: str = "jurisdiction_id") -> np.ndarray:
        return member_of(self.column(column), list(self.frames.places()))

    def credit_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every credit record of this kind as (subject id, day listed, day removed or ``MISSING``)."""
        column = "person_id" if self.kind == PERSON else "enterprise_id"
        rows = self.frames.rows(
            f"SELECT s.{column}, {_days_sql('listed_on')}, {_days_sql('removed_on')} FROM {_table(CreditRecord)} s",
            kind=self.kind,
            column=f"s.{column}",
            where=f"s.{column} IS NOT NULL",
        )
        return tuple(_int_array(rows, 3).T)

    def credit_listed(self, on: datetime.date) -> np.ndarray:
        """Subjects on a dishonesty list on ``on`` (``facts.related.listed_on``)."""

        def read():
            subject, listed, removed = self.credit_rows()
            return self.positions(subject), listed, removed

        at, listed, removed = self.cached("credit", read)
        day = day_number(on)
        chosen = (at >= 0) & (listed <= day) & ((removed == MISSING) | (day < removed))
        mask = np.zeros(self.size, bool)
        mask[at[chosen]] = True
        return mask

    def insured_months(self, on: datetime.date, continuous: bool) -> np.ndarray:
        """Each person's insured months counted on ``on`` (``months.total`` or ``months.continuous``),
        both from one set of distinct (person, month) pairs."""

        def pairs():
            person, _enterprise, month = self.frames.insurance()
            return months.distinct(self.positions(person), month, on)

        def compute():
            found = self.cached(("insured_pairs", months.month_index(on)), pairs)
            return (months.runs_of if continuous else months.totals_of)(found, self.size)

        return self.cached(("insured", months.month_index(on), continuous), compute)

    def employees_insured(self, on: datetime.date, at_least: int) -> np.ndarray:
        """Per enterprise, the people it has insured for at least ``at_least`` months in a row up
        to last month (``months.continuous`` of the months this enterprise paid for them)."""

        def pair_runs():
            person, enterprise, month = self.frames.insurance()
            at = np.where(enterprise != MISSING, self.positions(enterprise), -1)
            keep = at >= 0
            width = int(person.max(initial=0)) + 1
            pairs, pair = months.sorted_unique(at[keep] * width + person[keep], return_inverse=True)
            runs = months.runs(pair, month[keep], len(pairs), on)
            return pairs // width, runs

        owner, runs = self.cached(("pair_runs", months.month_index(on)), pair_runs)
        return np.bincount(owner[runs >= at_least], minlength=self.size)[: self.size]

    def carrier_rows(self) -> tuple[dict, list]:
        """(the carrier kinds' vocabulary, every carrier as (id, kind))."""
        vocabulary = _vocabulary([c for c, _label in Carrier._meta.get_field("kind").flatchoices])
        return vocabulary, _select(f"SELECT id, kind FROM {_table(Carrier)}")

    def carrier_kind(self) -> Text:
        def read():
            vocabulary, carriers = self.carrier_rows()
            carrier = self.column("carrier_id")
            by_id = np.zeros(max([pk for pk, _kind in carriers] + [int(carrier.max(initial=0))]) + 1, dtype=np.int32)
            for pk, kind in carriers:
                by_id[pk] = vocabulary.get(kind, 0)
            return Text(np.where(carrier >= 0, by_id[np.maximum(carrier, 0)], vocabulary[""]), vocabulary)

        return self.cached("carrier_kind", read)

    def legal_rep_positions(self) -> np.ndarray:
        """Each enterprise's legal representative's row in the people's frame (−1: none)."""
        return self.cached(
            "legal_rep", lambda: self.frames.get(PERSON).positions(self.column("legal_representative_id"))
        )


class Frames:
    """The frames of one evaluation (one full match), read lazily and shared by every rule. With a
    ``scope`` (``rules.scope.Scope``, one part of a split full match), only the part's subjects
    and those their facts reach are read."""

    def __init__(self, scope=None):
        self.scope = scope
        self._frames: dict = {}
        self._places: dict | None = None
        self._insurance: tuple | None = None
        self._links: tuple | None = None
        self._along: dict = {}  # kind: [(SQL expressions, parameters, done(frame, columns))]

    def read_along(self, kind: str, exprs: list[str], params: list, done) -> bool:
        """Have the read of ``kind``'s frame compute ``exprs`` (integer expressions over its row
        ``s``, with ``params``) in the same scan, and call ``done(frame, columns)`` with their
        values in the frame's row order. False if that frame is already read (nothing is added)."""
        if kind in self._frames:
            return False
        self._along.setdefault(kind, []).append((exprs, list(params), done))
        return True

    def get(self, kind: str) -> Frame:
        if kind not in self._frames:
            self._frames[kind] = self._read(kind)
        return self._frames[kind]

    def insurance(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every insurance month as (person id, enterprise id or ``MISSING``, month index)."""
        if self._insurance is None:
            sql = f"{_int_sql('enterprise_id')}, {_days_sql('month')} FROM {_table(InsuranceMonth)} s"
            if self.scope is None:
                rows = _int_array(_select(f"SELECT s.person_id, {sql}"), 3)
            else:  # the months of the people read and those paid by the enterprises read, each once
                rows = self.scope.either(self, f"SELECT s.id, s.person_id, {sql}", 4, "s.person_id", "s.enterprise_id")
            person, enterprise, days = rows.T
            month = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
            self._insurance = (person, enterprise, month)
        return self._insurance

    def links(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every person–enterprise link as (row in the people's frame, row in the enterprises'
        frame, relation code ``facts.LINK_CODES``, share in hundredths of a percent or ``MISSING``)."""
        if self._links is None:
            case = " ".join(f"WHEN '{r}' THEN {c}" for r, c in LINK_CODES.items())
            rows = self.rows(
                f"SELECT s.person_id, s.enterprise_id, CASE s.relation {case} ELSE 0 END, "
                f"COALESCE(CAST(ROUND(s.share * 100) AS INTEGER), {MISSING}) FROM {_table(EnterprisePerson)} s",
                kind=PERSON,
                column="s.person_id",
            )
            person, enterprise, relation, share = _int_array(rows, 4).T
            self._links = (
                self.get(PERSON).positions(person),
                self.get(ENTERPRISE).positions(enterprise),
                relation,
                share,
            )
        return self._links

    def rows(self, sql: str, params=(), kind: str | None = None, column: str = "", where: str = "") -> list:
        """``sql`` (``SELECT … FROM table s``) with ``where``; in a scoped evaluation only the rows
        whose ``column`` is a subject of ``kind`` that the scope reads."""
        if self.scope is None or kind is None:
            return _select(sql + (f" WHERE {where}" if where else ""), list(params) or None)
        sql = sql if params else sql.replace("%", "%%")
        return [row for s, p in self.scope.statements(sql, list(params), kind, column, where) for row in _select(s, p)]

    def places(self) -> dict:
        if self._places is None:
            self._places = dict(_select(f"SELECT id, path FROM {_table(Jurisdiction)}"))
        return self._places

    def _read(self, kind: str) -> Frame:
        spec = COLUMNS[kind]
        model = Person if kind == PERSON else Enterprise
        vocabularies = {
            name: _vocabulary([c for c, _label in model._meta.get_field(name).flatchoices])
            for name, how in spec
            if how == "text"
        }
        select = {
            "days": _days_sql,
            "int": _int_sql,
            "bool": lambda c: f"s.{c}",
            "code": _code_sql,
            "text": lambda c: _codes_sql(c, vocabularies[c]),
        }
        exprs = ", ".join(select[how](name) for name, how in spec)
        dtypes = [np.int64] + [
            {"days": np.int64, "int": np.int64, "code": np.int64, "text": np.int32, "bool": bool}[how]
            for _name, how in spec
        ]
        along = self._along.pop(kind, [])
        extra = [e for exprs_, _p, _d in along for e in exprs_]
        params = [p for _e, params_, _d in along for p in params_]
        dtypes += [np.int64] * len(extra)
        parts = [[] for _ in dtypes]
        if params:  # the columns' SQL has no placeholders; a literal % in it is doubled
            exprs = exprs.replace("%", "%%")
        sql = f"SELECT s.id, {', '.join([exprs, *extra])} FROM {_table(model)} s"
        statements = (
            [(sql, params or None)]
            if self.scope is None
            else self.scope.statements(sql if params else sql.replace("%", "%%"), params, kind, "s.id")
        )
        collecting = gc.isenabled()
        gc.disable()  # a million row tuples would otherwise set off the collector again and again
        try:
            with connection.cursor() as cursor:
                for statement, params in statements:
                    cursor.execute(statement, params)
                    while chunk := cursor.fetchmany(READ_CHUNK):  # chunks: the tuples of one at a time
                        block = _int_array(chunk)
                        for i, (part, dtype) in enumerate(zip(parts, dtypes)):
                            part.append(block[:, i].astype(dtype))
        finally:
            if collecting:
                gc.enable()
        ids, *values = [
            np.concatenate(part) if part else np.zeros(0, dtype=dtype) for part, dtype in zip(parts, dtypes)
        ]
        order = np.argsort(ids, kind="stable")
        sorted_already = bool(np.all(order == np.arange(len(ids))))
        columns = {}
        for (name, how), column in zip(spec, values):
            if how == "text" and len(vocabularies[name]) > 16:
                column = _positions(vocabularies[name])[column]
            column = column if sorted_already else column[order]
            columns[name] = Text(column, vocabularies[name]) if how == "text" else column
        frame = Frame(kind, self, ids if sorted_already else ids[order], columns)
        read = [column if sorted_already else column[order] for column in values[len(spec) :]]
        for exprs_, _params, done in along:
            done(frame, read[: len(exprs_)])
            read = read[len(exprs_) :]
        return frame


# --- evaluation --------------------------------------------------------------------------------


def _every(masks: list) -> np.ndarray:
    return functools.reduce(np.logical_and, masks)


def _some(masks: list) -> np.ndarray:
    return functools.reduce(np.logical_or, masks)


# The fact catalogue by name, filled by ``facts`` when it is imported (``rules/__init__`` imports it
# with the package): a condition's fact evaluates itself here, and the catalogue, which builds on
# this module, is not imported by it.
FACTS_BY_NAME: dict = {}


def evaluate(node: dict, ctx: Context, frame: Frame) -> tuple[np.ndarray, np.ndarray]:
    """(met, not met) masks of a rule node over every row of ``frame``."""
    kind = node_kind(node)
    if kind in ("all", "any"):
        parts = [evaluate(child, ctx, frame) for child in node[kind]]
        if not parts:  # an empty "all" is met, an empty "any" not met
            full, empty = np.ones(frame.size, bool), np.zeros(frame.size, bool)
            return (full, empty) if kind == "all" else (empty, full)
        mets, not_mets = [p[0] for p in parts], [p[1] for p in parts]
        if kind == "all":
            return _every(mets), _some(not_mets)
        return _some(mets), _every(not_mets)
    if kind == "not":
        met, not_met = evaluate(node["not"], ctx, frame)
        return not_met, met
    return FACTS_BY_NAME[node["fact"]].vector(node, ctx, frame)
