"""An enterprise's premises and leases on its page: added with the lease's dates checked (both or
neither, the end not before the start, "registered" only for a lease), removed, each logged; a
user of another town cannot touch them."""

import datetime

import pytest
from django.urls import reverse

from chuangfu.core.models import AuditEntry
from chuangfu.registry.models import Carrier, CarrierKind, Premises
from tests import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date


def _form(**changes):
    data = {
        "address": "唐镇创新路1号",
        "area": "85.5",
        "lease_start": "2025-01-01",
        "lease_end": "2026-12-31",
        "monthly_rent": "6000",
        "lease_registered": "on",
        "note": "",
    }
    data.update(changes)
    return data


def test_staff_add_and_remove_premises_on_the_enterprise_page(client, desk, tangzhen):
    firm = f.enterprise(jurisdiction=tangzhen)
    carrier = Carrier.objects.create(kind=CarrierKind.INCUBATOR, name="唐镇孵化器", jurisdiction=tangzhen)
    client.force_login(desk)
    page = client.get(reverse("registry:enterprise_detail", args=[firm.pk])).content.decode()
    assert "暂无经营场地记录" in page and 'name="lease_start"' in page
    response = client.post(reverse("registry:enterprise_premises_add", args=[firm.pk]), _form(carrier=carrier.pk))
    assert response.status_code == 302
    premises = Premises.objects.get(enterprise=firm)
    assert (premises.area, premises.lease_end, premises.carrier, premises.lease_registered) == (
        85.5,
        D(2026, 12, 31),
        carrier,
        True,
    )
    page = client.get(reverse("registry:enterprise_detail", args=[firm.pk])).content.decode()
    assert "唐镇创新路1号" in page and "2025-01-01 — 2026-12-31" in page and "已备案" in page and "唐镇孵化器" in page
    assert AuditEntry.objects.filter(action="registry.enterprise.premises_added").count() == 1
    client.post(reverse("registry:enterprise_premises_remove", args=[firm.pk, premises.pk]))
    assert not Premises.objects.exists()
    assert AuditEntry.objects.filter(action="registry.enterprise.premises_removed").count() == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"lease_end": ""}, "租期须同时填写起始日和截止日"),
        ({"lease_end": "2024-12-31"}, "租期截止日早于起始日"),
        ({"lease_start": "", "lease_end": ""}, "没有租期的场地不能登记为租赁合同已备案"),
        ({"area": "0"}, "0.01"),
        ({"address": ""}, "这个字段是必填项"),
    ],
)
def test_wrong_leases_are_refused_with_the_reason_and_nothing_is_saved(client, desk, tangzhen, changes, message):
    firm = f.enterprise(jurisdiction=tangzhen)
    client.force_login(desk)
    response = client.post(reverse("registry:enterprise_premises_add", args=[firm.pk]), _form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Premises.objects.exists()


def test_owned_premises_have_no_lease(client, desk, tangzhen):
    firm = f.enterprise(jurisdiction=tangzhen)
    client.force_login(desk)
    client.post(
        reverse("registry:enterprise_premises_add", args=[firm.pk]),
        _form(lease_start="", lease_end="", lease_registered="", monthly_rent=""),
    )
    page = client.get(reverse("registry:enterprise_detail", args=[firm.pk])).content.decode()
    assert "自有场地（无租期）" in page


def test_another_towns_staff_cannot_add_or_remove(client, zj_desk, tangzhen):
    firm = f.enterprise(jurisdiction=tangzhen)
    premises = Premises.objects.create(enterprise=firm, address="唐镇某路", area=20)
    client.force_login(zj_desk)
    assert client.post(reverse("registry:enterprise_premises_add", args=[firm.pk]), _form()).status_code == 404
    assert client.post(reverse("registry:enterprise_premises_remove", args=[firm.pk, premises.pk])).status_code == 404
    assert Premises.objects.count() == 1


def _premises(firm, **fields):
    values = {
        "enterprise": firm,
        "address": "唐镇创新路1号",
        "area": 85.5,
        "lease_start": D(2025, 1, 1),
        "lease_end": D(2026, 12, 31),
        "monthly_rent": 6000,
        "lease_registered": True,
    }
    return Premises.objects.create(**{**values, **fields})


def test_staff_edit_a_lease_from_the_enterprise_page_and_saving_twice_logs_once(client, desk, tangzhen):
    firm = f.enterprise(jurisdiction=tangzhen)
    carrier = Carrier.objects.create(kind=CarrierKind.INCUBATOR, name="唐镇孵化器", jurisdiction=tangzhen)
    premises = _premises(firm)
    client.force_login(desk)
    edit = reverse("registry:enterprise_premises_edit", args=[firm.pk, premises.pk])
    assert edit in client.get(reverse("registry:enterprise_detail", args=[firm.pk])).content.decode()
    page = client.get(edit).content.decode()
    assert "编辑经营场地" in page and 'value="2026-12-31"' in page and 'value="唐镇创新路1号"' in page
    changed = _form(lease_end="2027-12-31", area="120", monthly_rent="7000", carrier=carrier.pk, lease_registered="")
    for _twice in range(2):  # a double submit: the second finds nothing to change
        response = client.post(edit, changed)
        assert response.status_code == 302 and response["Location"].endswith("#premises")
    premises.refresh_from_db()
    assert (premises.lease_end, premises.area, premises.monthly_rent, premises.carrier, premises.lease_registered) == (
        D(2027, 12, 31),
        120,
        7000,
        carrier,
        False,
    )
    entry = AuditEntry.objects.get(action="registry.enterprise.premises_changed")
    assert entry.before["lease_end"] == "2026-12-31" and entry.after["lease_end"] == "2027-12-31"
    assert entry.after["premises_carrier"] == "唐镇孵化器" and entry.after["lease_registered"] is False


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"lease_end": "2024-12-31"}, "租期截止日早于起始日"),
        ({"lease_end": ""}, "租期须同时填写起始日和截止日"),
        ({"area": "-3"}, "0.01"),
        ({"address": "唐镇创新路2号", "lease_start": "2024-01-01"}, "已登记"),
    ],
)
def test_a_wrong_edit_is_refused_with_the_reason_and_nothing_changes(client, desk, tangzhen, changes, message):
    firm = f.enterprise(jurisdiction=tangzhen)
    premises = _premises(firm)
    _premises(firm, address="唐镇创新路2号", lease_start=D(2024, 1, 1))  # another lease of the firm
    client.force_login(desk)
    response = client.post(reverse("registry:enterprise_premises_edit", args=[firm.pk, premises.pk]), _form(**changes))
    assert response.status_code == 400 and message in response.content.decode()
    premises.refresh_from_db()
    assert (premises.address, premises.lease_end, premises.area) == ("唐镇创新路1号", D(2026, 12, 31), 85.5)
    assert not AuditEntry.objects.filter(action="registry.enterprise.premises_changed").exists()


