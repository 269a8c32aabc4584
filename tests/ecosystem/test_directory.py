"""The public carrier directory (issue 15 point 2): published carriers by kind, service and area,
each with its page, and nothing personal on either (nor on /nearby/ and its API)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangfu.activities.models import ActivityStatus
from chuangfu.ecosystem import selectors
from chuangfu.ecosystem.models import CarrierSite
from chuangfu.ecosystem.services import carriers as services
from chuangfu.registry.models import Carrier, CarrierKind
from tests.activities import builders

from .conftest import TANG_CENTRE

pytestmark = pytest.mark.django_db
CONTACT = ("孙晓明", "13812345678")


@pytest.fixture
def station(tangzhen):
    carrier = Carrier.objects.create(
        kind=CarrierKind.DOORSTEP_STATION,
        name="唐镇家门口服务站",
        jurisdiction=tangzhen,
        address="唐镇唐丰路 8 号",
        services="创业指导\n政策申报",
        contact_name=CONTACT[0],
        contact_phone=CONTACT[1],
        workstations_total=10,
        workstations_free=4,
    )
    CarrierSite.objects.create(
        carrier=carrier,
        latitude=TANG_CENTRE[0] + 0.001,
        longitude=TANG_CENTRE[1],
        opening_hours="周一至周五 9:00-17:00",
    )
    return carrier


@pytest.fixture
def hidden(tangzhen):
    carrier = Carrier.objects.create(kind=CarrierKind.PARK, name="筹建中的园区", jurisdiction=tangzhen)
    CarrierSite.objects.create(carrier=carrier, latitude=TANG_CENTRE[0], longitude=TANG_CENTRE[1], published=False)
    return carrier


def test_the_directory_lists_published_carriers_by_kind_service_and_town(client, station, hidden, incubator, zj_park):
    CarrierSite.objects.create(carrier=zj_park, latitude=31.2, longitude=121.59)
    page = client.get(reverse("nearby:directory")).content.decode()
    assert station.name in page and incubator.name in page and zj_park.name in page
    assert hidden.name not in page
    by_kind = client.get(reverse("nearby:directory"), {"kind": CarrierKind.DOORSTEP_STATION}).content.decode()
    assert station.name in by_kind and incubator.name not in by_kind
    by_service = client.get(reverse("nearby:directory"), {"q": "政策申报"}).content.decode()
    assert station.name in by_service and incubator.name not in by_service
    by_town = client.get(reverse("nearby:directory"), {"town": zj_park.jurisdiction_id}).content.decode()
    assert zj_park.name in by_town and station.name not in by_town


def test_a_carrier_page_shows_what_it_offers_and_nothing_personal(client, station):
    page = client.get(reverse("nearby:carrier", args=[station.pk])).content.decode()
    for shown in ("唐镇唐丰路 8 号", "周一至周五 9:00-17:00", "创业指导", "政策申报", "4 / 10"):
        assert shown in page
    assert "近期没有安排活动。" in page and f"/events/?carrier={station.pk}" not in page
    for personal in CONTACT:
        assert personal not in page
    listing = client.get(reverse("nearby:directory")).content.decode()
    assert not any(p in listing for p in CONTACT)


def test_an_unpublished_or_unknown_carrier_is_not_found(client, hidden, incubator):
    assert client.get(reverse("nearby:carrier", args=[hidden.pk])).status_code == 404
    no_site = Carrier.objects.create(
        kind=CarrierKind.BASE, name="无位置信息的基地", jurisdiction=incubator.jurisdiction
    )
    assert client.get(reverse("nearby:carrier", args=[no_site.pk])).status_code == 404
    assert client.get("/nearby/carriers/99999999999999999999/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"q": "x" * 5000},
        {"q": "\x00<script>"},
        {"kind": "'; DROP TABLE"},
        {"town": "99999999999999999999"},
        {"town": "-1", "page": "abc"},
        {"page": "99999999999999999999"},
        {"q": " ".join(str(n) for n in range(50))},
    ],
)
def test_hostile_queries_get_a_page(client, station, query):
    assert client.get(reverse("nearby:directory"), query).status_code == 200


def test_the_circle_links_to_the_carrier_page_and_shows_no_contact(client, station, hidden):
    page = client.get(reverse("nearby:nearby"), {"lat": TANG_CENTRE[0], "lon": TANG_CENTRE[1]}).content.decode()
    assert reverse("nearby:carrier", args=[station.pk]) in page and reverse("nearby:directory") in page
    assert hidden.name not in page
    assert not any(p in page for p in CONTACT)
    answer = client.get("/api/ecosystem/nearby", {"lat": TANG_CENTRE[0], "lon": TANG_CENTRE[1]}).json()
    assert [a["carrier"]["name"] for a in answer] == [station.name]
    assert "contact_phone" not in answer[0]["carrier"] and "contact_name" not in answer[0]["carrier"]


def test_the_office_holds_a_carrier_back_and_an_operator_cannot(client, desk, operator, incubator):
    services.carrier_site_update(actor=desk, carrier=incubator, latitude=31.216, longitude=121.652, published=False)
    assert selectors.nearest_carriers(latitude=31.216, longitude=121.652) == []
    assert client.get(reverse("nearby:carrier", args=[incubator.pk])).status_code == 404
    client.force_login(desk)
    response = client.post(
        reverse("ecosystem:carrier_site", args=[incubator.pk]),
        {"latitude": "31.216", "longitude": "121.652", "opening_hours": "", "published": "on"},
    )
    assert response.status_code == 302
    incubator.site.refresh_from_db()
    assert incubator.site.published
    client.force_login(operator)
    client.post(reverse("ecosystem:carrier_site", args=[incubator.pk]), {"latitude": "31.216", "longitude": "121.652"})
    incubator.site.refresh_from_db()
    assert incubator.site.published  # operators propose changes; publishing is the town's


def test_the_search_posts_and_its_filters_follow_to_the_next_page(client, tangzhen):
    for n in range(23):
        carrier = Carrier.objects.create(
            kind=CarrierKind.DOORSTEP_STATION, name=f"服务站{n:02d}", jurisdiction=tangzhen, services="创业指导"
        )
        CarrierSite.objects.create(carrier=carrier)
    other = Carrier.objects.create(kind=CarrierKind.PARK, name="别的园区", jurisdiction=tangzhen, services="招商")
    CarrierSite.objects.create(carrier=other)
    response = client.post(reverse("nearby:directory"), {"_search": "1", "q": "创业指导", "kind": ""}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "服务站00" in page and "别的园区" not in page
    next_link = page.split('page-link" href="')[-1].split('"')[0].replace("&amp;", "&")
    second = client.get(reverse("nearby:directory") + next_link).content.decode()
    assert "服务站22" in second and "别的园区" not in second


def test_a_carrier_page_lists_what_is_coming_up_there_and_no_draft_cancelled_or_past_activity(
    client, station, incubator
):
    days = datetime.timedelta(days=1)
    at_station = {"jurisdiction": station.jurisdiction, "place_carrier": station, "address": ""}
    later = builders.activity(title="电商直播培训", starts_in=10 * days, **at_station)
    sooner = builders.activity(title="创业服务日", starts_in=3 * days, **at_station)
    hosted = builders.activity(
        title="政策宣讲会", starts_in=5 * days, host_carrier=station, jurisdiction=station.jurisdiction
    )
    builders.activity(title="草稿中的沙龙", status=ActivityStatus.DRAFT, **at_station)
    builders.activity(title="已取消的路演", status=ActivityStatus.CANCELLED, **at_station)
    builders.activity(
        title="上月的招聘会", status=ActivityStatus.FINISHED, now=timezone.now() - 30 * days, **at_station
    )
    builders.activity(title="别处的活动", starts_in=2 * days, place_carrier=incubator, address="")

    page = client.get(reverse("nearby:carrier", args=[station.pk])).content.decode()
    shown = [title for title in ("创业服务日", "政策宣讲会", "电商直播培训") if title in page]
    assert shown == ["创业服务日", "政策宣讲会", "电商直播培训"]
    assert page.index("创业服务日") < page.index("政策宣讲会") < page.index("电商直播培训")  # soonest first
    for absent in ("草稿中的沙龙", "已取消的路演", "上月的招聘会", "别处的活动", "近期没有安排活动。"):
        assert absent not in page, absent
    for activity in (sooner, hosted, later):
        assert reverse("events:detail", args=[activity.pk]) in page
    assert timezone.localtime(sooner.starts_at).strftime("%Y-%m-%d %H:%M") in page
    assert "唐镇创新中路 1 号" in page and f"{station.name}（" not in page  # the place only when it is elsewhere
    assert f"/events/?carrier={station.pk}" in page and "查看全部 3 场" in page


def test_a_carrier_page_shows_the_five_soonest_and_counts_the_rest(client, station):
    for n in range(7):
        builders.activity(
            title=f"第{n + 1}期创业沙龙",
            starts_in=datetime.timedelta(days=n + 1),
            jurisdiction=station.jurisdiction,
            place_carrier=station,
            address="",
        )
    page = client.get(reverse("nearby:carrier", args=[station.pk])).content.decode()
    assert [n for n in range(1, 8) if f"第{n}期创业沙龙" in page] == [1, 2, 3, 4, 5]
    assert "查看全部 7 场" in page
