"""One subject's registry facts as plain records, loaded in a handful of queries.

The Python evaluation reads these, never the ORM row by row, so explaining one subject across
every policy costs the same few queries whatever the rules say.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from chuangfu.core.db import wrapped_cursor
from chuangfu.core.models import Jurisdiction
from chuangfu.registry.models import (
    Carrier,
    CreditRecord,
    Enterprise,
    EnterprisePerson,
    InsuranceMonth,
    Person,
    PersonGroup,
    Premises,
    Tag,
)

from ..models import Grant
from .facts.premises import Lease
from .links import FOUNDER_RELATIONS
from .months import month_index


@dataclass
class PersonRecord:
    id: int
    name: str
    birth_date: datetime.date | None
    gender: str
    retirement_group: str
    hukou_kind: str
    hukou_place_path: str | None
    residence_permit_since: datetime.date | None
    jurisdiction_path: str
    education: str
    graduation_date: datetime.date | None
    employment_status: str
    unemployment_registered_on: datetime.date | None
    entrepreneurial_intent: bool
    groups: frozenset = frozenset()
    group_details: dict = field(default_factory=dict)  # group -> {detail: value} (``GROUP_DETAILS``)
    founded_count: int = 0
    grants: tuple = ()  # (policy id, granted on)
    represents: tuple = ()  # EnterpriseRecord of the enterprises whose legal representative this is
    insured_months: tuple = ()  # month indexes (``months.month_index``) insured in Shanghai
    founded: tuple = ()  # EnterpriseRecord of the organisations founded (legal representative or founder)
    holdings: tuple = ()  # (share or None, EnterpriseRecord) as founder / shareholder
    credit: tuple = ()  # (listed on, removed on or None) of each dishonesty listing


@dataclass
class EnterpriseRecord:
    id: int
    name: str
    founded_on: datetime.date | None
    entity_type: str
    is_small_micro: bool
    registration_status: str
    jurisdiction_path: str
    industry_section: str
    industry_division: str
    industry_class: str
    insured_employees: int | None
    carrier_kind: str | None
    business_scope: str = ""
    tags: frozenset = frozenset()
    grants: tuple = ()
    legal_rep: "PersonRecord | None" = field(default=None)
    legal_rep_id: int | None = None
    insured: tuple = ()  # per person it insured: the month indexes it paid for them
    rep_founded_days: tuple = ()  # founding dates (or None) of what its legal representative founded
    credit: tuple = ()  # (listed on, removed on or None) of each dishonesty listing
    premises: tuple = ()  # ``facts.premises.Lease`` of each premises recorded


_PERSON_FIELDS = (
    "id",
    "name",
    "birth_date",
    "gender",
    "retirement_group",
    "hukou_kind",
    "residence_permit_since",
    "education",
    "graduation_date",
    "employment_status",
    "unemployment_registered_on",
    "entrepreneurial_intent",
)
_ENTERPRISE_FIELDS = (
    "id",
    "name",
    "founded_on",
    "entity_type",
    "is_small_micro",
    "registration_status",
    "industry_section",
    "industry_division",
    "industry_class",
    "insured_employees",
    "business_scope",
)

_DETAILS = ("hardship_type", "disability_grade", "disability_kind", "discharged_on", "unemployed_since")

# Explaining one subject (policies-explain: p95 ≤ 20 ms) is a handful of small reads; building
# them through the ORM cost more than running them, so they are plain parameterised SELECTs
# (the same on SQLite and PostgreSQL; the database driver gives dates and booleans as Python
# values for plain columns).


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def _read_all(reads: list[tuple[str, list]]) -> list[list[tuple]]:
    """Several independent SELECTs' rows. On PostgreSQL they are sent together and answered in
    one round trip (psycopg's pipeline mode; each through Django's cursor wrapper, so they are
    logged like any other); a subject's page reads about a dozen small ones, and each round trip
    to the server costs more than the query. Elsewhere they run one after another."""
    if connection.vendor != "postgresql" or len(reads) < 2:
        return [_rows(sql, params) for sql, params in reads]
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    cursors = []
    with raw.pipeline():
        for sql, params in reads:
            cursor = wrapped_cursor(psycopg.Cursor(raw))  # server-side binding: what the pipeline supports
            cursor.execute(sql, list(params))
            cursors.append(cursor)
    try:
        return [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _day(value):
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _grants_read(column: str, ids: list[int]) -> tuple[str, list]:
    return f"SELECT {column}, policy_id, granted_on FROM {_table(Grant)} WHERE {column} IN ({_marks(ids)})", ids


def _grants(rows) -> dict[int, tuple]:
    found = defaultdict(list)
    for subject_id, policy_id, on in rows:
        found[subject_id].append((policy_id, _day(on)))
    return {k: tuple(v) for k, v in found.items()}


def _insurance_read(column: str, ids: list[int]) -> tuple[str, list]:
    other = "enterprise_id" if column == "person_id" else "person_id"
    return f"SELECT {column}, {other}, month FROM {_table(InsuranceMonth)} WHERE {column} IN ({_marks(ids)})", ids


def _insurance(rows) -> dict[int, dict[int, set]]:
    """{subject id: {the other side's id (person or enterprise, 0 if none): month indexes}}."""
    found: dict = defaultdict(lambda: defaultdict(set))
    for subject_id, other_id, month in rows:
        found[subject_id][other_id or 0].add(month_index(_day(month)))
    return found


def _credit_read(column: str, ids: list[int]) -> tuple[str, list]:
    return f"SELECT {column}, listed_on, removed_on FROM {_table(CreditRecord)} WHERE {column} IN ({_marks(ids)})", ids


def _credit(rows) -> dict[int, tuple]:
    found = defaultdict(list)
    for subject_id, listed, removed in rows:
        found[subject_id].append((_day(listed), _day(removed) if removed else None))
    return {k: tuple(v) for k, v in found.items()}


def _premises_read(ids: list[int]) -> tuple[str, list]:
    return (
        f"SELECT enterprise_id, lease_start, lease_end, area, lease_registered, carrier_id FROM {_table(Premises)} "
        f"WHERE enterprise_id IN ({_marks(ids)}) ORDER BY id",
        ids,
    )


def _premises(rows) -> dict[int, tuple]:
    found = defaultdict(list)
    for enterprise_id, start, end, area, registered, carrier_id in rows:
        found[enterprise_id].append(Lease(_day(start), _day(end), Decimal(str(area)), bool(registered), carrier_id))
    return {k: tuple(v) for k, v in found.items()}


def _founded_days_read(ids: list[int]) -> tuple[str, list]:
    """The founding dates (None if not recorded) of the organisations the persons ``ids`` founded."""
    return (
        f"SELECT DISTINCT l.person_id, l.enterprise_id, e.founded_on FROM {_table(EnterprisePerson)} l "
        f"JOIN {_table(Enterprise)} e ON e.id = l.enterprise_id "
        f"WHERE l.person_id IN ({_marks(ids)}) AND l.relation IN ({_marks(FOUNDER_RELATIONS)})",
        [*ids, *FOUNDER_RELATIONS],
    )


def _founded_days(rows) -> dict[int, tuple]:
    found = defaultdict(list)
    for person_id, _enterprise_id, founded_on in rows:
        found[person_id].append(_day(founded_on))
    return {k: tuple(v) for k, v in found.items()}


def load_people(ids: Iterable[int], *, relations: bool = True) -> dict[int, PersonRecord]:
    """Records for the given person ids (missing ids are simply absent)."""
    ids = list(ids)
    if not ids:
        return {}
    cols = ", ".join(f"s.{connection.ops.quote_name(f)}" for f in _PERSON_FIELDS)
    # every read is keyed by the ids asked for (an id with no person has no rows), so they go together
    rows, group_rows, link_rows, grant_rows, insurance_rows, credit_rows = _read_all(
        [
            (
                f"SELECT {cols}, j.path, h.path FROM {_table(Person)} s LEFT JOIN {_table(Jurisdiction)} j "
                f"ON j.id = s.jurisdiction_id LEFT JOIN {_table(Jurisdiction)} h ON h.id = s.hukou_place_id "
                f"WHERE s.id IN ({_marks(ids)})",
                ids,
            ),
            (
                f'SELECT person_id, "group", {", ".join(_DETAILS)} FROM {_table(PersonGroup)} '
                f"WHERE person_id IN ({_marks(ids)})",
                ids,
            ),
            (
                f"SELECT person_id, enterprise_id, relation, share FROM {_table(EnterprisePerson)} "
                f"WHERE person_id IN ({_marks(ids)}) AND relation IN ({_marks(FOUNDER_RELATIONS)})",
                [*ids, *FOUNDER_RELATIONS],
            ),
            _grants_read("person_id", ids),
            _insurance_read("person_id", ids),
            _credit_read("person_id", ids),
        ]
    )
    people = {}
    for row in rows:
        values = dict(zip((*_PERSON_FIELDS, "jurisdiction_path", "hukou_place_path"), row))
        for key in ("birth_date", "graduation_date", "unemployment_registered_on", "residence_permit_since"):
            values[key] = _day(values[key])
        values["entrepreneurial_intent"] = bool(values["entrepreneurial_intent"])
        people[values["id"]] = PersonRecord(**values)
    if not people:
        return people
    keys = list(people)
    groups, details = defaultdict(set), defaultdict(dict)
    for person_id, group, *values in group_rows:
        groups[person_id].add(group)
        details[person_id][group] = {
            name: _day(value) if name in ("discharged_on", "unemployed_since") else value
            for name, value in zip(_DETAILS, values)
        }
    founded, holdings = defaultdict(set), defaultdict(list)
    for person_id, enterprise_id, relation, share in link_rows:
        founded[person_id].add(enterprise_id)
        if relation == EnterprisePerson.Relation.FOUNDER:
            holdings[person_id].append((None if share is None else Decimal(str(share)), enterprise_id))
    grants = _grants(grant_rows)
    insurance = _insurance(insurance_rows)
    credit = _credit(credit_rows)
    represents = defaultdict(list)
    linked = {}
    if relations:  # the enterprises they represent and those they founded, read together
        founded_ids = set().union(*founded.values())
        both = load_enterprises(founded_ids, relations=False, represented_by=keys)
        for record in both.values():
            if record.legal_rep_id in people:
                represents[record.legal_rep_id].append(record)
        linked = {pk: record for pk, record in both.items() if pk in founded_ids}
    for key, person in people.items():
        person.groups = frozenset(groups.get(key, ()))
        person.group_details = details.get(key, {})
        person.founded_count = len(founded.get(key, ()))
        person.grants = grants.get(key, ())
        person.credit = credit.get(key, ())
        person.insured_months = tuple(sorted(set().union(*insurance[key].values()))) if key in insurance else ()
        person.represents = tuple(sorted(represents.get(key, ()), key=lambda e: e.id))
        person.founded = tuple(linked[pk] for pk in sorted(founded.get(key, ())) if pk in linked)
        person.holdings = tuple(
            (share, linked[pk]) for share, pk in sorted(holdings.get(key, ()), key=lambda h: h[1]) if pk in linked
        )
    return people


def load_enterprises(
    ids: Iterable[int] | None, *, relations: bool = True, represented_by: list[int] | None = None
) -> dict[int, EnterpriseRecord]:
    """Records for the given enterprise ids and for those whose legal representative is one of
    ``represented_by`` (person ids)."""
    ids, reps = list(ids or ()), list(represented_by or ())
    where = [(f"s.id IN ({_marks(ids)})", ids), (f"s.legal_representative_id IN ({_marks(reps)})", reps)]
    where = [(sql, params) for sql, params in where if params]
    if not where:
        return {}
    cols = ", ".join(f"s.{connection.ops.quote_name(f)}" for f in _ENTERPRISE_FIELDS)
    rows = _rows(
        f"SELECT {cols}, j.path, c.kind, s.legal_representative_id FROM {_table(Enterprise)} s "
        f"LEFT JOIN {_table(Jurisdiction)} j ON j.id = s.jurisdiction_id "
        f"LEFT JOIN {_table(Carrier)} c ON c.id = s.carrier_id WHERE {' OR '.join(sql for sql, _p in where)}",
        [p for _sql, params in where for p in params],
    )
    enterprises = {}
    for row in rows:
        values = dict(zip((*_ENTERPRISE_FIELDS, "jurisdiction_path", "carrier_kind", "legal_rep_id"), row))
        values["founded_on"] = _day(values["founded_on"])
        values["is_small_micro"] = bool(values["is_small_micro"])
        enterprises[values["id"]] = EnterpriseRecord(**values)
    if not enterprises:
        return enterprises
    keys = list(enterprises)
    rep_ids = sorted({e.legal_rep_id for e in enterprises.values() if e.legal_rep_id})
    through = Enterprise.tags.through
    reads = [
        (
            f"SELECT et.enterprise_id, t.code FROM {_table(through)} et JOIN {_table(Tag)} t ON t.id = et.tag_id "
            f"WHERE et.enterprise_id IN ({_marks(keys)})",
            keys,
        ),
        _grants_read("enterprise_id", keys),
        _insurance_read("enterprise_id", keys),
        _credit_read("enterprise_id", keys),
        _premises_read(keys),
    ]
    tag_rows, grant_rows, insurance_rows, credit_rows, premises_rows, *days_rows = _read_all(
        [*reads, _founded_days_read(rep_ids)] if rep_ids else reads
    )
    tags = defaultdict(set)
    for enterprise_id, code in tag_rows:
        tags[enterprise_id].add(code)
    grants = _grants(grant_rows)
    insurance = _insurance(insurance_rows)
    credit = _credit(credit_rows)
    premises = _premises(premises_rows)
    reps_days = _founded_days(days_rows[0]) if days_rows else {}
    reps = {}
    if relations:
        reps = load_people({e.legal_rep_id for e in enterprises.values() if e.legal_rep_id}, relations=False)
    for key, enterprise in enterprises.items():
        enterprise.tags = frozenset(tags.get(key, ()))
        enterprise.grants = grants.get(key, ())
        enterprise.credit = credit.get(key, ())
        enterprise.premises = premises.get(key, ())
        enterprise.insured = (
            tuple(tuple(sorted(m)) for _p, m in sorted(insurance[key].items())) if key in insurance else ()
        )
        enterprise.legal_rep = reps.get(enterprise.legal_rep_id)
        enterprise.rep_founded_days = reps_days.get(enterprise.legal_rep_id, ())
    return enterprises


def load_subject(kind: str, subject_id: int):
    loader = load_people if kind == "person" else load_enterprises
    return loader([subject_id]).get(subject_id)
