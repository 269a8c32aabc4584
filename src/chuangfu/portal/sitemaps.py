"""The public site's sitemap (django.contrib.sitemaps), composed from the apps' public selectors:
the public pages, the policies in force, published model cases and articles (due ones only), the
carriers whose site the town publishes, and the published open datasets. Drafts, items in review,
withdrawn items and articles scheduled for later never appear: the same selectors decide as for
the pages.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from . import selectors

PUBLIC_PAGES = [
    "portal:home",
    "policy:list",
    "policy:self_check",
    "service:submit",
    "service:lookup",
    "events:list",
    "nearby:nearby",
    "nearby:directory",
    "public_notices:list",
    "progress:plans",
    "portal:cases",
    "portal:articles",
    "portal:figures",
    "portal:catalogue",
]


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return PUBLIC_PAGES

    def location(self, item):
        return reverse(item)

    def priority(self, item):
        return 1.0 if item == "portal:home" else 0.8


class PoliciesSitemap(Sitemap):
    """Policies with a published version in force today."""

    changefreq = "weekly"

    def items(self):
        from chuangfu.policies.selectors import versions_in_force

        versions = {}
        for version in versions_in_force(timezone.localdate()):
            versions.setdefault(version.policy_id, version)
        return list(versions.values())

    def location(self, version):
        return reverse("policy:detail", args=[version.policy_id])

    def lastmod(self, version):
        return version.published_at


class CasesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return selectors.public_cases().order_by("pk")

    def location(self, case):
        return reverse("portal:case", args=[case.pk])

    def lastmod(self, case):
        return case.updated_at


class ArticlesSitemap(CasesSitemap):
    def items(self):
        return selectors.public_articles().order_by("pk")

    def location(self, article):
        return reverse("portal:article", args=[article.pk])


class CarriersSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        from chuangfu.ecosystem.selectors import public_carriers

        return public_carriers().order_by("pk")

    def location(self, carrier):
        return reverse("nearby:carrier", args=[carrier.pk])


class DatasetsSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return selectors.public_datasets().order_by("pk")

    def location(self, dataset):
        return reverse("portal:dataset", args=[dataset.name])

    def lastmod(self, dataset):
        return dataset.updated_at


SITEMAPS = {
    "pages": PagesSitemap,
    "policies": PoliciesSitemap,
    "cases": CasesSitemap,
    "articles": ArticlesSitemap,
    "carriers": CarriersSitemap,
    "datasets": DatasetsSitemap,
}
