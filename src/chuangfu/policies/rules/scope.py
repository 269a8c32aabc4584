"""One part of a split full match: the subjects of some jurisdictions, and the few others their
facts read.

A full match of a city reads every subject at once (``frame.Frames``); split by jurisdiction,
each part reads the subjects registered in its jurisdictions (its *own* subjects, whose results
it reports) and, besides them, the subjects elsewhere that their facts reach — so that each own
subject's result is exactly what the whole-registry read gives it:

* the enterprises elsewhere that an own person is linked to (legal representative, founder,
  holder of a share: ``represents``, ``founded_enterprise``, ``shareholding``, organisations
  founded) or represents (``legal_representative``);
* the people elsewhere who are the legal representative of an enterprise read (``legal_rep``,
  and 初次创业 ``first_founding``, which reads the representative's other foundings);
* the enterprises elsewhere linked to those people (their founding dates and count).

Relations do not nest (``tree``: no relation inside a relation), so these two steps are enough.
The related tables (groups, tags, links, grants, credit, insurance months, premises) are read
only for the subjects read. Rows are read by two statements per table: those of the own
jurisdictions (through the ``jurisdiction_id`` index) and those of the few others, by id.
"""

from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from chuangfu.registry.models import Enterprise, EnterprisePerson, Person

PERSON, ENTERPRISE = "person", "enterprise"


def id_list(ids) -> tuple[str, str]:
    """(SQL source, parameter) of an id list given as one parameter: ``json_each`` on SQLite,
    ``unnest`` on PostgreSQL."""
    joined = ",".join(map(str, np.asarray(ids, dtype=np.int64).tolist()))
    if connection.vendor == "postgresql":
        return "SELECT x FROM unnest(%s::bigint[]) AS x", "{" + joined + "}"
    return "SELECT value FROM json_each(%s)", "[" + joined + "]"


def _table(kind: str) -> str:
    return connection.ops.quote_name((Person if kind == PERSON else Enterprise)._meta.db_table)


def _ids(sql: str, params: list) -> np.ndarray:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = np.fromiter((r[0] for r in cursor.fetchall() if r[0] is not None), dtype=np.int64)
    return np.unique(found)


@dataclass
class Scope:
    """The jurisdictions (ids) of one part; ``others`` (computed on first use): per subject kind,
    the sorted ids of the subjects registered elsewhere that the part reads too."""

    jurisdictions: tuple
    _others: dict = field(default_factory=dict)

    def marks(self) -> tuple[str, list]:
        return ", ".join(["%s"] * len(self.jurisdictions)), [int(j) for j in self.jurisdictions]

    def own(self, places: np.ndarray) -> np.ndarray:
        """A mask of the subjects (by their ``jurisdiction_id`` column) that are this part's own."""
        return np.isin(places, np.asarray(self.jurisdictions, dtype=np.int64))

    def others(self, kind: str) -> np.ndarray:
        if not self._others:
            self._others.update(self._closure())
        return self._others[kind]

    def _closure(self) -> dict:
        people, enterprises = _table(PERSON), _table(ENTERPRISE)
        links = connection.ops.quote_name(EnterprisePerson._meta.db_table)
        marks, j = self.marks()
        # enterprises elsewhere that an own person is linked to or represents
        linked = _ids(
            f"SELECT e.id FROM {links} l JOIN {people} p ON p.id = l.person_id "
            f"JOIN {enterprises} e ON e.id = l.enterprise_id "
            f"WHERE p.jurisdiction_id IN ({marks}) AND e.jurisdiction_id NOT IN ({marks}) "
            f"UNION SELECT e.id FROM {enterprises} e JOIN {people} p ON p.id = e.legal_representative_id "
            f"WHERE p.jurisdiction_id IN ({marks}) AND e.jurisdiction_id NOT IN ({marks})",
            [*j, *j, *j, *j],
        )
        # people elsewhere who represent an enterprise read
        reps = _ids(
            f"SELECT p.id FROM {enterprises} e JOIN {people} p ON p.id = e.legal_representative_id "
            f"WHERE e.jurisdiction_id IN ({marks}) AND p.jurisdiction_id NOT IN ({marks})",
            [*j, *j],
        )
        if len(linked):
            source, param = id_list(linked)
            reps = np.union1d(
                reps,
                _ids(
                    f"SELECT p.id FROM {enterprises} e JOIN {people} p ON p.id = e.legal_representative_id "
                    f"WHERE e.id IN ({source}) AND p.jurisdiction_id NOT IN ({marks})",
                    [param, *j],
                ),
            )
        # enterprises elsewhere linked to those people: their foundings
        theirs = np.zeros(0, dtype=np.int64)
        if len(reps):
            source, param = id_list(reps)
            theirs = _ids(
                f"SELECT e.id FROM {links} l JOIN {enterprises} e ON e.id = l.enterprise_id "
                f"WHERE l.person_id IN ({source}) AND e.jurisdiction_id NOT IN ({marks})",
                [param, *j],
            )
        return {PERSON: reps, ENTERPRISE: np.union1d(linked, theirs)}

    def statements(self, sql: str, params: list, kind: str, column: str, where: str = "") -> list[tuple[str, list]]:
        """``sql`` (``SELECT … FROM table s``, parameters ``params``) with ``where``, restricted to
        the rows whose ``column`` is a subject of ``kind`` this part reads: one statement for the
        own jurisdictions, one for the others (if any). The two select disjoint rows."""
        marks, j = self.marks()
        if column == "s.id":  # the subjects' own table
            own = f"s.jurisdiction_id IN ({marks})"
        else:
            own = f"{column} IN (SELECT id FROM {_table(kind)} WHERE jurisdiction_id IN ({marks}))"
        prefix = f"{where} AND " if where else ""
        out = [(f"{sql} WHERE {prefix}{own}", [*params, *j])]
        others = self.others(kind)
        if len(others):
            source, param = id_list(others)
            out.append((f"{sql} WHERE {prefix}{column} IN ({source})", [*params, param]))
        return out

    def either(self, frames, sql: str, width: int, person: str, enterprise: str) -> np.ndarray:
        """The rows of ``sql`` (``SELECT s.id, …``, ``width`` columns) whose ``person`` column is a
        person read or whose ``enterprise`` column an enterprise read, each row once, without the id."""
        from .frame import _int_array

        rows = _int_array(frames.rows(sql, kind=PERSON, column=person), width)
        more = _int_array(frames.rows(sql, kind=ENTERPRISE, column=enterprise), width)
        return np.concatenate([rows, more[~np.isin(more[:, 0], rows[:, 0])]])[:, 1:]
