"""The activities API: public list, staff scope, transitions, registrations and check-in."""

import datetime

import pytest

from chuangfu.activities.models import ActivityStatus
from chuangfu.core.models import Role
from tests import factories

from . import builders

pytestmark = pytest.mark.django_db
ZHANGJIANG = "310115125"


@pytest.fixture
def staff(client):
    user = builders.manager()
    client.force_login(user)
    return user


def test_public_list_needs_no_login_and_hides_drafts(client):
    builders.activity(title="公开的活动")
    builders.activity(title="草稿", status=ActivityStatus.DRAFT)
    response = client.get("/api/activities/public")
    assert response.status_code == 200
    assert [a["title"] for a in response.json()] == ["公开的活动"]


def test_staff_endpoints_need_a_login(client):
    act = builders.activity()
    assert client.get("/api/activities/").status_code == 401
    assert client.get(f"/api/activities/{act.pk}").status_code == 401


def test_another_towns_activity_is_404_on_every_endpoint(client, staff):
    other = builders.activity(jurisdiction=factories.town(ZHANGJIANG))
    registration = builders.register(other)
    for method, url, body in [
        ("get", f"/api/activities/{other.pk}", None),
        ("get", f"/api/activities/{other.pk}/registrations", None),
        ("post", f"/api/activities/{other.pk}/transitions/cancel", {"note": "x"}),
        ("post", f"/api/activities/{other.pk}/checkin", {"token": registration.qr_token}),
    ]:
        response = getattr(client, method)(url, body, content_type="application/json") if body else client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    assert client.get("/api/activities/").json()["items"] == []
    other.refresh_from_db()
    assert other.status == ActivityStatus.REGISTRATION_OPEN


def test_entrepreneur_is_refused_the_staff_activities(client):
    act = builders.activity()
    client.force_login(factories.user(role=Role.ENTREPRENEUR))
    assert client.get("/api/activities/").status_code == 403
    assert client.get(f"/api/activities/{act.pk}").status_code == 403


def test_detail_lists_figures_and_the_transitions_the_caller_may_fire(client, staff):
    act = builders.activity(actor=staff, capacity=1)
    builders.register(act), builders.register(act)
    data = client.get(f"/api/activities/{act.pk}").json()
    assert data["figures"]["confirmed"] == 1 and data["figures"]["waitlisted"] == 1
    assert set(data["transitions"]) == {"close_registration", "start", "cancel"}
    regs = client.get(f"/api/activities/{act.pk}/registrations").json()
    assert [r["status"] for r in regs] == ["confirmed", "waitlisted"] and regs[1]["waitlist_rank"] == 1
    assert all("****" in r["mobile"] for r in regs)


def test_transition_refusal_is_a_409_with_a_chinese_message(client, staff):
    act = builders.activity(actor=staff)
    response = client.post(
        f"/api/activities/{act.pk}/transitions/finish", {"note": ""}, content_type="application/json"
    )
    assert response.status_code == 409 and "当前状态为“报名中”" in response.json()["message"]
    response = client.post(
        f"/api/activities/{act.pk}/transitions/cancel", {"note": "场地变更"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_checkin_by_token_once_then_already(client, staff):
    act = builders.activity(actor=staff, starts_in=datetime.timedelta(hours=1))
    registration = builders.register(act)
    first = client.post(
        f"/api/activities/{act.pk}/checkin", {"token": registration.qr_token}, content_type="application/json"
    )
    again = client.post(
        f"/api/activities/{act.pk}/checkin", {"token": registration.qr_token}, content_type="application/json"
    )
    assert first.json()["already"] is False and again.json()["already"] is True
    assert first.json()["checked_in_at"] == again.json()["checked_in_at"]
    forged = client.post(f"/api/activities/{act.pk}/checkin", {"token": "nope"}, content_type="application/json")
    assert forged.status_code == 404 and forged.json()["code"] == "token_unknown"


def test_figures_endpoint_groups_by_type(client, staff):
    builders.activity(actor=staff, type_code="training")
    rows = client.get("/api/activities/figures", {"by": "type"}).json()
    assert rows[0]["label"] == "创业培训" and rows[0]["activities"] == 1
