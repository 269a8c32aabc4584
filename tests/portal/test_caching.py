"""The front door and the policy list keep their blocks in the cache under the public version
(core.public_cache): what is published shows at once, in either language, and nothing else
makes them read the database again."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangfu.core import public_cache
from chuangfu.core.models import Role
from chuangfu.portal import services
from chuangfu.portal.models import Article
from tests import factories
from tests.policies.conftest import make_policy

from . import builders

pytestmark = pytest.mark.django_db


def test_publishing_an_article_shows_on_the_home_page_at_once(client):
    article = builders.article(status="in_review", title="刚刚发布的新闻")
    assert "刚刚发布的新闻" not in client.get("/").content.decode()  # the blocks are cached now
    services.article_transition(actor=builders.publisher(), article=article, name="publish")
    assert "刚刚发布的新闻" in client.get("/").content.decode()


def test_withdrawing_a_case_takes_it_off_the_home_page_at_once(client):
    case = builders.case(status="published", title="将被撤回的典型")
    assert "将被撤回的典型" in client.get("/").content.decode()
    services.case_transition(actor=builders.publisher(), case=case, name="withdraw", note="当事人要求")
    assert "将被撤回的典型" not in client.get("/").content.decode()


def test_a_cached_home_page_reads_only_the_version_until_it_is_bumped(client):
    builders.article(status="published", title="原来的标题")
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert "原来的标题" in html
    assert [q["sql"] for q in queries.captured_queries if "portal_article" in q["sql"]] == []
    assert any("core_publicversion" in q["sql"] for q in queries.captured_queries)
    # A change no save announces (as another process's bulk update would be) stays unseen until
    # the version in the database moves: it is the version, not this process's memory, that decides.
    Article.objects.update(title="改过的标题")
    assert "原来的标题" in client.get("/").content.decode()
    public_cache.bump()
    html = client.get("/").content.decode()
    assert "改过的标题" in html and "原来的标题" not in html


def test_the_cached_blocks_follow_the_readers_language(client):
    assert "近期活动" in client.get("/").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Coming activities" in english and "近期活动" not in english


def test_a_policy_published_shows_on_the_policy_list_at_once(client):
    make_policy(code="first", title="第一项政策")
    assert "第一项政策" in client.get(reverse("policy:list")).content.decode()
    make_policy(code="second", title="第二项政策")
    html = client.get(reverse("policy:list")).content.decode()
    assert "第一项政策" in html and "第二项政策" in html


def test_the_policy_list_caches_each_search_on_its_own(client):
    make_policy(code="loan", title="创业担保贷款", level="city")
    make_policy(code="grant", title="一次性创业补贴", level="town")
    url = reverse("policy:list")
    assert "一次性创业补贴" in client.get(url).content.decode()
    city = client.get(url, {"level": "city"}).content.decode()
    assert "创业担保贷款" in city and "一次性创业补贴" not in city
    assert "一次性创业补贴" in client.get(url).content.decode()


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_an_anonymous_visitor_gets_the_whole_page_from_the_cache_with_a_csrf_token_of_their_own():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token = CSRF.search(first.get("/").content.decode()).group(1)
    with CaptureQueriesContext(connection) as queries:
        html = second.get("/").content.decode()
    assert [q["sql"] for q in queries.captured_queries if "core_publicversion" not in q["sql"]] == []
    tokens = set(CSRF.findall(html))
    assert len(tokens) == 1 and first_token not in tokens and f'"X-CSRFToken": "{first_token}"' not in html
    # the token is the second visitor's: the header's large-text button posts with it
    response = second.post(reverse("portal:elder_mode"), {"csrfmiddlewaretoken": tokens.pop(), "next": "/"})
    assert response.status_code == 302
    assert 'class="cf-elder"' in second.get("/").content.decode()  # a page of its own for the large-text mode
    assert 'class="cf-elder"' not in first.get("/").content.decode()


def test_signed_in_users_get_their_own_page_not_the_anonymous_copy(client):
    anonymous = client.get("/").content.decode()
    assert f'href="{reverse("home")}"' not in anonymous
    client.force_login(factories.user(role=Role.DESK_STAFF))
    mine = client.get("/").content.decode()
    assert f'href="{reverse("home")}"' in mine and "我的工作" in mine
