"""Reads shared by the pages and the API.

Policies are public once a version is published; drafts are seen only by those who may edit
them. Everything that names a person or an enterprise — matches, outreach lists, grants, rates —
is scoped by the subject's jurisdiction (``core.scoping``), never only in a template.
"""
import datetime
from collections.abc import Mapping

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from chuangfu.core.errors import NotFound
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.registry.search import words

from .models import Grant, Level, Match, OutreachCampaign, OutreachContact, Policy, PolicyVersion, Result, Target, VersionStatus
from .permissions import can_edit_policies, can_outreach, can_view_matches


def _published_versions() -> QuerySet:
    return PolicyVersion.objects.filter(status=VersionStatus.PUBLISHED)


def search_q(query: str) -> Q:
    """Every word of the query (cut by jieba: 创业补贴 → 创业 + 补贴) occurs in the policy's text."""
    q = Q()
    for term in query.split():
        for word in words(term) or [term]:
            q &= Q(search_text__icontains=word)
    return q


def policy_list(*, actor=None, filters: Mapping | None = None, public: bool = False) -> QuerySet[Policy]:
    """Policies with at least one published version; editors also see their drafts (``public=False``)."""
    filters = filters or {}
    qs = Policy.objects.select_related("jurisdiction", "handling_unit")
    has_published = Exists(_published_versions().filter(policy=OuterRef("pk")))
    if public or not can_edit_policies(actor):
        qs = qs.filter(has_published)
    for name in ("level", "category", "target", "obtain_mode"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("jurisdiction"):
        qs = qs.filter(jurisdiction__code=filters["jurisdiction"])
    if filters.get("q"):
        qs = qs.filter(search_q(str(filters["q"])))
    current = _published_versions().filter(effective_from__lte=timezone.localdate()).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=timezone.localdate())).order_by("-effective_from")
    rank = Case(*[When(level=code, then=Value(i)) for i, code in enumerate(Level.values)], output_field=IntegerField())
    return qs.prefetch_related(Prefetch("versions", queryset=current, to_attr="current_versions")).order_by(
        rank, "category", "title")


def get_policy(policy_id, *, actor=None, public: bool = False) -> Policy:
    """A policy by id; unpublished ones exist only for editors."""
    qs = policy_list(actor=actor, public=public)
    try:
        return qs.get(pk=policy_id)
    except (Policy.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def get_version(policy: Policy, number, *, actor=None, public: bool = False) -> PolicyVersion:
    qs = policy.versions.all()
    if public or not can_edit_policies(actor):
        qs = qs.filter(status=VersionStatus.PUBLISHED)
    try:
        return qs.get(number=number)
    except (PolicyVersion.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def current_version(policy: Policy, on: datetime.date | None = None) -> PolicyVersion | None:
    """The version in force on ``on`` (today), else the newest published one."""
    on = on or timezone.localdate()
    published = list(_published_versions().filter(policy=policy).order_by("-effective_from"))
    return next((v for v in published if v.in_force_on(on)), published[0] if published else None)


# --- people and enterprises: always scoped ------------------------------------------------------

def _subject_field(policy: Policy) -> str:
    return "person" if policy.target == Target.PERSON else "enterprise"


def _scope(qs: QuerySet, actor, subject_field: str) -> QuerySet:
    if not can_view_matches(actor):
        raise NotFound()
    ids = visible_jurisdiction_ids(actor)
    return qs if ids is None else qs.filter(**{f"{subject_field}__jurisdiction_id__in": ids})


def _under(qs: QuerySet, subject_field: str, jurisdiction) -> QuerySet:
    if jurisdiction is None:
        return qs
    path = jurisdiction.path
    return qs.filter(Q(**{f"{subject_field}__jurisdiction__path": path})
                     | Q(**{f"{subject_field}__jurisdiction__path__startswith": path + "/"}))


def match_list(*, actor, policy: Policy, result: str | None = None, jurisdiction=None) -> QuerySet[Match]:
    field = _subject_field(policy)
    qs = _scope(Match.objects.filter(policy=policy), actor, field)
    if result:
        qs = qs.filter(result=result)
    return _under(qs, field, jurisdiction).select_related(
        field, f"{field}__jurisdiction", "version__policy").order_by("result", "id")


def outreach_list(*, actor, policy: Policy, jurisdiction=None) -> QuerySet[Match]:
    """政策找人: eligible subjects who have neither been granted the policy nor applied for it."""
    field = _subject_field(policy)
    granted = Grant.objects.filter(policy=policy, **{field: OuterRef(field)})
    applied = OutreachContact.objects.filter(campaign__policy=policy, applied_on__isnull=False,
                                             **{field: OuterRef(field)})
    qs = match_list(actor=actor, policy=policy, result=Result.ELIGIBLE, jurisdiction=jurisdiction)
    return qs.exclude(Exists(granted)).exclude(Exists(applied))


def subject_matches(*, actor, kind: str, subject) -> QuerySet[Match]:
    if not can_view_matches(actor):
        raise NotFound()
    ids = visible_jurisdiction_ids(actor)
    if ids is not None and subject.jurisdiction_id not in ids:
        raise NotFound()
    return Match.objects.filter(**{kind: subject}).select_related("policy", "version").order_by("result", "policy__title")


def scoped_match_counts(*, actor):
    """(policy id, result, count) of the stored matches among the subjects the actor may see."""
    if not can_view_matches(actor):
        raise NotFound()
    ids = visible_jurisdiction_ids(actor)
    qs = Match.objects.all()
    if ids is not None:
        qs = qs.filter(Q(person__jurisdiction_id__in=ids) | Q(enterprise__jurisdiction_id__in=ids))
    return qs.values_list("policy_id", "result").annotate(n=Count("id")).order_by()


def get_subject_for(actor, kind: str, subject_id):
    """A person or an enterprise in the actor's scope (``NotFound`` otherwise)."""
    from chuangfu.registry import selectors as registry

    if kind not in (Target.PERSON, Target.ENTERPRISE) or not can_view_matches(actor):
        raise NotFound()
    getter = registry.get_person_for if kind == Target.PERSON else registry.get_enterprise_for
    return getter(actor, subject_id)


def campaign_list(*, actor, policy: Policy) -> QuerySet[OutreachCampaign]:
    if not can_view_matches(actor):
        raise NotFound()
    ids = visible_jurisdiction_ids(actor)
    qs = policy.campaigns.select_related("jurisdiction", "created_by")
    return qs if ids is None else qs.filter(jurisdiction_id__in=ids)


def get_campaign_for(actor, campaign_id) -> OutreachCampaign:
    if not can_view_matches(actor):
        raise NotFound()
    ids = visible_jurisdiction_ids(actor)
    qs = OutreachCampaign.objects.select_related("policy", "jurisdiction")
    if ids is not None:
        qs = qs.filter(jurisdiction_id__in=ids)
    try:
        return qs.get(pk=campaign_id)
    except (OutreachCampaign.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def campaign_contacts(*, actor, campaign: OutreachCampaign) -> QuerySet[OutreachContact]:
    field = _subject_field(campaign.policy)
    return _scope(campaign.contacts.all(), actor, field).select_related(field)


def grant_list(*, actor, policy: Policy) -> QuerySet[Grant]:
    field = _subject_field(policy)
    return _scope(policy.grants.all(), actor, field).select_related(field)


def may_export(actor) -> bool:
    return can_outreach(actor)
