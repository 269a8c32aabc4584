"""The front door: every public section is reachable from ``/``, on a phone too, and staff reach their work."""

import pytest
from django.urls import reverse

from chuangfu.core.models import Role
from tests import factories

from . import builders

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_lands_on_the_public_home_with_every_section_linked(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200 and "唐镇特色创业型社区" in html
    for name in ("policy:list", "policy:self_check", "service:submit", "events:list", "subsidies:mine",
                 "public_notices:list", "portal:cases", "portal:articles", "portal:figures", "portal:catalogue"):  # fmt: skip
        assert f'href="{reverse(name)}"' in html, name
    assert reverse("login") in html
    assert 'class="navbar-toggler"' in html  # the phone menu holds the same entries (Bootstrap collapse)


def test_signed_in_staff_reach_their_work_in_one_click(client):
    client.force_login(factories.user(role=Role.DESK_STAFF))
    html = client.get("/").content.decode()
    assert f'href="{reverse("home")}"' in html and "我的工作" in html
    assert client.get(reverse("home")).status_code == 200


def test_an_entrepreneur_checks_policies_on_their_own_data_from_the_home_page(client):
    client.force_login(factories.user(role=Role.ENTREPRENEUR))
    html = client.get("/").content.decode()
    assert reverse("policy:self_check_mine", args=["person"]) in html


def test_the_home_page_shows_published_items_only(client):
    builders.case(status="published", title="已发布的典型")
    builders.case(status="in_review", title="审核中的典型")
    builders.article(status="published", title="已发布的新闻")
    builders.article(status="draft", title="草稿新闻")
    html = client.get("/").content.decode()
    assert "已发布的典型" in html and "已发布的新闻" in html
    assert "审核中的典型" not in html and "草稿新闻" not in html


def test_the_large_text_mode_is_kept_and_can_be_turned_off(client):
    response = client.post(reverse("portal:elder_mode"), {"next": "/news/"})
    assert response.status_code == 302 and response.url == "/news/"
    assert 'class="cf-elder"' in client.get("/").content.decode()
    client.post(reverse("portal:elder_mode"), {"next": "https://evil.example/"})
    assert 'class="cf-elder"' not in client.get("/").content.decode()


def test_the_service_figures_page_publishes_the_desk_figures_by_month(client):
    html = client.get(reverse("portal:figures")).content.decode()
    assert "满意率" in html and "办结率" in html and "平均答复用时" in html
