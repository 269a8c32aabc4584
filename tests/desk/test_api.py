"""The desk API: public create and status lookup without an account, staff endpoints with the
same rules as the pages, and scoping on every endpoint."""

import pytest

from chuangfu.core.models import Role
from chuangfu.desk import services
from chuangfu.desk.models import Category, Status, Ticket
from tests import factories

pytestmark = pytest.mark.django_db
API = "/api/desk"


def post(client, path, data, **extra):
    return client.post(API + path, data, content_type="application/json", **extra)


def public_body(cat, **overrides):
    body = {
        "town": cat.jurisdiction.code,
        "category": cat.pk,
        "description": "请问创业担保贷款怎么申请",
        "requester_name": "李娜",
        "requester_mobile": "13912340001",
    }
    body.update(overrides)
    return body


def test_the_schema_documents_every_desk_endpoint(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/public/tickets",
        "/public/status",
        "/public/categories",
        "/tickets",
        "/tickets/{ticket_id}",
        "/tickets/{ticket_id}/transitions",
        "/tickets/{ticket_id}/transitions/{name}",
    ):
        assert API + path in paths


def test_public_categories_of_a_town(client, town):
    names = [c["name"] for c in client.get(f"{API}/public/categories", {"town": town.code}).json()]
    assert names[:2] == ["政策咨询", "注册开办"] and len(names) == 8
    assert client.get(f"{API}/public/categories", {"town": "999"}).status_code == 400


def test_public_create_without_an_account(client, category):
    response = post(client, "/public/tickets", public_body(category, idempotency_key="api-1"))
    assert response.status_code == 201
    body = response.json()
    assert body["created"] and body["status_label"] == "已受理"
    assert Ticket.objects.get().number == body["number"]


def test_public_create_is_idempotent_by_key_or_header(client, category):
    first = post(client, "/public/tickets", public_body(category), HTTP_IDEMPOTENCY_KEY="hdr-1")
    again = post(
        client, "/public/tickets", public_body(category, description="不同内容也不会再建"), HTTP_IDEMPOTENCY_KEY="hdr-1"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {**first.json(), "created": False}
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"description": ""}, "description"),
        ({"description": "字" * 2001}, "description"),
        ({"requester_mobile": "1234"}, "requester_mobile"),
        ({"uscc": "91350100M000100Y44"}, "uscc"),
        ({"category": 999999}, "category"),
        ({"town": "310115999"}, "town"),
    ],
)
def test_public_create_refuses_bad_input_with_field_messages(client, category, overrides, field):
    response = post(client, "/public/tickets", public_body(category, **overrides))
    assert response.status_code == 400
    assert field in response.json()["details"]["fields"]
    assert not Ticket.objects.exists()


def test_public_create_from_another_towns_category_is_refused(client, category, other_town):
    response = post(client, "/public/tickets", public_body(category, town=other_town.code))
    assert response.status_code == 400 and not Ticket.objects.exists()


def test_public_create_is_rate_limited(client, category, settings):
    settings.DESK_RATE_LIMITS = {"submit_ip": (3, 3600)}
    for i in range(3):
        post(
            client, "/public/tickets", public_body(category, requester_mobile=f"1391234000{i}", idempotency_key=str(i))
        )
    response = post(client, "/public/tickets", public_body(category, requester_mobile="13912340009"))
    assert response.status_code == 429 and "提交太频繁" in response.json()["message"]


def test_public_status_needs_both_number_and_mobile(client, make_ticket, desk, market):
    ticket = services.ticket_dispatch(
        ticket=make_ticket(requester_mobile="13955556666"), actor=desk, unit=market, note="内部说明"
    )
    body = post(client, "/public/status", {"number": ticket.number, "mobile": "13955556666"}).json()
    assert body["status_label"] == "已派单" and [e["label"] for e in body["events"]] == ["受理", "派单"]
    assert "内部说明" not in str(body)
    wrong = post(client, "/public/status", {"number": ticket.number, "mobile": "13955556667"})
    missing = post(client, "/public/status", {"number": "2099010100001", "mobile": "13955556666"})
    assert wrong.status_code == missing.status_code == 404
    assert wrong.json() == missing.json()


def test_public_status_is_rate_limited_after_failures(client, make_ticket):
    ticket = make_ticket(requester_mobile="13955556666")
    for i in range(5):
        post(client, "/public/status", {"number": ticket.number, "mobile": f"1395555000{i}"})
    assert post(client, "/public/status", {"number": ticket.number, "mobile": "13955556666"}).status_code == 429


# --- staff ---------------------------------------------------------------------------------------


def test_staff_list_is_scoped_and_filterable(client, desk, liaison, make_ticket, market, other_town):
    a = services.ticket_dispatch(ticket=make_ticket(description="场地租赁"), actor=desk, unit=market)
    b = make_ticket(description="一次性创业补贴")
    cat = Category.objects.get(jurisdiction=other_town, name="其他")
    services.ticket_submit_public(
        jurisdiction=other_town, category=cat, description="外镇", requester_name="甲", requester_mobile="13800000001"
    )
    client.force_login(desk)
    numbers = {i["number"] for i in client.get(f"{API}/tickets", {"queue": "all"}).json()["items"]}
    assert numbers == {a.number, b.number}
    assert [i["number"] for i in client.get(f"{API}/tickets", {"queue": "all", "q": "创业补贴"}).json()["items"]] == [
        b.number
    ]
    client.force_login(liaison)
    assert [i["number"] for i in client.get(f"{API}/tickets", {"queue": "all"}).json()["items"]] == [a.number]
    assert client.get(f"{API}/tickets", {"limit": 1000}).status_code == 422


