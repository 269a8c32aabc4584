"""The carrier network: sites inside the district, operators' reviewed changes, who sees what."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import AuditEntry, Role, Unit
from chuangfu.ecosystem import selectors
from chuangfu.ecosystem.models import CarrierChange, CarrierPhoto, CarrierSite
from chuangfu.ecosystem.services import carriers as services
from chuangfu.registry.models import Carrier, CarrierKind
from tests import factories as f

pytestmark = pytest.mark.django_db


def png(name="p.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_coordinates_outside_the_district_are_refused_and_nothing_is_saved(desk, incubator):
    with pytest.raises(DomainError) as exc:
        services.carrier_site_update(actor=desk, carrier=incubator, latitude=39.9, longitude=116.4)
    assert exc.value.code == "outside_district" and "不在" in exc.value.message
    site = CarrierSite.objects.get(carrier=incubator)
    assert (site.latitude, site.longitude) == (31.216, 121.652)
    with pytest.raises(DomainError) as exc:
        services.carrier_site_update(actor=desk, carrier=incubator, latitude=31.2, longitude=None)
    assert exc.value.code == "coordinates"


def test_the_town_sets_a_site_and_the_change_is_audited(desk, incubator):
    services.carrier_site_update(
        actor=desk, carrier=incubator, latitude=31.22, longitude=121.66, opening_hours="周一至周五 9:00-17:00"
    )
    incubator.site.refresh_from_db()
    assert incubator.site.opening_hours == "周一至周五 9:00-17:00"
    entry = AuditEntry.objects.get(action="ecosystem.carrier.site_changed")
    assert entry.before["latitude"] == 31.216 and entry.after["latitude"] == 31.22


def test_an_operator_change_applies_only_when_the_town_approves_it(desk, operator, incubator):
    change = services.carrier_change_submit(
        actor=operator,
        carrier=incubator,
        data={"workstations_free": 9, "opening_hours": "每天 8:00-20:00", "contact_name": "孙老师"},
        photos=[png()],
    )
    incubator.refresh_from_db()
    assert incubator.workstations_free == 6 and incubator.contact_name == ""
    assert not CarrierPhoto.objects.filter(published=True).exists()
    assert change.proposed == {"workstations_free": 9, "opening_hours": "每天 8:00-20:00", "contact_name": "孙老师"}
    with pytest.raises(DomainError) as exc:
        services.carrier_change_submit(actor=operator, carrier=incubator, data={"workstations_free": 3})
    assert exc.value.code == "change_waiting"
    services.carrier_change_approve(actor=desk, change=change)
    incubator.refresh_from_db()
    incubator.site.refresh_from_db()
    assert incubator.workstations_free == 9 and incubator.contact_name == "孙老师"
    assert incubator.site.opening_hours == "每天 8:00-20:00"
    assert CarrierPhoto.objects.filter(carrier=incubator, published=True).count() == 1
    change.refresh_from_db()
    assert change.status == "approved" and change.decided_by == desk


def test_a_rejected_change_leaves_the_carrier_as_it_was(desk, operator, incubator):
    change = services.carrier_change_submit(actor=operator, carrier=incubator, data={"address": "别处"})
    with pytest.raises(DomainError):
        services.carrier_change_reject(actor=desk, change=change, note="")
    services.carrier_change_reject(actor=desk, change=change, note="地址与营业执照不符")
    incubator.refresh_from_db()
    assert incubator.address == "唐镇创新路 1 号"
    change.refresh_from_db()
    assert change.status == "rejected" and change.decision_note == "地址与营业执照不符"


def test_an_invalid_proposal_is_refused_at_once_and_nothing_is_saved(operator, incubator):
    with pytest.raises(DomainError):
        services.carrier_change_submit(actor=operator, carrier=incubator, data={"workstations_free": 99})
    with pytest.raises(DomainError) as exc:
        services.carrier_change_submit(actor=operator, carrier=incubator, data={"latitude": 31.9, "longitude": 120.5})
    assert exc.value.code == "outside_district"
    with pytest.raises(DomainError):
        services.carrier_change_submit(actor=operator, carrier=incubator, data={"kind": CarrierKind.PARK})
    with pytest.raises(DomainError) as exc:
        services.carrier_change_submit(actor=operator, carrier=incubator, data={"workstations_free": 6})
    assert exc.value.code == "no_change"
    assert not CarrierChange.objects.exists()
    incubator.refresh_from_db()
    assert incubator.workstations_free == 6


def test_an_operator_sees_and_proposes_only_for_their_own_carrier(client, operator, incubator, tangzhen):
    other = Carrier.objects.create(kind=CarrierKind.PARK, name="别的园区", jurisdiction=tangzhen)
    client.force_login(operator)
    listing = client.get(reverse("ecosystem:carrier_list")).content.decode()
    assert "唐创空间" in listing and "别的园区" not in listing
    assert client.get(reverse("ecosystem:carrier_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("ecosystem:carrier_propose", args=[other.pk])).status_code == 404
    with pytest.raises(NotFound):
        services.carrier_change_submit(actor=operator, carrier=other, data={"address": "x"})
    stranger = f.user(
        Role.CARRIER_OPERATOR,
        unit_=Unit.objects.create(name="另一运营方", kind=Unit.Kind.CARRIER, jurisdiction=tangzhen),
    )
    with pytest.raises(NotFound):
        services.carrier_change_submit(actor=stranger, carrier=incubator, data={"address": "x"})


def test_another_towns_carrier_is_not_found(client, zj_desk, incubator):
    client.force_login(zj_desk)
    assert client.get(reverse("ecosystem:carrier_detail", args=[incubator.pk])).status_code == 404
    with pytest.raises(NotFound):
        services.carrier_site_update(actor=zj_desk, carrier=incubator, latitude=31.2, longitude=121.6)


def test_the_operator_proposes_and_the_town_approves_through_the_pages(client, desk, operator, incubator):
    client.force_login(operator)
    page = client.get(reverse("ecosystem:carrier_propose", args=[incubator.pk]))
    assert page.context["form"]["workstations_free"].value() == 6
    response = client.post(
        reverse("ecosystem:carrier_propose", args=[incubator.pk]),
        {
            "address": "唐镇创新路 1 号",
            "latitude": "31.216",
            "longitude": "121.652",
            "workstations_total": "40",
            "workstations_free": "2",
            "services": "工位出租",
            "photos": [png("a.png"), png("b.png")],
        },
    )
    change = CarrierChange.objects.get()
    assert response.status_code == 302 and change.proposed == {"workstations_free": 2, "services": "工位出租"}
    assert change.photos.count() == 2
    client.force_login(desk)
    detail = client.get(reverse("ecosystem:change_detail", args=[change.pk])).content.decode()
    assert "工位出租" in detail and "通过并生效" in detail
    client.post(reverse("ecosystem:change_transition", args=[change.pk, "approve"]))
    incubator.refresh_from_db()
    assert incubator.workstations_free == 2


def test_a_file_that_is_not_an_image_is_refused(desk, incubator):
    fake = SimpleUploadedFile("x.png", b"%PDF-1.4 not an image", content_type="image/png")
    with pytest.raises(DomainError) as exc:
        services.carrier_photo_add(actor=desk, carrier=incubator, image=fake)
    assert "x.png" in exc.value.message
    assert not CarrierPhoto.objects.exists()


def test_operators_cannot_set_sites_directly(operator, incubator):
    with pytest.raises(DomainError) as exc:
        services.carrier_site_update(actor=operator, carrier=incubator, latitude=31.2, longitude=121.6)
    assert exc.value.status == 403


def test_selectors_scope_changes_to_the_operators_carriers(operator, incubator, tangzhen):
    other = Carrier.objects.create(kind=CarrierKind.PARK, name="别的园区", jurisdiction=tangzhen)
    assert list(selectors.carriers_for(operator)) == [incubator]
    assert other not in selectors.carriers_for(f.user(Role.MENTOR))
