"""The published service figures: computed by the queue into one snapshot, read by pages."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from huey.contrib.djhuey import HUEY

from chuangfu.desk import services as desk
from chuangfu.desk.models import Category
from chuangfu.portal import figures
from chuangfu.portal.models import FiguresSnapshot
from chuangfu.portal.tasks import refresh_service_figures
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.delete(figures.CACHE_KEY)
    yield
    cache.delete(figures.CACHE_KEY)


def _submit():
    town = factories.town()
    desk.ticket_submit_public(
        jurisdiction=town,
        category=Category.objects.get(jurisdiction=town, name="政策咨询"),
        description="想了解一次性创业补贴的申请条件。",
        requester_name="李娜",
        requester_mobile="13912345678",
    )


def test_the_first_page_without_a_snapshot_computes_it_once_and_later_pages_only_read_it(client, monkeypatch):
    _submit()
    assert not FiguresSnapshot.objects.exists()
    html = client.get(reverse("portal:figures")).content.decode()
    assert FiguresSnapshot.objects.count() == 1 and "0.0" in html  # one ticket received, none closed yet
    cache.delete(figures.CACHE_KEY)

    def never(*args, **kwargs):
        raise AssertionError("a page computed the figures")

    monkeypatch.setattr(figures, "_compute", never)
    assert client.get(reverse("portal:figures")).status_code == 200
    assert client.get(reverse("portal:home")).status_code == 200


def test_the_queue_recomputes_them_and_pages_show_the_new_figures(client):
    refresh_service_figures.call_local()
    assert FiguresSnapshot.objects.get().data["rows"] == []  # no ticket yet
    assert "0.0" not in client.get(reverse("portal:figures")).content.decode()
    _submit()
    refresh_service_figures.call_local()
    snapshot = FiguresSnapshot.objects.get()
    assert snapshot.data["total"][snapshot.data["codes"].index("closure_rate")] == 0.0
    assert "0.0" in client.get(reverse("portal:figures")).content.decode()


def test_the_refresh_runs_every_ten_minutes_on_the_queue():
    task = next(t for t in HUEY._registry._periodic_tasks if t.__name__ == "refresh_service_figures")()
    minutes = [m for m in range(60) if task.validate_datetime(datetime.datetime(2026, 12, 7, 9, m))]
    assert minutes == [0, 10, 20, 30, 40, 50]
