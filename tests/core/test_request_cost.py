"""What every signed-in page costs before its own work: the session and the account are read with one
statement each, the menu and the base template with one more (the unread count), however many entries
the menu has; and the plain reads answer as Django's own did (an expired session, a deactivated
account or a changed password sign the visitor out)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone

from chuangfu import urls as project_urls
from chuangfu.core.models import Notification, Role
from tests import factories
from tests.access_walk import admit_test_pages


def chrome_only(request):
    """A page with nothing of its own: what is left is what every page pays."""
    return render(request, "core/test_chrome_only.html")


urlpatterns = [path("t/chrome", chrome_only, name="t_chrome"), *project_urls.urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture(autouse=True)
def _rows(monkeypatch, settings, tmp_path):
    admit_test_pages(monkeypatch, "t_chrome")
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "test_chrome_only.html").write_text(
        '{% extends "base.html" %}{% block title %}空白{% endblock %}{% block content %}<p>空白页</p>{% endblock %}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]


@pytest.mark.parametrize("role", [Role.LEADER, Role.ADMIN, Role.DESK_STAFF, Role.ENTREPRENEUR])
def test_a_signed_in_page_reads_session_account_and_unread_count_once_each(client, role, django_assert_num_queries):
    user = factories.user(role=role)
    for i in range(5):
        Notification.objects.create(recipient=user, title=f"通知{i}", body="")
    client.force_login(user)
    client.get("/t/chrome")  # the first request after signing in pushes the session's expiry forward (a write)
    # session, account, unread count: three statements whatever the role and however long its menu
    with django_assert_num_queries(3):
        page = client.get("/t/chrome").content.decode()
    assert "空白页" in page and '<span class="badge bg-danger">5</span>' in page
    assert f'href="{reverse("home")}"' in page  # the menu is there
    assert str(user) in page


def test_the_menu_marks_the_page_it_belongs_to_and_changes_language(client):
    client.force_login(factories.user(role=Role.LEADER))
    page = client.get(reverse("governance:ledger")).content.decode()
    ledger = reverse("governance:ledger")
    assert f'<a class="nav-link active" href="{ledger}">工作台账</a>' in page
    assert f'<a class="nav-link" href="{reverse("home")}">我的工作</a>' in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("governance:ledger"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<a class="nav-link" href="{reverse("home")}">My work</a>' in page
    assert "我的工作" not in page


def test_an_expired_session_signs_the_visitor_out(client):
    client.force_login(factories.user(role=Role.LEADER))
    assert client.get("/t/chrome").context["user"].is_authenticated
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert not client.get("/t/chrome").context["user"].is_authenticated


def test_a_deactivated_account_or_a_changed_password_signs_the_visitor_out(client):
    user = factories.user(role=Role.LEADER)
    client.force_login(user)
    assert client.get("/t/chrome").context["user"] == user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not client.get("/t/chrome").context["user"].is_authenticated

    other = factories.user(role=Role.LEADER)
    client.force_login(other)
    assert client.get("/t/chrome").context["user"] == other
    other.set_password("Another-2026-password")
    other.save(update_fields=["password"])
    assert not client.get("/t/chrome").context["user"].is_authenticated


def test_an_unknown_or_malformed_session_cookie_is_anonymous(client):
    client.cookies["sessionid"] = "x" * 32
    assert not client.get("/t/chrome").context["user"].is_authenticated
    client.cookies["sessionid"] = "short"
    assert not client.get("/t/chrome").context["user"].is_authenticated
