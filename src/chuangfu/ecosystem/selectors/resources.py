"""Resources, needs and 对接 (linkage): scoped lists, ranked matches for a need and their reasons."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import translation

from chuangfu.core.errors import NotFound
from chuangfu.core.scoping import scope_by_jurisdiction
from chuangfu.registry.industry import SECTIONS

from ..models import Linkage, LinkageStatus, Need, Resource, ResourceKind
from ..models.resources import reasons_display
from .roles import is_office


def resources_for(actor) -> QuerySet[Resource]:
    if not is_office(actor):
        return Resource.objects.none()
    return scope_by_jurisdiction(
        Resource.objects.select_related("holder_carrier", "holder_unit", "holder_enterprise"), actor
    )


def get_resource_for(actor, resource_id) -> Resource:
    try:
        return resources_for(actor).get(pk=resource_id)
    except (Resource.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def resource_list(*, actor, kind: str = "", q: str = "") -> QuerySet[Resource]:
    qs = resources_for(actor)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(offer__icontains=q) | Q(keywords__icontains=q))
    return qs


def needs_for(actor) -> QuerySet[Need]:
    if not is_office(actor):
        return Need.objects.none()
    return scope_by_jurisdiction(Need.objects.select_related("person", "enterprise", "jurisdiction"), actor)


def get_need_for(actor, need_id) -> Need:
    try:
        return needs_for(actor).get(pk=need_id)
    except (Need.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def linkages_for(actor) -> QuerySet[Linkage]:
    return Linkage.objects.filter(need__in=needs_for(actor).values("pk")).select_related(
        "need", "need__person", "need__enterprise", "resource"
    )


@dataclass
class Match:
    resource: Resource
    score: int
    reasons: list[dict]  # language-free (see ``models.resources.reason_text``), stored on the linkage as they are

    @property
    def reasons_display(self) -> str:
        return reasons_display(self.reasons)


def match_resources(*, actor, need: Need, limit: int = 10) -> list[Match]:
    """Active resources of the need's town ranked for it, each with the reasons it was chosen:
    a kind the need asks for (3), each keyword of the resource found in the need (2 each), the
    enterprise's industry (its GB/T 4754 section's name) named in the resource's offer or keywords
    (1), held by the carrier hosting the enterprise (1). Resources of the needer itself and those
    already linked are left out. What is compared is what staff wrote, so the page's language
    changes nothing."""

    linked = set(need.linkages.values_list("resource_id", flat=True))
    enterprise = need.enterprise
    section = enterprise.industry_section if enterprise and enterprise.industry_section in SECTIONS else ""
    with translation.override("zh-hans"):
        industry = str(SECTIONS[section][0]) if section else ""
    text = need.description
    matches = []
    for resource in resources_for(actor).filter(jurisdiction_id=need.jurisdiction_id, active=True):
        if resource.pk in linked or (enterprise and resource.holder_enterprise_id == enterprise.pk):
            continue
        score, reasons = 0, []
        if resource.kind in need.kinds:
            score += 3
            reasons.append({"code": "kind", "kind": resource.kind})
        words = [w for w in resource.keyword_list if w in text]
        if words:
            score += 2 * len(words)
            reasons.append({"code": "keywords", "words": words})
        if industry and (industry in resource.offer or industry in resource.keywords):
            score += 1
            reasons.append({"code": "industry", "section": section})
        if enterprise and enterprise.carrier_id and resource.holder_carrier_id == enterprise.carrier_id:
            score += 1
            reasons.append({"code": "carrier"})
        if score:
            matches.append(Match(resource, score, reasons))
    matches.sort(key=lambda m: (-m.score, m.resource.name))
    return matches[:limit]


def linkage_reasons(*, actor, need: Need, resource: Resource) -> list[dict]:
    """Why ``resource`` is put in touch with ``need``: the match's reasons, or "chosen by staff"
    for a resource the matching did not offer."""
    match = next((m for m in match_resources(actor=actor, need=need, limit=10**6) if m.resource == resource), None)
    return match.reasons if match else [{"code": "staff"}]


def linkage_counts(*, actor) -> dict:
    """对接 counted by outcome and by resource kind (from the linkage rows)."""
    rows = linkages_for(actor).values("resource__kind", "status").annotate(n=Count("pk")).order_by()
    by_kind: dict[str, dict[str, int]] = {}
    totals = dict.fromkeys(LinkageStatus.values, 0)
    for row in rows:
        by_kind.setdefault(row["resource__kind"], dict.fromkeys(LinkageStatus.values, 0))[row["status"]] = row["n"]
        totals[row["status"]] += row["n"]
    labels = dict(ResourceKind.choices)
    return {
        "totals": totals,
        "total": sum(totals.values()),
        "by_kind": [(code, labels.get(code, code), counts) for code, counts in sorted(by_kind.items())],
    }
