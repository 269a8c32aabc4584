"""One subject's registry facts as plain records, loaded in a handful of queries.

The Python evaluation reads these, never the ORM row by row, so explaining one subject across
every policy costs the same few queries whatever the rules say.
"""
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F

from chuangfu.registry.models import Enterprise, EnterprisePerson, Person, PersonGroup

from .facts import FOUNDER_RELATIONS


@dataclass
class PersonRecord:
    id: int
    name: str
    birth_date: datetime.date | None
    hukou_kind: str
    jurisdiction_path: str
    education: str
    graduation_date: datetime.date | None
    employment_status: str
    unemployment_registered_on: datetime.date | None
    entrepreneurial_intent: bool
    groups: frozenset = frozenset()
    founded_count: int = 0
    grants: tuple = ()  # (policy id, granted on)
    represents: tuple = ()  # EnterpriseRecord of the enterprises whose legal representative this is


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
    insured_employees: int | None
    carrier_kind: str | None
    tags: frozenset = frozenset()
    grants: tuple = ()
    legal_rep: "PersonRecord | None" = field(default=None)
    legal_rep_id: int | None = None


_PERSON_FIELDS = ("id", "name", "birth_date", "hukou_kind", "education", "graduation_date", "employment_status",
                  "unemployment_registered_on", "entrepreneurial_intent")
_ENTERPRISE_FIELDS = ("id", "name", "founded_on", "entity_type", "is_small_micro", "registration_status",
                      "industry_section", "industry_division", "insured_employees")


def _grants(column: str, ids: list[int]) -> dict[int, tuple]:
    from ..models import Grant

    found = defaultdict(list)
    for subject_id, policy_id, on in Grant.objects.filter(**{f"{column}__in": ids}).values_list(
            column, "policy_id", "granted_on"):
        found[subject_id].append((policy_id, on))
    return {k: tuple(v) for k, v in found.items()}


def load_people(ids: Iterable[int], *, relations: bool = True) -> dict[int, PersonRecord]:
    """Records for the given person ids (missing ids are simply absent)."""
    ids = list(ids)
    rows = Person.objects.filter(pk__in=ids).values(*_PERSON_FIELDS, jurisdiction_path=F("jurisdiction__path"))
    people = {row["id"]: PersonRecord(**row) for row in rows}
    if not people:
        return people
    keys = list(people)
    groups = defaultdict(set)
    for person_id, group in PersonGroup.objects.filter(person_id__in=keys).values_list("person_id", "group"):
        groups[person_id].add(group)
    founded = defaultdict(set)
    for person_id, enterprise_id in EnterprisePerson.objects.filter(
            person_id__in=keys, relation__in=FOUNDER_RELATIONS).values_list("person_id", "enterprise_id"):
        founded[person_id].add(enterprise_id)
    grants = _grants("person_id", keys)
    represents = defaultdict(list)
    if relations:
        for record in load_enterprises(None, relations=False, represented_by=keys).values():
            represents[record.legal_rep_id].append(record)
    for key, person in people.items():
        person.groups = frozenset(groups.get(key, ()))
        person.founded_count = len(founded.get(key, ()))
        person.grants = grants.get(key, ())
        person.represents = tuple(sorted(represents.get(key, ()), key=lambda e: e.id))
    return people


def load_enterprises(ids: Iterable[int] | None, *, relations: bool = True,
                     represented_by: list[int] | None = None) -> dict[int, EnterpriseRecord]:
    """Records for the given enterprise ids, or for those whose legal representative is one of
    ``represented_by`` (person ids)."""
    if represented_by is not None:
        selected = Enterprise.objects.filter(legal_representative_id__in=represented_by)
    else:
        selected = Enterprise.objects.filter(pk__in=list(ids))
    rows = selected.values(
        *_ENTERPRISE_FIELDS, jurisdiction_path=F("jurisdiction__path"), carrier_kind=F("carrier__kind"),
        legal_rep_id=F("legal_representative_id"),
    )
    enterprises = {row["id"]: EnterpriseRecord(**row) for row in rows}
    if not enterprises:
        return enterprises
    keys = list(enterprises)
    tags = defaultdict(set)
    for enterprise_id, code in Enterprise.tags.through.objects.filter(enterprise_id__in=keys).values_list(
            "enterprise_id", "tag__code"):
        tags[enterprise_id].add(code)
    grants = _grants("enterprise_id", keys)
    reps = {}
    if relations:
        reps = load_people({e.legal_rep_id for e in enterprises.values() if e.legal_rep_id}, relations=False)
    for key, enterprise in enterprises.items():
        enterprise.tags = frozenset(tags.get(key, ()))
        enterprise.grants = grants.get(key, ())
        enterprise.legal_rep = reps.get(enterprise.legal_rep_id)
    return enterprises


def load_subject(kind: str, subject_id: int):
    loader = load_people if kind == "person" else load_enterprises
    return loader([subject_id]).get(subject_id)
