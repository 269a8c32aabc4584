"""Navigation by role: each role sees its own entries, every entry it sees opens, and the
"my work" home renders for everyone."""

import pytest
from django.urls import NoReverseMatch, reverse

from chuangfu.core.context_processors import NAVIGATION
from chuangfu.core.models import Role, User
from chuangfu.core.roles import page_allowed
from tests import factories

pytestmark = pytest.mark.django_db


def expected_urls(role) -> list[str]:
    """The entries a role is given, among those the role table admits it to (no link to a 403)."""
    urls = []
    account = User(role=role)
    for item in NAVIGATION:
        if role in item.roles and page_allowed(account, item.url_name):
            try:
                urls.append(reverse(item.url_name))
            except NoReverseMatch:
                continue
    return urls


def staff_only_urls() -> set[str]:
    return set(expected_urls(Role.ADMIN) + expected_urls(Role.LEADER) + expected_urls(Role.DESK_STAFF)) - set(
        expected_urls(Role.ENTREPRENEUR)
    )


def signed_in(client, role):
    user = factories.user(role=role, unit_=factories.unit() if role == Role.UNIT_LIAISON else None)
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", Role.values)
def test_my_work_home_renders_with_the_roles_own_navigation(client, role):
    signed_in(client, role)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    shown = [item["url"] for item in response.context["nav_items"]]
    assert shown == expected_urls(role)
    assert reverse("home") in shown


def test_entrepreneur_sees_no_staff_entries(client):
    signed_in(client, Role.ENTREPRENEUR)
    page = client.get(reverse("home")).content.decode()
    staff_urls = staff_only_urls()
    assert staff_urls, "the staff console has entries"
    for url in staff_urls:
        assert f'href="{url}"' not in page
    assert "修改密码" in page and "退出" in page


def test_staff_roles_see_their_registry_entries(client):
    signed_in(client, Role.DESK_STAFF)
    page = client.get(reverse("home")).content.decode()
    for label in ("人员", "企业", "载体", "创业导师"):
        assert f">{label}</a>" in page
    assert ">审计日志</a>" not in page

    client.logout()
    signed_in(client, Role.LEADER)
    page = client.get(reverse("home")).content.decode()
    assert ">审计日志</a>" in page and ">批量导入</a>" not in page


@pytest.mark.parametrize("role", Role.values)
def test_every_entry_a_role_sees_opens_for_that_role(client, role):
    signed_in(client, role)
    for url in expected_urls(role):
        response = client.get(url)
        assert response.status_code == 200, (role, url, response.status_code)


def test_anonymous_visitor_is_sent_to_login_and_sees_no_navigation(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    page = client.get(reverse("login"))
    assert page.context["nav_items"] == []


def test_an_entrepreneurs_home_is_their_page_not_their_work(client):
    signed_in(client, Role.ENTREPRENEUR)
    page = client.get(reverse("home")).content.decode()
    assert "<title>我的主页 · 创服</title>" in page and ">我的主页</a>" in page and "我的工作" not in page
    client.logout()
    signed_in(client, Role.DESK_STAFF)
    page = client.get(reverse("home")).content.decode()
    assert "<title>我的工作 · 创服</title>" in page and ">我的工作</a>" in page
