"""Desk fixtures: two towns, units with liaisons, desk staff and leaders, and a ticket maker."""

import datetime as dt
import itertools
import zoneinfo

import pytest
from django.utils import timezone

from chuangfu.core.models import Role, Unit
from chuangfu.desk import services
from chuangfu.desk.models import Category
from tests import factories

_mobiles = itertools.count(1)


@pytest.fixture(autouse=True)
def _chinese():
    """Messages are asserted in Chinese; an earlier test's request may have left English active."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


@pytest.fixture
def at(monkeypatch):
    """Set the clock: ``at(2026, 2, 13, 16)`` is 16:00 Shanghai time that day."""

    def freeze(*args):
        moment = dt.datetime(*args, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze


def new_mobile() -> str:
    return f"137{next(_mobiles):08d}"


@pytest.fixture
def town():
    return factories.town()


@pytest.fixture
def other_town():
    return factories.town("310115125")  # 张江镇


@pytest.fixture
def market(town):
    return factories.unit("市场监管所", town, kind=Unit.Kind.GOVERNMENT)


@pytest.fixture
def league(town):
    return factories.unit("团委", town, kind=Unit.Kind.MASS_ORGANISATION)


@pytest.fixture
def centre(town):
    return factories.unit("社区事务受理服务中心", town)


@pytest.fixture
def other_unit(other_town):
    return factories.unit("市场监管所", other_town, kind=Unit.Kind.GOVERNMENT)


@pytest.fixture
def desk(centre, town):
    return factories.user(Role.DESK_STAFF, town, centre, display_name="窗口小王")


@pytest.fixture
def liaison(market, town):
    return factories.user(Role.UNIT_LIAISON, town, market, display_name="市场所联络员", mobile=new_mobile())


@pytest.fixture
def co_liaison(league, town):
    return factories.user(Role.UNIT_LIAISON, town, league, display_name="团委联络员")


@pytest.fixture
def leader(town):
    return factories.user(Role.LEADER, town, display_name="分管领导")


@pytest.fixture
def other_desk(other_town):
    return factories.user(Role.DESK_STAFF, other_town, display_name="张江窗口")


@pytest.fixture
def other_liaison(other_unit, other_town):
    return factories.user(Role.UNIT_LIAISON, other_town, other_unit, display_name="张江联络员")


@pytest.fixture
def category(town):
    return Category.objects.get(jurisdiction=town, name="政策咨询")


@pytest.fixture
def make_ticket(town, category):
    """Submit a public request; keyword arguments override the defaults."""

    def make(**overrides):
        values = {
            "jurisdiction": town,
            "category": category,
            "description": "想了解一次性创业补贴的申请条件。",
            "requester_name": "李娜",
            "requester_mobile": new_mobile(),
        }
        values.update(overrides)
        ticket, created = services.ticket_submit_public(**values)
        assert created
        return ticket

    return make
