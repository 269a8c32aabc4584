"""The fact catalogue: every registry fact a rule may test, as data.

Each fact knows, for one condition (operator + value) on one evaluation date:

* ``vector(...)``: two masks over a whole subject kind read into numpy columns (``frame.Frame``),
  "met" and "not met", both false where the fact is missing — the set-based evaluation of a
  full match;
* ``value_of(record, ...)``: the subject's actual value in Python (``None`` when missing), which
  ``operators.compare`` tests exactly as the predicates do;
* ``from_given(raw, ...)``: the same value from a described subject (test cases, the anonymous
  self-check), where the user states the fact directly ("年龄 30").

Derived facts become comparisons on the stored column: "at least 36 months since founding on
date D" is ``founded_on <= D − 36 months`` (see ``dates``), so no per-row arithmetic is needed.

The package, by what a fact reads:

* ``base``       the ``Fact`` itself and the facts of one plain column (``ColumnFact``);
* ``derived``    facts derived from the subject's own row (elapsed time, memberships, places,
                 yes/no predicates, retirement age, industry);
* ``related``    facts read from related rows (carrier, foundings, grants, credit, insurance);
* ``relations``  facts that hold a sub-rule over related subjects;
* ``groups``     facts of a priority group's own record (type, grade, discharge, months out of work);
* ``text``       facts over free text (the keywords a business scope mentions);
* ``catalogue``  every fact a rule may test, by name (``CATALOGUE``, ``FACTS``, ``facts_for``).

Import from the package (``from .facts import FACTS``): the names below are its surface.
"""

from .base import ENTERPRISE, NOT_YET_GIVEN, PERSON, SUBJECT_LABELS, Fact
from .catalogue import CATALOGUE, FACTS, STARTUP_ENTITY_TYPES, facts_for
from .derived import OUTSIDE, ElapsedFact, HukouPlaceFact
from .related import MAX_INSURED_MONTHS, EmployeesInsuredFact, GrantedFact, months_arg
from .relations import MAX_SHARE, LinkedFact, RelationFact, RepresentsFact

__all__ = [
    "CATALOGUE",
    "ENTERPRISE",
    "FACTS",
    "MAX_INSURED_MONTHS",
    "MAX_SHARE",
    "NOT_YET_GIVEN",
    "OUTSIDE",
    "PERSON",
    "STARTUP_ENTITY_TYPES",
    "SUBJECT_LABELS",
    "ElapsedFact",
    "EmployeesInsuredFact",
    "Fact",
    "GrantedFact",
    "HukouPlaceFact",
    "LinkedFact",
    "RelationFact",
    "RepresentsFact",
    "facts_for",
]
