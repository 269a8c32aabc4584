"""The jurisdiction scope every selector starts from."""

import pytest

from chuangfu.core.models import Jurisdiction, Role, Unit
from chuangfu.core.scoping import is_village_account, jurisdiction_level, visible_jurisdiction_ids, within
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_town_sees_itself_and_its_villages_only():
    town, other = factories.town(), factories.town("310115125")
    village = factories.village(town)
    elsewhere = factories.village(other)
    staff = factories.user(Role.DESK_STAFF, town)
    ids = set(visible_jurisdiction_ids(staff))
    assert {town.pk, village.pk} <= ids and not {other.pk, elsewhere.pk} & ids
    assert jurisdiction_level(staff) == Jurisdiction.Level.TOWN and not is_village_account(staff)


def test_a_code_that_merely_starts_like_the_towns_is_not_under_it():
    town = factories.town()
    look_alike = Jurisdiction.objects.create(
        code="3101151149", name="形似镇", level=Jurisdiction.Level.TOWN, parent=town.parent, is_demo=True
    )
    assert look_alike.path.startswith(town.path)
    assert look_alike.pk not in visible_jurisdiction_ids(factories.user(Role.DESK_STAFF, town))


def test_a_village_account_sees_its_village_and_a_district_account_every_town():
    town = factories.town()
    village = factories.village(town)
    station = factories.user(Role.DESK_STAFF, village)
    assert visible_jurisdiction_ids(station) == [village.pk] and is_village_account(station)
    district = factories.user(Role.LEADER, factories.district())
    assert {town.pk, village.pk, factories.town("310115125").pk} <= set(visible_jurisdiction_ids(district))
    admin = factories.user(Role.ADMIN, None)
    admin.jurisdiction = None
    assert visible_jurisdiction_ids(admin) is None and jurisdiction_level(admin) is None


def test_within_a_place_means_the_place_and_what_is_under_it_not_a_look_alike_sibling():
    town = factories.town()
    village = factories.village(town)
    look_alike = Jurisdiction.objects.create(
        code="3101151149", name="形似镇", level=Jurisdiction.Level.TOWN, parent=town.parent, is_demo=True
    )
    units = {j: factories.unit(f"{j.name}办", j) for j in (town, village, look_alike)}
    found = set(Unit.objects.filter(within(town)))
    assert found == {units[town], units[village]}
    assert set(Unit.objects.filter(within(village))) == {units[village]}
    assert set(Unit.objects.filter(within(town.parent))) >= set(units.values())
