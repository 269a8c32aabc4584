"""Saving a rule: its shape and values (``tree.check_rule``), then whether any subject at all
could meet it (``satisfiable``) — a rule that can match nobody is refused with the reason."""

from .satisfiable import unsatisfiable_reasons
from .tree import RuleError, check_rule


def validate_rule(rule, subject: str) -> dict:
    """The rule in canonical form, or ``RuleError`` naming every problem (in Chinese)."""
    out, places, errors = check_rule(rule, subject)
    reasons = unsatisfiable_reasons(out, subject, places) if out is not None else []
    if errors or reasons:
        raise RuleError(errors + reasons)
    return out
