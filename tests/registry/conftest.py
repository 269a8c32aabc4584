import pytest

from chuangfu.core.models import Role
from tests import factories as f


@pytest.fixture
def tangzhen():
    return f.town("310115114")


@pytest.fixture
def zhangjiang():
    return f.town("310115125")


@pytest.fixture
def desk(tangzhen):
    """唐镇 desk staff: may edit and see full identifiers."""
    return f.user(Role.DESK_STAFF, jurisdiction=tangzhen)


@pytest.fixture
def zj_desk(zhangjiang):
    return f.user(Role.DESK_STAFF, jurisdiction=zhangjiang)


@pytest.fixture
def district_admin():
    return f.user(Role.ADMIN, jurisdiction=f.district())


@pytest.fixture
def leader(tangzhen):
    return f.user(Role.LEADER, jurisdiction=tangzhen)
