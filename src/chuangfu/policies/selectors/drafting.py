"""Drafting a town's own policy: the rounds of 征求意见 an account takes part in, a round's text clause
by clause with its comments, and the units' replies."""

from dataclasses import dataclass

from django.db.models import QuerySet

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Role
from chuangfu.core.scoping import visible_jurisdiction_ids

from ..models import (
    Consultation,
)
from ..permissions import can_approve_policy, can_edit_policy

# --- drafting a town's own policy (征求意见) -----------------------------------------------------


def consultation_for(consultation_id, *, actor) -> Consultation:
    """A round of 征求意见 the actor may read: the maintainers and the leadership of the policy's
    jurisdiction, and the liaisons of the units it asks; anything else is "not found"."""
    try:
        consultation = Consultation.objects.select_related("version__policy__jurisdiction", "opened_by").get(
            pk=consultation_id
        )
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    policy = consultation.version.policy
    if can_edit_policy(actor, policy) or can_approve_policy(actor, policy):
        return consultation
    if actor.role == Role.UNIT_LIAISON and actor.unit_id and consultation.units.filter(pk=actor.unit_id).exists():
        return consultation
    raise NotFound()


def drafting_rounds(actor) -> QuerySet[Consultation]:
    """The rounds the actor takes part in, newest first: for a liaison those asking its unit; for the
    maintainers and the leadership those of the policies of their jurisdictions."""
    qs = Consultation.objects.select_related("version__policy").order_by("-opened_at", "-pk")
    if actor.role == Role.UNIT_LIAISON:
        return qs.filter(units=actor.unit_id) if actor.unit_id else qs.none()
    ids = visible_jurisdiction_ids(actor)
    return qs if ids is None else qs.filter(version__policy__jurisdiction_id__in=ids)


@dataclass
class ClauseView:
    number: int | None  # None: comments on the whole text
    text: str
    comments: list


def consultation_clauses(consultation: Consultation) -> list[ClauseView]:
    """The round's text clause by clause, each with its comments (the whole-text comments first)."""
    comments = list(consultation.comments.select_related("unit", "author", "responded_by"))
    by_clause = {}
    for comment in comments:
        by_clause.setdefault(comment.clause, []).append(comment)
    whole = [ClauseView(None, "", by_clause.get(None, []))] if by_clause.get(None) else []
    return whole + [ClauseView(n, text, by_clause.get(n, [])) for n, text in enumerate(consultation.clauses, start=1)]


def consultation_units(consultation: Consultation) -> list[dict]:
    """Each unit asked, with whether and how it replied and how many comments it made."""
    replies = {r.unit_id: r for r in consultation.replies.all()}
    counts = {}
    for unit_id in consultation.comments.values_list("unit_id", flat=True):
        counts[unit_id] = counts.get(unit_id, 0) + 1
    return [
        {"unit": unit, "reply": replies.get(unit.pk), "comments": counts.get(unit.pk, 0)}
        for unit in consultation.units.order_by("name")
    ]
