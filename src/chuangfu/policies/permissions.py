"""Who may do what with policies. Policies themselves are public; matches, outreach lists and
grants name people, so they follow the registry's scope (the subject's jurisdiction)."""

from chuangfu.core.models import STAFF_ROLES, Role
from chuangfu.core.scoping import visible_jurisdiction_ids

# Maintain policies, versions, rules and test cases; publish; start a full match.
EDITOR_ROLES = frozenset({Role.DESK_STAFF, Role.ADMIN})
# See matches, outreach lists and rates (people's data, scoped): every staff role but mentors.
VIEWER_ROLES = STAFF_ROLES - {Role.MENTOR}
# Export outreach lists, run campaigns, import grant lists.
OUTREACH_ROLES = frozenset({Role.DESK_STAFF, Role.LEADER, Role.ADMIN})


def role_of(actor) -> str | None:
    if actor is None or not actor.is_authenticated:
        return None
    return Role.ADMIN if actor.is_superuser else actor.role


def can_view_matches(actor) -> bool:
    return role_of(actor) in VIEWER_ROLES


def can_outreach(actor) -> bool:
    return role_of(actor) in OUTREACH_ROLES


def can_edit_policies(actor) -> bool:
    return role_of(actor) in EDITOR_ROLES


def can_approve_policy(actor, policy) -> bool:
    """The leadership (or the administrator) of the policy's own jurisdiction approves its drafts."""
    if role_of(actor) not in (Role.LEADER, Role.ADMIN):
        return False
    ids = visible_jurisdiction_ids(actor)
    return ids is None or policy.jurisdiction_id in ids


def can_edit_policy(actor, policy) -> bool:
    """Editors may change the policies their jurisdiction maintains (a town: its own)."""
    if not can_edit_policies(actor):
        return False
    ids = visible_jurisdiction_ids(actor)
    return ids is None or policy.jurisdiction_id in ids
