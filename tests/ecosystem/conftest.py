import pytest

from chuangfu.core.models import Role, Unit
from chuangfu.ecosystem.models import CarrierSite, DistrictBounds
from chuangfu.registry.models import Carrier, CarrierKind
from tests import factories as f

TANG_CENTRE = (31.2160, 121.6520)


@pytest.fixture
def tangzhen():
    return f.town("310115114")


@pytest.fixture
def zhangjiang():
    return f.town("310115125")


@pytest.fixture(autouse=True)
def bounds(db):
    return DistrictBounds.objects.create(jurisdiction=f.district(), south=30.85, north=31.42, west=121.45, east=122.0)


@pytest.fixture
def desk(tangzhen):
    return f.user(Role.DESK_STAFF, jurisdiction=tangzhen)


@pytest.fixture
def zj_desk(zhangjiang):
    return f.user(Role.DESK_STAFF, jurisdiction=zhangjiang)


@pytest.fixture
def operator_unit(tangzhen):
    return Unit.objects.create(name="唐创空间孵化器", kind=Unit.Kind.CARRIER, jurisdiction=tangzhen)


@pytest.fixture
def incubator(tangzhen, operator_unit):
    carrier = Carrier.objects.create(
        kind=CarrierKind.INCUBATOR,
        name="唐创空间",
        jurisdiction=tangzhen,
        operator_unit=operator_unit,
        workstations_total=40,
        workstations_free=6,
        address="唐镇创新路 1 号",
    )
    CarrierSite.objects.create(carrier=carrier, latitude=TANG_CENTRE[0], longitude=TANG_CENTRE[1])
    return carrier


@pytest.fixture
def operator(tangzhen, operator_unit):
    return f.user(Role.CARRIER_OPERATOR, jurisdiction=tangzhen, unit_=operator_unit)


@pytest.fixture
def zj_park(zhangjiang):
    return Carrier.objects.create(kind=CarrierKind.PARK, name="张江园区", jurisdiction=zhangjiang)
