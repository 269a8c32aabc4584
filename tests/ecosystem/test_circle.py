"""The 15-minute circle: nearest carriers by straight-line distance, and uncovered areas."""

import numpy as np
import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from chuangfu.ecosystem import geo, selectors
from chuangfu.ecosystem.demo import seed_ecosystem
from chuangfu.ecosystem.models import Address, CarrierSite, ResidentialArea
from chuangfu.registry.models import Carrier, CarrierKind
from tests import factories as f

pytestmark = pytest.mark.django_db
CENTRE = (31.2160, 121.6520)


def place(name, east, north, kind=CarrierKind.DOORSTEP_STATION, town=None):
    carrier = Carrier.objects.create(kind=kind, name=name, jurisdiction=town or f.town())
    lat, lon = CENTRE[0] + north / 111_320, CENTRE[1] + east / (111_320 * np.cos(np.radians(CENTRE[0])))
    CarrierSite.objects.create(carrier=carrier, latitude=lat, longitude=lon)
    return carrier


def test_nearest_carriers_come_by_straight_line_distance_with_walking_minutes():
    place("近站", 300, 0)
    place("中站", 0, 900)
    place("远站", 3000, 3000)
    place("孵化器", 100, 0, kind=CarrierKind.INCUBATOR)
    found = selectors.nearest_carriers(latitude=CENTRE[0], longitude=CENTRE[1], limit=3)
    assert [r.carrier.name for r in found] == ["孵化器", "近站", "中站"]
    assert found[1].metres == pytest.approx(300, rel=0.01)
    assert found[1].minutes == 4 and found[1].within_circle  # 300 m at 4.5 km/h
    stations = selectors.nearest_carriers(
        latitude=CENTRE[0], longitude=CENTRE[1], kinds=[CarrierKind.DOORSTEP_STATION], limit=5
    )
    assert [r.carrier.name for r in stations] == ["近站", "中站", "远站"]
    assert not stations[2].within_circle


def test_one_query_answers_with_whole_carriers_and_their_sites(django_assert_num_queries):
    near = place("近站", 300, 0)
    CarrierSite.objects.filter(carrier=near).update(opening_hours="周一至周五 9:00-17:00")
    Carrier.objects.filter(pk=near.pk).update(services="创业咨询\n政策申报", contact_phone="021-12345678")
    place("远站", 900, 0)
    with django_assert_num_queries(1):
        found = selectors.nearest_carriers(latitude=CENTRE[0], longitude=CENTRE[1], limit=2)
        first = found[0].carrier
        assert (first.name, first.service_list, first.contact_phone) == (
            "近站",
            ["创业咨询", "政策申报"],
            "021-12345678",
        )
        assert first.site.opening_hours == "周一至周五 9:00-17:00" and first.site.carrier is first
        assert first.get_kind_display() == CarrierKind.DOORSTEP_STATION.label
    assert not first._state.adding  # instances read from the database, as the ORM would give


def test_the_public_page_answers_from_an_address_and_says_it_is_straight_line(client):
    place("唐丰苑家门口服务站", 200, 0)
    village = f.village()
    area = ResidentialArea.objects.create(name="唐丰苑", jurisdiction=village, latitude=CENTRE[0], longitude=CENTRE[1])
    Address.objects.create(
        text="唐镇唐丰苑3号楼", area=area, jurisdiction=village, latitude=CENTRE[0], longitude=CENTRE[1]
    )
    page = client.get(reverse("nearby:nearby"), {"q": "唐丰苑3号"}).content.decode()
    assert "唐丰苑家门口服务站" in page and "直线距离" in page and "4.5" in page
    english = client.get(reverse("nearby:nearby"), {"q": "唐丰苑3号"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "straight-line" in english


def test_the_public_page_answers_from_the_browsers_location(client):
    place("某站", 0, 500)
    page = client.get(reverse("nearby:nearby"), {"lat": CENTRE[0], "lon": CENTRE[1]}).content.decode()
    assert "某站" in page and "500" in page


def test_residential_areas_beyond_fifteen_minutes_are_listed(client, tangzhen):
    place("站", 0, 0)
    village = f.village(tangzhen)
    near = ResidentialArea.objects.create(name="近区", jurisdiction=village, latitude=CENTRE[0], longitude=CENTRE[1])
    ResidentialArea.objects.create(name="远区", jurisdiction=village, latitude=CENTRE[0] + 0.03, longitude=CENTRE[1])
    for k in range(4):
        Address.objects.create(
            text=f"近区{k}", area=near, jurisdiction=village, latitude=CENTRE[0] + k * 0.0001, longitude=CENTRE[1]
        )
    desk = f.user(jurisdiction=tangzhen)
    rows = selectors.town_coverage(actor=desk, town=tangzhen)
    assert [(r.area.name, r.addresses, r.uncovered, r.is_uncovered) for r in rows] == [("远区", 1, 1, True)]
    client.force_login(desk)
    page = client.get(reverse("ecosystem:coverage")).content.decode()
    assert "远区" in page and "未覆盖" in page and "直线" in page


def test_another_towns_coverage_is_not_found(zhangjiang, tangzhen):
    from chuangfu.core.errors import NotFound

    with pytest.raises(NotFound):
        selectors.town_coverage(actor=f.user(jurisdiction=zhangjiang), town=tangzhen)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    stations=st.integers(0, 30),
    points=st.integers(1, 300),
    radius=st.sampled_from([200.0, 1125.0, 3000.0]),
)
def test_grid_coverage_agrees_with_checking_every_station(seed, stations, points, radius):
    rng = np.random.default_rng(seed)
    slat, slon = 31.2 + rng.random(stations) * 0.08, 121.6 + rng.random(stations) * 0.08
    plat, plon = 31.2 + rng.random(points) * 0.08, 121.6 + rng.random(points) * 0.08
    fast = geo.covered(plat, plon, slat, slon, radius)
    origin = float(np.mean(slat)) if stations else 0.0
    px, py = geo.project(plat, plon, origin_latitude=origin)
    sx, sy = geo.project(slat, slon, origin_latitude=origin)
    slow = (
        (np.hypot(px[:, None] - sx[None, :], py[:, None] - sy[None, :]) <= radius).any(axis=1)
        if stations
        else np.zeros(points, dtype=bool)
    )
    assert (fast == slow).all()


def test_demo_data_places_carriers_and_leaves_one_area_uncovered(tangzhen):
    from chuangfu.registry.seeding.fixed import seed_fixed

    seed_fixed()
    hopeful = f.person("沈浩然", jurisdiction=tangzhen, entrepreneurial_intent=True)
    first = seed_ecosystem()
    assert first["located"] > 10 and first["addresses"] > 100
    assert (first["resources"], first["linkages"], first["cases"]) == (5, 3, 2)
    assert seed_ecosystem() == {
        "located": 0,
        "areas": 0,
        "addresses": 0,
        "resources": 0,
        "linkages": 0,
        "cases": 0,
        "segments": 0,
        "nominations": 0,
    }
    rows = selectors.town_coverage(actor=f.user(jurisdiction=tangzhen), town=tangzhen)
    assert [r.area.name for r in rows if r.is_uncovered] == ["虹丰村北宅"]
    office = f.user(jurisdiction=tangzhen)
    counts = selectors.linkage_counts(actor=office)["totals"]
    assert counts == {"pending": 1, "met": 1, "failed": 1}
    figures = selectors.case_figures(actor=office)
    assert (figures["cases"], figures["helped"], figures["jobs"]) == (2, 1, 3)
    assert [o.success for c, o in figures["rows"] if c.person == hopeful] == [False]
