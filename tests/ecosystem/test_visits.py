"""Visits (走访): planned, recorded on a phone, problems turned into tickets, overdue flagged."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import Unit
from chuangfu.desk.models import Ticket
from chuangfu.ecosystem.models import Visit, VisitPhoto, VisitProblem
from chuangfu.ecosystem.services import visits as services

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today


def png(name="p.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def visit(desk, incubator):
    return services.visit_plan(
        actor=desk, carrier=incubator, planned_on=TODAY(), purpose="了解在孵企业融资需求", visitors=[desk]
    )


def test_a_visit_to_another_towns_carrier_is_not_found(zj_desk, incubator, desk, zj_park):
    with pytest.raises(NotFound):
        services.visit_plan(actor=zj_desk, carrier=incubator, planned_on=TODAY(), purpose="x", visitors=[zj_desk])
    with pytest.raises(NotFound):
        services.visit_plan(actor=desk, carrier=zj_park, planned_on=TODAY(), purpose="x", visitors=[desk])
    with pytest.raises(DomainError) as exc:
        services.visit_plan(actor=desk, carrier=incubator, planned_on=TODAY(), purpose="x", visitors=[zj_desk])
    assert exc.value.code == "visitor"
    assert not Visit.objects.exists()


def test_recording_a_visit_keeps_findings_problems_and_photos_once(desk, visit):
    services.visit_record(
        actor=desk,
        visit=visit,
        attendees="王经理",
        findings="在孵企业 23 家，3 家有融资需求",
        resources_found="孵化器自有种子基金",
        problems=["停车位紧张", "", "希望增加政策宣讲"],
        photos=[png()],
    )
    visit.refresh_from_db()
    assert visit.status == "recorded" and visit.recorded_by == desk
    assert list(visit.problems.values_list("description", flat=True)) == ["停车位紧张", "希望增加政策宣讲"]
    assert visit.photos.count() == 1
    with pytest.raises(DomainError):
        services.visit_record(actor=desk, visit=visit, findings="again")


def test_a_bad_photo_saves_nothing_of_the_record(desk, visit):
    fake = SimpleUploadedFile("scan.jpg", b"plain text", content_type="image/jpeg")
    with pytest.raises(DomainError):
        services.visit_record(actor=desk, visit=visit, findings="发现", problems=["问题"], photos=[fake])
    visit.refresh_from_db()
    assert visit.status == "planned" and visit.findings == ""
    assert not VisitProblem.objects.exists() and not VisitPhoto.objects.exists()


def test_a_problem_becomes_a_desk_ticket_with_one_click_and_only_once(desk, visit):
    services.visit_record(actor=desk, visit=visit, findings="发现", problems=["企业反映招工难"])
    problem = VisitProblem.objects.get()
    with pytest.raises(DomainError) as exc:
        services.problem_to_ticket(actor=desk, problem=problem, requester_name="王经理", requester_mobile="123")
    assert not Ticket.objects.exists()
    ticket = services.problem_to_ticket(
        actor=desk, problem=problem, requester_name="王经理", requester_mobile="13912345678"
    )
    assert ticket.channel == "visit" and "企业反映招工难" in ticket.description
    assert ticket.origin_id == visit.pk
    problem.refresh_from_db()
    assert problem.follow_up == ticket
    with pytest.raises(DomainError) as exc:
        services.problem_to_ticket(actor=desk, problem=problem, requester_name="王经理", requester_mobile="13912345678")
    assert exc.value.code == "already_followed_up" and ticket.number in exc.value.message
    assert Ticket.objects.count() == 1


def test_another_app_can_take_a_problem_through_the_hook(desk, visit, monkeypatch, tangzhen):
    def make_record(*, actor, problem):
        return Unit.objects.create(name=f"任务：{problem.description}", jurisdiction=tangzhen)

    config = apps.get_app_config("registry")
    monkeypatch.setattr(
        config, "ecosystem_problem_destination", {"label": "转为台账任务", "create": make_record}, raising=False
    )
    services.visit_record(actor=desk, visit=visit, findings="发现", problems=["场地漏水"])
    problem = VisitProblem.objects.get()
    record = services.problem_send(actor=desk, problem=problem, destination="registry")
    problem.refresh_from_db()
    assert record.name == "任务：场地漏水" and problem.follow_up == record
    with pytest.raises(DomainError):
        services.problem_send(actor=desk, problem=problem, destination="nowhere")


def test_overdue_plans_are_flagged(client, desk, incubator):
    late = services.visit_plan(
        actor=desk,
        carrier=incubator,
        planned_on=TODAY() - datetime.timedelta(days=3),
        purpose="季度走访",
        visitors=[desk],
    )
    services.visit_plan(
        actor=desk, carrier=incubator, planned_on=TODAY() + datetime.timedelta(days=3), purpose="下次", visitors=[desk]
    )
    assert late.is_overdue
    client.force_login(desk)
    page = client.get(reverse("ecosystem:visit_list")).content.decode()
    assert "1 次走访已逾期" in page and "已逾期" in page
    overdue = client.get(reverse("ecosystem:visit_list"), {"overdue": "1"}).context["page"]
    assert [v.purpose for v in overdue] == ["季度走访"]


def test_the_office_records_on_a_phone_and_the_carrier_page_shows_the_history(client, desk, visit, incubator):
    client.force_login(desk)
    response = client.post(
        reverse("ecosystem:visit_record", args=[visit.pk]),
        {"findings": "空余工位 6 个", "problems": "网络带宽不足\n希望对接投资机构", "photos": [png()]},
    )
    assert response.status_code == 302
    page = client.get(reverse("ecosystem:visit_detail", args=[visit.pk])).content.decode()
    assert "网络带宽不足" in page and "转为工单" in page
    problem = VisitProblem.objects.first()
    client.post(
        reverse("ecosystem:problem_ticket", args=[visit.pk, problem.pk]),
        {"requester_name": "王经理", "requester_mobile": "13912345678"},
    )
    assert Ticket.objects.get().origin_id == visit.pk
    carrier_page = client.get(reverse("ecosystem:carrier_detail", args=[incubator.pk])).content.decode()
    assert "了解在孵企业融资需求" in carrier_page and "空余工位 6 个" in carrier_page


def test_an_empty_finding_is_refused_on_the_page(client, desk, visit):
    client.force_login(desk)
    response = client.post(reverse("ecosystem:visit_record", args=[visit.pk]), {"findings": ""})
    assert response.status_code == 400
    visit.refresh_from_db()
    assert visit.status == "planned"


def test_the_operator_sees_their_carriers_visits_but_does_not_record_them(client, operator, visit, zj_desk):
    client.force_login(operator)
    assert client.get(reverse("ecosystem:visit_detail", args=[visit.pk])).status_code == 200
    assert client.post(reverse("ecosystem:visit_record", args=[visit.pk]), {"findings": "x"}).status_code == 403
    client.force_login(zj_desk)
    assert client.get(reverse("ecosystem:visit_detail", args=[visit.pk])).status_code == 404


def test_cancelling_needs_a_reason(desk, visit):
    with pytest.raises(DomainError):
        services.visit_cancel(actor=desk, visit=visit, note="")
    services.visit_cancel(actor=desk, visit=visit, note="载体装修")
    visit.refresh_from_db()
    assert visit.status == "cancelled"
