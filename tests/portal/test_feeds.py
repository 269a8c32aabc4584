"""The news feeds (RSS, Atom) and the sitemap carry what the public may see, and nothing else:
drafts, items in review, withdrawn items and articles scheduled for later appear in no page, feed,
sitemap or (for datasets) the CKAN catalogue API."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangfu.core.models import Role
from chuangfu.ecosystem.models import CarrierSite
from chuangfu.portal import services
from chuangfu.registry.models import Carrier, CarrierKind
from tests import factories
from tests.policies.conftest import make_policy

from . import builders
from .test_opendata import dataset

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def rss_items(client, **headers) -> dict[str, str]:
    response = client.get(reverse("portal:feed_rss"), **headers)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return {item.findtext("title"): item.findtext("link") for item in channel.iter("item")}


def atom_entries(client) -> dict[str, str]:
    response = client.get(reverse("portal:feed_atom"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return {e.findtext(f"{ATOM}title"): e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")}


def sitemap_paths(client) -> set[str]:
    response = client.get(reverse("portal:sitemap"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {loc.text.removeprefix("http://testserver") for loc in root.iter(f"{SITEMAP}loc")}


@pytest.fixture
def publicity():
    """One item of every state a case or an article can be in, each with a title of its own."""
    later = timezone.now() + datetime.timedelta(hours=3)
    return {
        "public": [
            builders.case(status="published", title="已发布的典型"),
            builders.article(status="published", title="已发布的新闻"),
        ],
        "hidden": [
            builders.case(status="draft", title="草稿典型"),
            builders.case(status="in_review", title="审核中的典型"),
            builders.case(status="withdrawn", title="撤回的典型"),
            builders.article(status="draft", title="草稿新闻"),
            builders.article(status="in_review", title="审核中的新闻"),
            builders.article(status="withdrawn", title="撤回的新闻"),
            builders.article(status="published", publish_at=later, title="明天发布的新闻"),
        ],
    }


def _path(item) -> str:
    return reverse("portal:case" if item.__class__.__name__ == "Case" else "portal:article", args=[item.pk])


def test_feeds_and_sitemap_carry_published_items_and_never_hidden_ones(client, publicity):
    rss, atom, paths = rss_items(client), atom_entries(client), sitemap_paths(client)
    for item in publicity["public"]:
        assert rss[item.title].endswith(_path(item)) and atom[item.title].endswith(_path(item)), item.title
        assert _path(item) in paths
    for item in publicity["hidden"]:
        assert item.title not in rss and item.title not in atom, item.title
        assert _path(item) not in paths, item.title


def test_hidden_items_appear_in_no_public_page(client, publicity):
    pages = "".join(
        client.get(reverse(name)).content.decode() for name in ("portal:home", "portal:cases", "portal:articles")
    )
    assert all(item.title in pages for item in publicity["public"])
    for item in publicity["hidden"]:
        assert item.title not in pages, item.title
        expected = 410 if item.status == "withdrawn" else 404  # a withdrawn item's page says so, nothing more
        response = client.get(_path(item))
        assert response.status_code == expected and "三年带动" not in response.content.decode()


def test_withdrawing_takes_an_article_out_of_the_feed_and_the_sitemap_at_once(client):
    article = builders.article(status="published", title="将被撤回的新闻")
    assert article.title in rss_items(client) and _path(article) in sitemap_paths(client)
    services.article_transition(actor=builders.publisher(), article=article, name="withdraw", note="信息有误")
    assert article.title not in rss_items(client) and article.title not in atom_entries(client)
    assert _path(article) not in sitemap_paths(client)


def test_a_scheduled_article_enters_the_feed_when_its_time_comes(client):
    article = builders.article(status="published", publish_at=timezone.now() + datetime.timedelta(hours=1))
    assert article.title not in rss_items(client)
    article.__class__.objects.filter(pk=article.pk).update(published_at=timezone.now() - datetime.timedelta(minutes=1))
    assert article.title in rss_items(client) and _path(article) in sitemap_paths(client)


def test_the_sitemap_lists_public_pages_policies_in_force_and_published_carriers(client):
    today = timezone.localdate()
    in_force = make_policy(code="in-force", title="有效政策")
    expired = make_policy(code="expired", effective_to=today - datetime.timedelta(days=1))
    future = make_policy(code="future", effective_from=today + datetime.timedelta(days=30))
    draft = make_policy(code="draft-policy", status="draft")
    town = factories.town()
    shown = Carrier.objects.create(kind=CarrierKind.INCUBATOR, name="公开的孵化器", jurisdiction=town)
    CarrierSite.objects.create(carrier=shown, latitude=31.21, longitude=121.65)
    unpublished = Carrier.objects.create(kind=CarrierKind.PARK, name="筹建中的园区", jurisdiction=town)
    CarrierSite.objects.create(carrier=unpublished, latitude=31.21, longitude=121.65, published=False)
    open_set, closed_set = dataset(name="open-set"), dataset(published=False, name="closed-set")

    paths = sitemap_paths(client)
    for name in ("portal:home", "policy:list", "service:submit", "events:list", "nearby:directory", "portal:catalogue"):
        assert reverse(name) in paths, name
    assert reverse("policy:detail", args=[in_force.pk]) in paths
    for policy in (expired, future, draft):
        assert reverse("policy:detail", args=[policy.pk]) not in paths, policy.code
    assert reverse("nearby:carrier", args=[shown.pk]) in paths
    assert reverse("nearby:carrier", args=[unpublished.pk]) not in paths
    assert reverse("portal:dataset", args=[open_set.name]) in paths
    assert reverse("portal:dataset", args=[closed_set.name]) not in paths


def test_a_dataset_taken_back_from_publication_leaves_the_ckan_api_and_the_catalogue(client):
    kept = dataset(name="open-set")
    api = reverse("ckan_action", args=["package_list"])
    assert client.get(api).json()["result"] == ["open-set"]
    services.dataset_save(
        actor=factories.user(role=Role.ADMIN), dataset=kept, data={"source": kept.source, "published": False}
    )
    assert client.get(api).json()["result"] == []
    assert client.get(reverse("ckan_action", args=["package_show"]), {"id": "open-set"}).status_code == 404
    search = client.get(reverse("ckan_action", args=["package_search"]), {"q": "open-set"}).json()["result"]
    assert search["count"] == 0
    assert "open-set" not in client.get(reverse("portal:dcat")).content.decode()
    assert reverse("portal:dataset", args=["open-set"]) not in sitemap_paths(client)


def test_public_pages_announce_the_feeds_in_their_head(client):
    for url in (reverse("portal:home"), reverse("policy:list"), reverse("portal:articles")):
        head = client.get(url).content.decode().split("</head>")[0]
        assert '<link rel="alternate" type="application/rss+xml"' in head, url
        assert f'href="{reverse("portal:feed_rss")}"' in head and f'href="{reverse("portal:feed_atom")}"' in head


def test_the_feed_speaks_the_readers_language(client):
    builders.article(status="published", title="唐镇新闻")
    response = client.get(reverse("portal:feed_rss"), HTTP_ACCEPT_LANGUAGE="en")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "Tangzhen entrepreneurship community · news and model cases"
    assert channel.find("item").findtext("category") == "News"
