"""Reads of the portal. Public reads show only what is published and due (never a draft, an item
in review or an article scheduled for later); staff reads are scoped by the actor's jurisdiction.
The home page composes the other apps' public selectors; the portal owns none of their logic.
"""

from functools import cached_property

from django.db.models import Q, QuerySet
from django.utils import timezone

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scoping import scope_by_jurisdiction

from .models import Article, Campaign, Case, Dataset, MediaCoverage, Publication
from .workflows import EDITORS, PUBLISHERS

STAFF_ROLES = EDITORS | PUBLISHERS


def can_edit(actor) -> bool:
    return actor.is_authenticated and (actor.is_superuser or actor.role in EDITORS)


def can_publish(actor) -> bool:
    return actor.is_authenticated and (actor.is_superuser or actor.role in PUBLISHERS)


# --- public ------------------------------------------------------------------------------------


def _live(qs: QuerySet, now=None) -> QuerySet:
    return qs.filter(status=Publication.PUBLISHED, published_at__lte=now or timezone.now())


def public_cases(*, theme: str = "") -> QuerySet[Case]:
    qs = _live(Case.objects.select_related("jurisdiction", "person", "enterprise"))
    return qs.filter(theme=theme) if theme else qs


def get_public_case(pk) -> Case:
    """A published case, or a withdrawn one (its page says so: a link shared before must not just break)."""
    case = (
        Case.objects.select_related("jurisdiction", "person", "enterprise")
        .filter(Q(status=Publication.WITHDRAWN) | Q(status=Publication.PUBLISHED, published_at__lte=timezone.now()))
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise NotFound()
    return case


def public_articles(*, kind: str = "") -> QuerySet[Article]:
    qs = _live(Article.objects.select_related("jurisdiction"))
    return qs.filter(kind=kind) if kind else qs


def get_public_article(pk) -> Article:
    article = (
        Article.objects.select_related("jurisdiction")
        .filter(
            Q(status=Publication.PUBLISHED, published_at__lte=timezone.now())
            | Q(status=Publication.WITHDRAWN, published_at__lte=timezone.now())
        )
        .filter(pk=pk)
        .first()
    )
    if article is None:
        raise NotFound()
    return article


def public_coverage(limit: int = 10) -> QuerySet[MediaCoverage]:
    return MediaCoverage.objects.select_related("jurisdiction")[:limit]


def public_datasets(*, q: str = "") -> QuerySet[Dataset]:
    qs = Dataset.objects.filter(published=True).select_related("jurisdiction")
    for word in q.split()[:10]:
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word) | Q(name__icontains=word))
    return qs


def get_public_dataset(name: str) -> Dataset:
    dataset = Dataset.objects.filter(published=True, name=name).select_related("jurisdiction").first()
    if dataset is None:
        raise NotFound()
    return dataset


def publishers() -> list[Jurisdiction]:
    """The organisations of the open-data catalogue: the jurisdictions that publish a dataset."""
    return list(Jurisdiction.objects.filter(dataset__published=True).distinct().order_by("path"))


class HomeBlocks:
    """What the front door shows, composed from each app's public selectors. Each block is read
    when the page first uses it, so a page served from the fragment cache reads none of them."""

    @cached_property
    def activities(self) -> list:
        from chuangfu.activities.selectors import PublicFilters, public_activities

        return list(public_activities(PublicFilters())[:4])

    @cached_property
    def policies(self) -> list:
        from chuangfu.policies.selectors import policy_list

        return list(policy_list(public=True).order_by("-id")[:5])

    @cached_property
    def cases(self) -> list:
        return list(public_cases()[:3])

    @cached_property
    def articles(self) -> list:
        return list(public_articles()[:5])

    @cached_property
    def figures(self) -> dict:
        from . import figures

        return figures.headline()


# --- staff -------------------------------------------------------------------------------------


def _staff(qs: QuerySet, actor) -> QuerySet:
    if not (actor.is_superuser or actor.role in STAFF_ROLES):
        return qs.none()
    return scope_by_jurisdiction(qs, actor)


def cases_for(actor) -> QuerySet[Case]:
    return _staff(Case.objects.select_related("jurisdiction", "person", "enterprise"), actor)


def get_case_for(actor, pk) -> Case:
    case = cases_for(actor).filter(pk=pk).first()
    if case is None:
        raise NotFound()
    return case


def articles_for(actor) -> QuerySet[Article]:
    return _staff(Article.objects.select_related("jurisdiction"), actor)


def get_article_for(actor, pk) -> Article:
    article = articles_for(actor).filter(pk=pk).first()
    if article is None:
        raise NotFound()
    return article


def coverage_for(actor) -> QuerySet[MediaCoverage]:
    return _staff(MediaCoverage.objects.select_related("jurisdiction"), actor)


def campaigns_for(actor) -> QuerySet[Campaign]:
    return _staff(Campaign.objects.select_related("jurisdiction"), actor)


def datasets_for(actor) -> QuerySet[Dataset]:
    if not (actor.is_superuser or actor.role in PUBLISHERS):
        return Dataset.objects.none()
    return scope_by_jurisdiction(Dataset.objects.select_related("jurisdiction"), actor)


def get_dataset_for(actor, pk) -> Dataset:
    dataset = datasets_for(actor).filter(pk=pk).first()
    if dataset is None:
        raise NotFound()
    return dataset