def test_adding_the_same_lease_twice_records_it_once(client, desk, tangzhen):
    firm = f.enterprise(jurisdiction=tangzhen)
    client.force_login(desk)
    add = reverse("registry:enterprise_premises_add", args=[firm.pk])
    assert client.post(add, _form()).status_code == 302
    assert client.post(add, _form()).status_code == 302  # a double submit
    assert Premises.objects.count() == 1
    assert AuditEntry.objects.filter(action="registry.enterprise.premises_added").count() == 1
    other = client.post(add, _form(area="90"))  # the same lease with another area: edit it instead
    assert other.status_code == 400 and "请编辑原记录" in other.content.decode()
    assert Premises.objects.count() == 1


def test_another_towns_staff_cannot_edit_and_nor_through_another_enterprise(client, desk, zj_desk, tangzhen):
    firm, other = f.enterprise(jurisdiction=tangzhen), f.enterprise(jurisdiction=tangzhen)
    premises = _premises(firm)
    client.force_login(zj_desk)
    edit = reverse("registry:enterprise_premises_edit", args=[firm.pk, premises.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, _form(area="1")).status_code == 404
    client.force_login(desk)  # the premises id under an enterprise it does not belong to
    assert client.get(reverse("registry:enterprise_premises_edit", args=[other.pk, premises.pk])).status_code == 404
    premises.refresh_from_db()
    assert premises.area == 85.5
