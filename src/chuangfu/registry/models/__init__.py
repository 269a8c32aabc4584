"""The registry: people, enterprises, carriers and mentors, each in a jurisdiction.

Personal identifiers are encrypted (``EncryptedCharField``) and found through their keyed
hash; birth date and gender are derived from the ID number on save. Every write goes through
``services``, which validates, audits and keeps the search columns current. Split by entity:

- ``people``       people and their priority groups (重点人群); household, education, employment
- ``carriers``     carriers (载体) and their kinds
- ``enterprises``  enterprises, their tags and the people linked to them
- ``mentors``      mentors (创业导师)
- ``premises``     an enterprise's premises and their lease (房租补贴)
- ``records``      dated facts from other authorities: insurance months, credit (失信) records

Import from this package (``from chuangfu.registry.models import Person``), not from the
modules: the names below are the public surface.
"""

from .carriers import Carrier, CarrierKind
from .enterprises import Enterprise, EnterprisePerson, EntityType, RegistrationStatus, Tag
from .mentors import Mentor
from .people import (
    GROUP_DETAILS,
    DisabilityGrade,
    DisabilityKind,
    Education,
    EmploymentStatus,
    HardshipType,
    HukouKind,
    Person,
    PersonGroup,
    PriorityGroup,
)
from .premises import Premises
from .records import CreditRecord, InsuranceMonth

__all__ = [
    "GROUP_DETAILS",
    "Carrier",
    "CarrierKind",
    "CreditRecord",
    "DisabilityGrade",
    "DisabilityKind",
    "Education",
    "EmploymentStatus",
    "Enterprise",
    "EnterprisePerson",
    "EntityType",
    "HardshipType",
    "HukouKind",
    "InsuranceMonth",
    "Mentor",
    "Person",
    "PersonGroup",
    "Premises",
    "PriorityGroup",
    "RegistrationStatus",
    "Tag",
]
