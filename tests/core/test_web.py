"""core.web: a refused request reaches the user the same way from every page."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.urls import path

from chuangfu import urls as project_urls
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.web import errors_on, refused_with
from tests.access_walk import admit_test_pages


class NameForm(forms.Form):
    name = forms.CharField()


def missing(request):
    raise NotFound()


def refused(request):
    raise DomainError("closed", "报名已截止。", status=409)


def form_page(request):
    form = NameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as refusal:
            if form.cleaned_data["name"] == "taken":
                raise DomainError("taken", "名称已被使用。", details={"field": "name"})
            if form.cleaned_data["name"] == "gone":
                raise NotFound()
            return HttpResponse("saved")
        return HttpResponse(f"{refusal.code}:{form.errors.as_json()}", status=refusal.status)
    return HttpResponse("form")


def _panel(request, exc):
    return HttpResponse(f"panel:{exc.message}")


@refused_with(_panel)
def panel(request):
    raise DomainError("full", "名额已满。")


urlpatterns = [
    path("t/missing", missing, name="t_missing"),
    path("t/refused", refused, name="t_refused"),
    path("t/form", form_page, name="t_form"),
    path("t/panel", panel, name="t_panel"),
    *project_urls.urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture(autouse=True)
def _rows(monkeypatch):
    admit_test_pages(monkeypatch, "t_missing", "t_refused", "t_form", "t_panel")


def test_not_found_from_a_view_is_a_404(client):
    assert client.get("/t/missing").status_code == 404


def test_a_refused_form_post_goes_back_to_its_page_with_the_message(client):
    response = client.post("/t/refused", HTTP_REFERER="http://testserver/events/1")
    assert response.status_code == 302 and response["Location"] == "http://testserver/events/1"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["报名已截止。"]


def test_a_refusal_never_redirects_to_another_site(client):
    response = client.post("/t/refused", HTTP_REFERER="https://evil.example/")
    assert response.status_code == 409
    assert "报名已截止。" in response.content.decode()


def test_a_refused_get_shows_the_refused_page_with_the_errors_status(client):
    response = client.get("/t/refused")
    assert response.status_code == 409
    body = response.content.decode()
    assert "报名已截止。" in body and "无法办理" in body and 'href="/"' in body


def test_htmx_gets_the_refusal_as_its_fragment(client):
    response = client.post("/t/refused", HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps only 2xx answers
    body = response.content.decode()
    assert "报名已截止。" in body and "<html" not in body


def test_errors_on_puts_the_refusal_on_the_field_it_names(client):
    response = client.post("/t/form", {"name": "taken"})
    assert response.status_code == 400
    body = response.content.decode()
    assert body.startswith("taken:") and '"name"' in body and "\\u540d\\u79f0" in body  # 名称


def test_errors_on_leaves_not_found_a_404(client):
    assert client.post("/t/form", {"name": "gone"}).status_code == 404
    assert client.post("/t/form", {"name": "ok"}).content == b"saved"


def test_refused_with_answers_with_the_views_own_panel(client):
    response = client.post("/t/panel")
    assert response.content.decode() == "panel:名额已满。"


def test_the_refused_page_is_in_english_for_english_users(client):
    response = client.get("/t/refused", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "Cannot be done" in body and "Back to the home page" in body
