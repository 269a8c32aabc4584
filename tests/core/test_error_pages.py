"""What a visitor sees when a page is refused or breaks: the site's own page, in their language,
with the site header and a way home — never Django's technical pages with every URL pattern."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import path

from chuangfu import urls as project_urls
from tests.access_walk import admit_test_pages


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("t/forbidden", forbidden, name="t_forbidden"),
    path("t/broken", broken, name="t_broken"),
    *project_urls.urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture(autouse=True)
def _rows(monkeypatch):
    admit_test_pages(monkeypatch, "t_forbidden", "t_broken")


@pytest.mark.parametrize(
    "url, status, chinese, english",
    [
        ("/no/such/page/", 404, "页面不存在", "Page not found"),
        ("/t/forbidden", 403, "无权访问", "Access denied"),
        ("/t/broken", 500, "系统出错", "Server error"),
    ],
)
def test_error_pages_are_friendly_in_both_languages(client, settings, url, status, chinese, english):
    settings.DEBUG = False
    client.raise_request_exception = False
    for language, heading, home in (("zh-hans", chinese, "回到首页"), ("en", english, "Back to the home page")):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        page = response.content.decode()
        assert response.status_code == status
        assert f'<h1 class="h3 mb-3">{heading}</h1>' in page and home in page and 'href="/"' in page
        assert 'class="navbar' in page  # the site header
        assert "URLconf" not in page and "Traceback" not in page and "boom" not in page


def test_an_out_of_scope_record_is_the_same_friendly_404(client, settings):
    from chuangfu.core.models import Role
    from tests import factories

    settings.DEBUG = False
    client.force_login(factories.user(role=Role.DESK_STAFF, jurisdiction=factories.town()))
    response = client.get("/desk/tickets/999999/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