def test_staff_detail_lists_only_the_transitions_the_user_may_fire(client, desk, liaison, make_ticket, market):
    ticket = make_ticket()
    client.force_login(desk)
    body = client.get(f"{API}/tickets/{ticket.pk}").json()
    assert {t["name"] for t in body["transitions"]} == {"dispatch", "answer_directly", "merge", "comment"}
    assert body["requester_mobile"].count("*") == 4
    dispatch = next(t for t in body["transitions"] if t["name"] == "dispatch")
    assert dispatch["inputs"] == ["unit", "co_units"]


def test_staff_fire_transitions_with_the_same_rules_as_the_pages(
    client, desk, liaison, make_ticket, market, other_unit
):
    ticket = make_ticket()
    client.force_login(desk)
    url = f"{API}/tickets/{ticket.pk}/transitions"
    assert post(client, f"/tickets/{ticket.pk}/transitions/dispatch", {"unit_id": other_unit.pk}).status_code == 400
    response = post(client, f"/tickets/{ticket.pk}/transitions/dispatch", {"unit_id": market.pk, "note": "请办理"})
    assert response.status_code == 200 and response.json()["status"] == Status.DISPATCHED
    refused = post(client, f"/tickets/{ticket.pk}/transitions/accept", {})
    assert refused.status_code == 409 and "您的角色不能执行“签收”" in refused.json()["message"]
    client.force_login(liaison)
    assert [t["name"] for t in client.get(url).json()] == ["accept", "return", "reply", "comment"]
    assert post(client, f"/tickets/{ticket.pk}/transitions/accept", {}).json()["status"] == Status.ACCEPTED
    no_note = post(client, f"/tickets/{ticket.pk}/transitions/answer", {"note": ""})
    assert no_note.status_code == 400 and "需要填写说明" in no_note.json()["message"]
    assert post(client, f"/tickets/{ticket.pk}/transitions/fly", {}).status_code == 400


def test_every_staff_endpoint_treats_out_of_scope_tickets_as_missing(
    client, desk, other_desk, liaison, co_liaison, make_ticket, market
):
    ticket = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    for user in (other_desk, co_liaison):
        client.force_login(user)
        assert client.get(f"{API}/tickets/{ticket.pk}").status_code == 404
        assert client.get(f"{API}/tickets/{ticket.pk}/transitions").status_code == 404
        assert post(client, f"/tickets/{ticket.pk}/transitions/comment", {"note": "x"}).status_code == 404
        assert client.get(f"{API}/tickets", {"queue": "all"}).json()["items"] == []
    for user in (factories.user(Role.ENTREPRENEUR), factories.user(Role.REVIEWER)):  # roles without desk work
        client.force_login(user)
        assert client.get(f"{API}/tickets/{ticket.pk}").status_code == 403
        assert post(client, f"/tickets/{ticket.pk}/transitions/comment", {"note": "x"}).status_code == 403
        assert client.get(f"{API}/tickets", {"queue": "all"}).status_code == 403
    client.force_login(desk)
    assert client.get(f"{API}/tickets/999999").status_code == 404
    client.logout()
    assert client.get(f"{API}/tickets").status_code == 401


def test_merge_by_number_through_the_api(client, desk, make_ticket, other_desk):
    primary, duplicate = make_ticket(), make_ticket()
    client.force_login(desk)
    response = post(client, f"/tickets/{duplicate.pk}/transitions/merge", {"target_number": primary.number})
    assert response.json()["merged_into"] == primary.number


def test_public_status_of_a_merged_and_rated_ticket_shows_the_shared_answer(client, make_ticket, desk):
    primary = make_ticket(requester_mobile="13955551111")
    duplicate = make_ticket(requester_mobile="13955552222", description="同一件事：一次性创业补贴")
    services.ticket_merge(ticket=duplicate, actor=desk, into=primary)
    primary = services.ticket_answer_directly(ticket=primary, actor=desk, answer="符合条件，请带材料办理")
    body = post(client, "/public/status", {"number": duplicate.number, "mobile": "13955552222"}).json()
    assert body["merged_into"] == primary.number and body["answer"] == "符合条件，请带材料办理"
    assert body["status_label"] == "已并单" and body["rated"] is False
    services.rating_submit(ticket=primary, grade=5)
    body = post(client, "/public/status", {"number": primary.number, "mobile": "13955551111"}).json()
    assert body["rated"] is True and body["merged_into"] is None and body["category"] == "政策咨询"
    assert body["received_at"].endswith("+08:00") or body["received_at"].endswith("Z")
    assert body["answer_due"] == primary.answer_due.isoformat()
    assert [e["label"] for e in body["events"]][:1] == ["受理"] and body["events"][-1]["label"] == "评价"
