"""Figures and 定性 evidence the indicators app reads from the portal (see ``chuangfu.indicators.sources``)."""

from django.db.models import Sum
from django.utils import timezone

from chuangfu.core.days import on_days
from chuangfu.core.scoping import within

from .models import Article, Campaign, Case, MediaCoverage, Publication


def case_rows(jurisdiction, period):
    return Case.objects.filter(
        within(jurisdiction),
        on_days("published_at", period.start, min(period.end, timezone.localdate())),
        status=Publication.PUBLISHED,
    )


def article_rows(jurisdiction, period):
    return Article.objects.filter(
        within(jurisdiction),
        on_days("published_at", period.start, period.end),
        status=Publication.PUBLISHED,
        published_at__lte=timezone.now(),
    )


def coverage_rows(jurisdiction, period):
    return MediaCoverage.objects.filter(
        within(jurisdiction), published_on__gte=period.start, published_on__lte=period.end
    )


def campaign_rows(jurisdiction, period):
    return Campaign.objects.filter(within(jurisdiction), starts_on__gte=period.start, starts_on__lte=period.end)


def cases_published(jurisdiction, period) -> int:
    """Model cases (创业典型) published in the period and still published."""
    return case_rows(jurisdiction, period).count()


def articles_published(jurisdiction, period) -> int:
    """News and articles published in the period and still published."""
    return article_rows(jurisdiction, period).count()


def media_coverage(jurisdiction, period) -> int:
    """Media reports about the community in the period."""
    return coverage_rows(jurisdiction, period).count()


def campaign_reach(jurisdiction, period) -> int:
    """People reached by the town's publicity campaigns started in the period."""
    return campaign_rows(jurisdiction, period).aggregate(n=Sum("reach"))["n"] or 0


def _models(jurisdiction, period):
    return [(c.published_at.date(), c.title, str(c.get_theme_display())) for c in case_rows(jurisdiction, period)]


def _brand(jurisdiction, period):
    return [(a.published_at.date(), a.title, str(a.get_kind_display())) for a in article_rows(jurisdiction, period)]


def _atmosphere(jurisdiction, period):
    coverage = [
        (m.published_on, f"{m.outlet}：{m.title}", str(m.get_kind_display()))
        for m in coverage_rows(jurisdiction, period)
    ]
    campaigns = [(c.starts_on, c.title, c.channel) for c in campaign_rows(jurisdiction, period)]
    return coverage + campaigns


SOURCES = {
    "portal.cases_published": cases_published,
    "portal.articles_published": articles_published,
    "portal.media_coverage": media_coverage,
    "portal.campaign_reach": campaign_reach,
}
ROWS = {
    "portal.cases_published": case_rows,
    "portal.articles_published": article_rows,
    "portal.media_coverage": coverage_rows,
}
EVIDENCE = {"models": _models, "brand": _brand, "atmosphere": _atmosphere}
