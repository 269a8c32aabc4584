"""Eligibility rules as data: the fact catalogue, the rule tree and its two evaluations.

* ``facts`` — the catalogue: each registry fact, how its columns are tested, how Python reads it;
* ``tree`` — validation with Chinese errors, and the rule in plain Chinese;
* ``frame`` — set-based evaluation over the whole registry read into numpy columns (a full match);
* ``evaluate`` — per-subject evaluation with every condition explained;
* ``subjects`` — loading one subject's facts for the Python side.

Both evaluations read one definition; the property tests prove they agree.
"""

from . import frame, outcome
from .context import Context
from .evaluate import MET, NOT_MET, UNKNOWN, Explanation, GivenSource, Outcome, RecordSource, explain
from .facts import CATALOGUE, ENTERPRISE, FACTS, PERSON, facts_for
from .frame import Frames
from .nodes import top_conditions
from .subjects import load_enterprises, load_people, load_subject
from .tree import RuleError, describe
from .validation import validate_rule

__all__ = [
    "CATALOGUE",
    "ENTERPRISE",
    "FACTS",
    "MET",
    "NOT_MET",
    "PERSON",
    "UNKNOWN",
    "Context",
    "Explanation",
    "Frames",
    "GivenSource",
    "Outcome",
    "RecordSource",
    "RuleError",
    "describe",
    "explain",
    "facts_for",
    "frame",
    "load_enterprises",
    "load_people",
    "load_subject",
    "outcome",
    "top_conditions",
    "validate_rule",
]
