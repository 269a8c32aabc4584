"""Reads of the industry focus (issue 14 point 5), shared by pages, exports and the API.

The town's office sees the chains, scores and nominations of its jurisdiction; anything else is
"not found". A segment's figure is the number of operating (存续) enterprises tagged on it or on
any segment below it, each counted once, computed on read from the tags.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet, Sum

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scoping import scope_by_jurisdiction
from chuangfu.registry.models import Enterprise, RegistrationStatus

from ..models import (
    ChainSegment,
    Competition,
    InnovationAssessment,
    InnovationCriterion,
    InnovationScore,
    Nomination,
    SegmentMembership,
)
from .roles import is_office


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def towns_for(actor) -> QuerySet[Jurisdiction]:
    """The towns whose chains the actor keeps (the office of a town: its own; a district: all)."""
    if not is_office(actor):
        return Jurisdiction.objects.none()
    return scope_by_jurisdiction(Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN), actor, field="")


def get_town_for(actor, town_id) -> Jurisdiction:
    return _get(towns_for(actor), town_id)


def enterprise_in_town(enterprise: Enterprise, town: Jurisdiction) -> bool:
    """The enterprise is registered in the town or one of its villages."""
    path = enterprise.jurisdiction.path
    return path == town.path or path.startswith(town.path + "/")


# --- the chain ---------------------------------------------------------------------------------


def segments_for(actor) -> QuerySet[ChainSegment]:
    if not is_office(actor):
        return ChainSegment.objects.none()
    return scope_by_jurisdiction(ChainSegment.objects.select_related("jurisdiction", "parent"), actor)


def get_segment_for(actor, segment_id) -> ChainSegment:
    return _get(segments_for(actor), segment_id)


@dataclass
class ChainNode:
    segment: ChainSegment
    depth: int
    direct: int = 0  # operating firms tagged on this segment itself
    total: int = 0  # operating firms on it or anywhere below it, each once
    chain: str = ""  # the name of the chain (the root) it belongs to
    children: list["ChainNode"] = field(default_factory=list)

    @property
    def thin(self) -> bool:
        return self.total < self.segment.thin_below

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def chain_tree(*, actor, town: Jurisdiction) -> list[ChainNode]:
    """Every chain of the town as a tree, each node with its figures (two queries)."""
    town = get_town_for(actor, town.pk)
    segments = list(ChainSegment.objects.filter(jurisdiction=town).order_by("position", "id"))
    members: dict[int, set[int]] = {}
    rows = SegmentMembership.objects.filter(
        segment__jurisdiction=town, enterprise__registration_status=RegistrationStatus.ACTIVE
    ).values_list("segment_id", "enterprise_id")
    for segment_id, enterprise_id in rows:
        members.setdefault(segment_id, set()).add(enterprise_id)
    nodes = {s.pk: ChainNode(segment=s, depth=0, direct=len(members.get(s.pk, ()))) for s in segments}
    roots = []
    for s in segments:
        parent = nodes.get(s.parent_id)
        (parent.children if parent else roots).append(nodes[s.pk])

    def settle(node: ChainNode, depth: int, chain: str) -> set[int]:
        node.depth, node.chain = depth, chain
        firms = set(members.get(node.segment.pk, ()))
        for child in node.children:
            firms |= settle(child, depth + 1, chain)
        node.total = len(firms)
        return firms

    for root in roots:
        settle(root, 0, root.segment.name)
    return roots


def segment_firms(segment: ChainSegment) -> QuerySet[SegmentMembership]:
    return segment.memberships.select_related("enterprise", "tagged_by").order_by("enterprise__name")


def segment_candidates(segment: ChainSegment, limit: int = 20) -> QuerySet[Enterprise]:
    """Operating firms of the town whose industry (GB/T 4754 大类) is one the segment names and
    that are not tagged on it yet: a list to look through, not a tag."""
    divisions = {code[:2] for code in segment.codes}
    if not divisions:
        return Enterprise.objects.none()
    town = segment.jurisdiction
    return (
        Enterprise.objects.filter(
            industry_division__in=divisions,
            registration_status=RegistrationStatus.ACTIVE,
            jurisdiction__path__startswith=town.path,
        )
        .exclude(chain_memberships__segment=segment)
        .select_related("jurisdiction")
        .order_by("name")[:limit]
    )


def enterprise_segments(enterprise: Enterprise) -> QuerySet[SegmentMembership]:
    return enterprise.chain_memberships.select_related("segment", "segment__parent").order_by("segment__position")


# --- innovation scoring ------------------------------------------------------------------------


def criteria_of(town: Jurisdiction) -> QuerySet[InnovationCriterion]:
    return InnovationCriterion.objects.filter(jurisdiction=town, active=True).order_by("position", "id")


def town_of(enterprise: Enterprise) -> Jurisdiction:
    node = enterprise.jurisdiction
    while node.level not in (Jurisdiction.Level.TOWN, Jurisdiction.Level.DISTRICT) and node.parent_id:
        node = node.parent
    return node


def enterprises_for(actor) -> QuerySet[Enterprise]:
    if not is_office(actor):
        return Enterprise.objects.none()
    return scope_by_jurisdiction(Enterprise.objects.select_related("jurisdiction"), actor)


def get_enterprise_for(actor, enterprise_id) -> Enterprise:
    return _get(enterprises_for(actor), enterprise_id)


def assessments_for(actor) -> QuerySet[InnovationAssessment]:
    if not is_office(actor):
        return InnovationAssessment.objects.none()
    return (
        scope_by_jurisdiction(InnovationAssessment.objects.all(), actor, field="enterprise__jurisdiction")
        .select_related("enterprise", "scored_by")
        .annotate(total=Sum("scores__points"), out_of=Sum("scores__out_of"))
        .prefetch_related(Prefetch("scores", queryset=InnovationScore.objects.select_related("criterion")))
    )


def percent(points, out_of) -> int | None:
    """A score on a scale of 100, whatever the criteria add up to."""
    return round(100 * points / out_of) if out_of else None


# --- competitions and nominations --------------------------------------------------------------


def competitions_for(actor) -> QuerySet[Competition]:
    if not is_office(actor):
        return Competition.objects.none()
    return scope_by_jurisdiction(Competition.objects.select_related("jurisdiction"), actor)


def get_competition_for(actor, competition_id) -> Competition:
    return _get(competitions_for(actor), competition_id)


def nominations_for(actor) -> QuerySet[Nomination]:
    if not is_office(actor):
        return Nomination.objects.none()
    return (
        scope_by_jurisdiction(Nomination.objects.all(), actor, field="competition__jurisdiction")
        .select_related("competition", "enterprise", "assessment", "nominated_by")
        .annotate(score=Sum("assessment__scores__points"), score_out_of=Sum("assessment__scores__out_of"))
    )


def get_nomination_for(actor, nomination_id) -> Nomination:
    return _get(nominations_for(actor), nomination_id)


def nomination_figures(*, actor) -> list[tuple[Competition, dict]]:
    """Per competition, how many of the town's nominations reached each stage."""
    counts: dict[int, dict[str, int]] = {}
    for competition_id, status in nominations_for(actor).values_list("competition_id", "status"):
        counts.setdefault(competition_id, {}).setdefault(status, 0)
        counts[competition_id][status] += 1
    return [(c, counts.get(c.pk, {})) for c in competitions_for(actor)]
