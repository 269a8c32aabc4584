"""Every write to the registry: people, enterprises, carriers, mentors and their links.

Each service checks the actor's right and jurisdiction, validates identifiers (clear Chinese
messages on the field, all at once), refuses duplicates by pointing at the existing record,
derives birth date, gender and the pinyin search column, runs in one transaction and writes
one audit entry with before/after. Nothing is saved half-way: a refusal raises before any row
is written, and any later failure rolls the whole use case back.

Errors: ``django.core.exceptions.ValidationError`` (a dict of field → message) for bad values;
``DomainError`` for refusals (``duplicate`` with ``details["field"]`` and, when the actor may
see it, ``details["existing_type"]``/``["existing_id"]``; ``referenced``; ``forbidden``);
``NotFound`` for records outside the actor's jurisdiction.
"""

from .carriers import (
    CARRIER_FIELDS,
    CARRIER_OPERATOR_FIELDS,
    MENTOR_FIELDS,
    carrier_create,
    carrier_delete,
    carrier_update,
    mentor_create,
    mentor_delete,
    mentor_update,
)
from .enterprises import (
    ENTERPRISE_FIELDS,
    enterprise_create,
    enterprise_delete,
    enterprise_person_link,
    enterprise_person_unlink,
    enterprise_set_carrier,
    enterprise_update,
)
from .people import PERSON_FIELDS, person_create, person_delete, person_groups_set, person_reveal, person_update
from .premises import premises_add, premises_remove, premises_update

__all__ = [
    "CARRIER_FIELDS",
    "CARRIER_OPERATOR_FIELDS",
    "ENTERPRISE_FIELDS",
    "MENTOR_FIELDS",
    "PERSON_FIELDS",
    "carrier_create",
    "carrier_delete",
    "carrier_update",
    "enterprise_create",
    "enterprise_delete",
    "enterprise_person_link",
    "enterprise_person_unlink",
    "enterprise_set_carrier",
    "enterprise_update",
    "mentor_create",
    "mentor_delete",
    "mentor_update",
    "person_create",
    "person_delete",
    "person_groups_set",
    "person_reveal",
    "person_update",
    "premises_add",
    "premises_remove",
    "premises_update",
]
