"""The portal's news feed (RSS 2.0 and Atom): published articles and model cases, newest first.

Items come from the same public selectors as the pages (published and due: never a draft, an item
in review, a withdrawn one or an article scheduled for later), so a feed reader sees what a visitor
sees. Texts are plain: the summary, never the rich body.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Case

ITEMS = 30


class PublicityFeed(Feed):
    title = _("唐镇特色创业型社区 · 新闻动态与创业典型")
    description = _("唐镇特色创业型社区发布的新闻、政策解读、活动回顾和创业典型。")
    link = reverse_lazy("portal:articles")
    feed_url = reverse_lazy("portal:feed_rss")

    def items(self):
        articles = list(selectors.public_articles()[:ITEMS])
        cases = list(selectors.public_cases()[:ITEMS])
        return sorted(articles + cases, key=lambda item: item.published_at, reverse=True)[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        name = "portal:case" if isinstance(item, Case) else "portal:article"
        return reverse(name, args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.get_theme_display() if isinstance(item, Case) else item.get_kind_display()]

    def item_author_name(self, item):
        return str(item.jurisdiction)


class PublicityAtomFeed(PublicityFeed):
    feed_type = Atom1Feed
    subtitle = PublicityFeed.description
    feed_url = reverse_lazy("portal:feed_atom")
