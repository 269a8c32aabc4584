"""/healthz: what an operator's monitor sees."""

import datetime
from unittest import mock

import pytest
from django.db import OperationalError, connection

from chuangfu.core.models import CalendarYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_november_2026(monkeypatch):
    """The day the holidays of next year are usually still unknown."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2026, 11, 20))


def test_healthy_platform_reports_database_and_queue_ok(client, late_november_2026):
    CalendarYear.objects.get_or_create(year=2027, defaults={"source": CalendarYear.Source.ADMIN})
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "vendor": connection.vendor}
    assert body["queue"]["ok"] is True and body["queue"]["backend"] in ("SqliteHuey", "RedisHuey")
    assert isinstance(body["queue"]["pending"], int)
    assert body["calendar"] == {"ok": True, "uncovered_years": [], "warning": ""}
    assert response["Cache-Control"].startswith("max-age=0")


def test_uncovered_2027_is_a_warning_not_a_failure(client, late_november_2026):
    CalendarYear.objects.filter(year=2027).delete()
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "warning"
    assert body["calendar"]["ok"] is False
    assert body["calendar"]["uncovered_years"] == [2027]
    assert "2027 年节假日安排未录入" in body["calendar"]["warning"]


def test_warning_clears_once_an_admin_enters_the_year(client, late_november_2026):
    CalendarYear.objects.filter(year=2027).delete()
    assert client.get("/healthz").json()["status"] == "warning"
    CalendarYear.objects.create(year=2027, source=CalendarYear.Source.ADMIN, note="国办发明电〔2026〕X号")
    assert client.get("/healthz").json()["status"] == "ok"


def test_database_failure_answers_503_with_the_reason(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("unable to open database file")):
        response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["database"]["ok"] is False
    assert "unable to open database file" in body["database"]["error"]
    assert "calendar" not in body  # not guessed when the table cannot be read


def test_queue_failure_answers_503(client, _huey_immediate):
    with mock.patch.object(_huey_immediate, "pending_count", side_effect=ConnectionError("redis down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue"] == {"ok": False, "backend": type(_huey_immediate).__name__, "error": "redis down"}
