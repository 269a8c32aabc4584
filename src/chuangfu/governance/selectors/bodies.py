"""The bodies that run the work plan (领导小组, its office, the 联席会议 …), their terms and members."""

from django.db.models import Prefetch, QuerySet

from chuangfu.core.errors import NotFound
from chuangfu.core.scoping import scope_by_jurisdiction

from ..access import can_use
from ..models import Body, Membership, Term


def bodies_for(actor) -> QuerySet:
    if not can_use(actor):
        return Body.objects.none()
    return scope_by_jurisdiction(Body.objects.select_related("jurisdiction", "parent"), actor)


def get_body_for(actor, pk) -> Body:
    try:
        return bodies_for(actor).get(pk=pk)
    except (Body.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def get_member_for(actor, pk) -> Membership:
    try:
        return Membership.objects.select_related("term__body").get(pk=pk, term__body__in=bodies_for(actor).values("pk"))
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def get_term_for(actor, pk) -> Term:
    try:
        return Term.objects.select_related("body").get(pk=pk, body__in=bodies_for(actor).values("pk"))
    except (Term.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def terms_of(body: Body) -> list[Term]:
    """The body's terms, newest first, each with its members (current first, then those who left)."""
    members = Membership.objects.select_related("unit").order_by("left_on", "position_order", "joined_on", "id")
    return list(body.terms.prefetch_related(Prefetch("memberships", queryset=members)))


def current_members(body: Body) -> QuerySet:
    return Membership.objects.filter(term__body=body, left_on__isnull=True).select_related("unit")
