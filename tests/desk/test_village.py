"""Accounts of a village or residential committee (家门口服务站) under a town.

Tickets belong to the town. A village account sees the town's tickets of the people and
enterprises registered in its village and those it took in itself; nothing else of the town,
never another town's. It may take requests in for its town, but dispatching and handling stay
with the town's desk and units.
"""

import pytest
from django.urls import reverse

from chuangfu.core.models import Role
from chuangfu.desk import selectors, services
from chuangfu.desk.models import Ticket
from tests import factories

from .test_views_staff import intake_data, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def village(town):
    return factories.village(town, name="新镇村")


@pytest.fixture
def village_desk(village):
    return factories.user(Role.DESK_STAFF, village, display_name="新镇村服务站")


@pytest.fixture
def tickets(make_ticket, desk, village, town, category):
    villager = factories.person("村民甲", jurisdiction=village)
    village_firm = factories.enterprise("上海新镇村农产品有限公司", jurisdiction=village)
    elsewhere = factories.person("镇上乙", jurisdiction=town)
    by_person, by_firm, other = make_ticket(), make_ticket(), make_ticket()
    Ticket.objects.filter(pk=by_person.pk).update(person=villager)
    Ticket.objects.filter(pk=by_firm.pk).update(enterprise=village_firm)
    Ticket.objects.filter(pk=other.pk).update(person=elsewhere)
    return {"person": by_person, "enterprise": by_firm, "other": other}


def test_a_village_account_sees_its_villagers_and_enterprises_tickets_only(village_desk, tickets):
    seen = set(selectors.tickets_for(village_desk).values_list("pk", flat=True))
    assert seen == {tickets["person"].pk, tickets["enterprise"].pk}


def test_the_village_queue_and_detail_pages_follow_the_same_scope(client, village_desk, tickets):
    login(client, village_desk)
    html = client.get(reverse("desk:queue"), {"queue": "all"}).content.decode()
    assert tickets["person"].number in html and tickets["enterprise"].number in html
    assert tickets["other"].number not in html
    assert client.get(reverse("desk:ticket_detail", args=[tickets["person"].pk])).status_code == 200
    assert client.get(reverse("desk:ticket_detail", args=[tickets["other"].pk])).status_code == 404
    api = client.get("/api/desk/tickets", {"queue": "all"}).json()
    assert {row["number"] for row in api["items"]} == {tickets["person"].number, tickets["enterprise"].number}
    assert client.get(f"/api/desk/tickets/{tickets['other'].pk}").status_code == 404


def test_a_village_account_takes_requests_in_for_its_town_and_keeps_seeing_them(
    client, village_desk, category, village
):
    from chuangfu.registry.models import Person

    login(client, village_desk)
    response = client.post(reverse("desk:intake"), intake_data(category, id_number=factories.id_number()))
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and ticket.jurisdiction == category.jurisdiction
    assert ticket.first_handler == village_desk
    assert Person.objects.get().jurisdiction == village  # registered where the station is
    assert client.get(reverse("desk:ticket_detail", args=[ticket.pk])).status_code == 200


def test_a_village_account_cannot_dispatch_or_handle_town_tickets(client, village_desk, tickets, market):
    ticket = tickets["person"]
    from chuangfu.desk.workflows import TICKET

    assert TICKET.available(ticket, village_desk) == []
    login(client, village_desk)
    response = client.post(
        reverse("desk:ticket_act", args=[ticket.pk, "dispatch"]), {"dispatch-unit": market.pk, "dispatch-note": ""}
    )
    ticket.refresh_from_db()
    assert response.status_code == 400 and ticket.status == "received"
    assert 'name="ids"' not in client.get(reverse("desk:queue"), {"queue": "all"}).content.decode()


def test_a_village_account_sees_nothing_of_another_town(client, village_desk, other_town):
    other_category = other_town.category_set.get(name="政策咨询")
    stranger = factories.person("外镇丙", jurisdiction=other_town)
    ticket, _ = services.ticket_submit_public(
        jurisdiction=other_town,
        category=other_category,
        description="外镇诉求",
        requester_name="外镇丙",
        requester_mobile="13800007777",
    )
    Ticket.objects.filter(pk=ticket.pk).update(person=stranger)
    assert not selectors.tickets_for(village_desk).filter(pk=ticket.pk).exists()
    login(client, village_desk)
    assert client.get(reverse("desk:ticket_detail", args=[ticket.pk])).status_code == 404
    response = client.post(reverse("desk:intake"), intake_data(other_category))
    assert (
        response.status_code in (400, 403)
        and not Ticket.objects.filter(jurisdiction=other_town).exclude(pk=ticket.pk).exists()
    )
