"""Consultations raised at an activity become desk tickets linked to the activity (issue 4, point 7):
recorded by whoever runs the activity, from the activity page, the check-in page or the API;
then handled by the desk's normal flow; counted with their states on the activity's summary
and figures; scoped by town and, for unit liaisons, by unit."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from chuangfu.activities import selectors
from chuangfu.activities.models import Activity, ActivityStatus
from chuangfu.activities.services import activities as activity_services
from chuangfu.activities.services import consultations
from chuangfu.core.errors import DomainError
from chuangfu.core.models import AuditEntry, Role, Unit
from chuangfu.core.notifications.sms import LocmemSmsBackend
from chuangfu.desk import services as desk_services
from chuangfu.desk.models import Category, Channel, RoutingRule, Status, Ticket
from chuangfu.registry.models import Carrier, CarrierKind
from tests import factories

from . import builders

pytestmark = pytest.mark.django_db
ZHANGJIANG = "310115125"


@pytest.fixture
def staff():
    return builders.manager(display_name="窗口小李")


def started(*, status=ActivityStatus.IN_PROGRESS, hours_ago=1, **kwargs):
    """An activity that started ``hours_ago`` hours ago (three hours long), moved to ``status`` back then."""
    then = timezone.now() - datetime.timedelta(hours=hours_ago + 1)
    act = builders.activity(status=status, now=then, starts_in=datetime.timedelta(hours=1), **kwargs)
    assert act.status == status
    return act


@pytest.fixture
def running(staff):
    """A service day that started an hour ago."""
    return started(actor=staff)


def record(activity, actor, **overrides):
    values = {
        "requester_name": "王小明",
        "requester_mobile": "13912340001",
        "description": "想咨询一次性创业补贴怎么申请",
    }
    values.update(overrides)
    return consultations.consultation_record(activity=activity, actor=actor, **values)


def category(activity, name):
    return Category.objects.get(jurisdiction=activity.jurisdiction, name=name)


# --- the service ---------------------------------------------------------------------------------


def test_a_consultation_becomes_a_desk_ticket_linked_to_the_activity(
    running, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket, created = record(running, staff, enterprise_name="唐镇小店")
    assert created
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.channel == Channel.ACTIVITY and ticket.get_channel_display() == "活动现场"
    assert ticket.origin == running
    assert ticket.origin_type == ContentType.objects.get_for_model(Activity) and ticket.origin_id == running.pk
    assert ticket.status == Status.RECEIVED and ticket.category.name == "其他"  # no category chosen
    assert ticket.requester_enterprise_name == "唐镇小店" and ticket.first_handler == staff
    assert ticket.accept_due > ticket.received_on and ticket.answer_due >= ticket.accept_due  # working-day deadlines
    first = ticket.events.get()
    assert "活动现场" in first.note and running.title in first.note
    assert AuditEntry.objects.filter(action="desk.ticket.created", object_id=str(ticket.pk)).exists()
    assert AuditEntry.objects.filter(
        action="activities.activity.consultation_recorded", object_id=str(running.pk), after__ticket=ticket.number
    ).exists()
    assert any(to == "13912340001" and ticket.number in text for to, text in LocmemSmsBackend.outbox)


def test_the_chosen_category_drives_the_routing_suggestion(running, staff):
    unit = factories.unit("人社服务中心", running.jurisdiction)
    loans = category(running, "融资贷款")
    RoutingRule.objects.create(jurisdiction=running.jurisdiction, name="贷款找人社", category=loans, unit=unit)
    ticket, _ = record(running, staff, category_id=loans.pk, description="创业担保贷款额度是多少")
    assert ticket.category == loans and ticket.suggested_unit == unit and "贷款找人社" in ticket.suggestion_reason


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"requester_mobile": "1391234"}, "手机号"),
        ({"requester_mobile": ""}, "手机号"),
        ({"description": "   "}, "请填写诉求内容"),
        ({"requester_name": ""}, "请填写姓名"),
        ({"uscc": "91310115MA1234567X"}, "统一社会信用代码"),
        ({"description": "字" * 2001}, "最多 2000 字"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_saves_nothing(running, staff, overrides, message):
    with pytest.raises(DomainError) as exc:
        record(running, staff, **overrides)
    assert message in str(exc.value.message)
    assert not Ticket.objects.exists()
    assert not AuditEntry.objects.filter(action="activities.activity.consultation_recorded").exists()


def test_a_category_of_another_town_is_refused(running, staff):
    foreign = Category.objects.get(jurisdiction=factories.town(ZHANGJIANG), name="融资贷款")
    with pytest.raises(DomainError) as exc:
        record(running, staff, category_id=foreign.pk)
    assert "请选择有效的咨询类别" in str(exc.value.message) and not Ticket.objects.exists()


@pytest.mark.parametrize(
    "status, message",
    [
        (ActivityStatus.DRAFT, "活动尚未发布，不能登记现场咨询。"),
        (ActivityStatus.CANCELLED, "活动已取消，不能登记现场咨询。"),
    ],
)
def test_draft_and_cancelled_activities_refuse_consultations(staff, status, message):
    act = builders.activity(actor=staff, status=status)
    with pytest.raises(DomainError) as exc:
        record(act, staff)
    assert str(exc.value.message) == message and exc.value.status == 409
    assert not Ticket.objects.exists()


def test_consultations_open_with_check_in_and_stay_open_after_the_end(staff):
    act = builders.activity(actor=staff, starts_in=datetime.timedelta(days=2))
    with pytest.raises(DomainError) as exc:
        record(act, staff)
    assert "活动尚未开始" in str(exc.value.message)
    soon = builders.activity(actor=staff, starts_in=datetime.timedelta(hours=2))
    assert record(soon, staff)[1]  # check-in is open: the people are arriving
    over = started(actor=staff, status=ActivityStatus.FINISHED, hours_ago=4)
    assert record(over, staff, requester_mobile="13912340002")[1]


def test_a_double_submit_makes_one_ticket(running, staff):
    first, created = record(running, staff, idempotency_key="k-1")
    again, created_again = record(running, staff, idempotency_key="k-1", description="改了一个字也还是同一次提交")
    assert created and not created_again and again == first
    same_content, created_third = record(running, staff)  # same mobile and matter within a minute, no key
    assert not created_third and same_content == first
    assert Ticket.objects.count() == 1
    assert AuditEntry.objects.filter(action="activities.activity.consultation_recorded").count() == 1


def test_the_same_matter_just_recorded_at_another_activity_is_not_linked_here(running, staff):
    other = started(actor=staff, title="另一场服务日")
    record(running, staff)
    with pytest.raises(DomainError) as exc:
        record(other, staff)
    assert "刚刚提交过相同的诉求" in str(exc.value.message)
    assert selectors.activity_consultations(other, actor=staff)["total"] == 0


def test_desk_staff_cannot_pick_the_activity_channel_without_an_activity(staff):
    from django.core.exceptions import ValidationError

    town = factories.town()
    with pytest.raises(ValidationError) as exc:
        desk_services.ticket_record_by_staff(
            actor=staff,
            category=Category.objects.get(jurisdiction=town, name="其他"),
            channel=Channel.ACTIVITY,
            description="事项",
            requester_name="张三",
            requester_mobile="13912340003",
        )
    assert "channel" in exc.value.message_dict and not Ticket.objects.exists()


# --- the desk flow and what the activity shows ------------------------------------------------


def test_the_ticket_follows_the_desk_flow_and_the_summary_shows_its_state(client, running, staff):
    market = factories.unit("市场监管所", running.jurisdiction, kind=Unit.Kind.GOVERNMENT)
    liaison = factories.user(Role.UNIT_LIAISON, running.jurisdiction, market)
    answered, _ = record(running, staff, description="个体户怎么注册")
    waiting, _ = record(running, staff, requester_mobile="13912340009", description="场地租赁有补贴吗")
    answered = desk_services.ticket_dispatch(ticket=answered, actor=staff, unit=market)
    answered = desk_services.ticket_accept(ticket=answered, actor=liaison)
    answered = desk_services.ticket_answer(ticket=answered, actor=liaison, answer="可在一网通办办理，详见指南。")
    data = selectors.activity_consultations(running, actor=staff)
    assert (data["total"], data["open"], data["answered"], data["closed"]) == (2, 1, 1, 0)
    closed = desk_services.ticket_close(ticket=answered, actor=staff)
    assert closed.status == Status.CLOSED

    running = activity_services.activity_transition(activity=running, actor=staff, name="finish")
    client.force_login(staff)
    page = client.get(reverse("activities:summary", args=[running.pk])).content.decode()
    assert 'data-testid="consultations-total">2<' in page and 'data-testid="consultations-closed">1<' in page
    assert answered.number in page and waiting.number in page and "已办结" in page and "已受理" in page
    assert reverse("desk:ticket_detail", args=[answered.pk]) in page
    # the ticket shows where it came from, with a link back to the activity
    detail = client.get(reverse("desk:ticket_detail", args=[answered.pk])).content.decode()
    assert "来源" in detail and running.title in detail and reverse("activities:detail", args=[running.pk]) in detail


def test_a_liaison_sees_on_the_activity_only_their_units_consultation_tickets(client, running, staff):
    market = factories.unit("市场监管所", running.jurisdiction, kind=Unit.Kind.GOVERNMENT)
    league = factories.unit("团委", running.jurisdiction, kind=Unit.Kind.MASS_ORGANISATION)
    running.co_units.add(market)
    liaison = factories.user(Role.UNIT_LIAISON, running.jurisdiction, market)
    ours, _ = record(running, staff, description="营业执照变更")
    theirs, _ = record(running, staff, requester_mobile="13912340005", description="青年创业大赛报名")
    desk_services.ticket_dispatch(ticket=ours, actor=staff, unit=market)
    desk_services.ticket_dispatch(ticket=theirs, actor=staff, unit=league)
    data = selectors.activity_consultations(running, actor=liaison)
    assert data["total"] == 2 and [t.number for t in data["tickets"]] == [ours.number] and data["hidden"] == 1
    client.force_login(liaison)
    page = client.get(reverse("activities:detail", args=[running.pk]), {"tab": "consultations"}).content.decode()
    assert ours.number in page and theirs.number not in page and "另有 1 条" in page
    assert client.get(reverse("desk:ticket_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("desk:ticket_detail", args=[ours.pk])).status_code == 200


def test_figures_count_consultations_per_type(running, staff):
    record(running, staff)
    record(running, staff, requester_mobile="13912340006", description="招聘用工补贴")
    rows = selectors.figures_by(actor=staff, dimension="type")
    assert [(r["label"], r["consultations"]) for r in rows] == [("服务日", 2)]


# --- pages -----------------------------------------------------------------------------------------


def test_staff_record_a_consultation_from_the_activity_page(client, running, staff):
    client.force_login(staff)
    url = reverse("activities:detail", args=[running.pk])
    page = client.get(url, {"tab": "consultations"}).content.decode()
    assert "登记现场咨询" in page and 'name="idempotency_key"' in page
    data = {
        "requester_name": "赵六",
        "requester_mobile": "13912340007",
        "category_id": category(running, "政策咨询").pk,
        "description": "社保补贴申请材料",
        "idempotency_key": "form-key-1",
    }
    response = client.post(reverse("activities:consultation_add", args=[running.pk]), data)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.origin == running and ticket.category.name == "政策咨询"
    again = client.post(reverse("activities:consultation_add", args=[running.pk]), data, follow=True).content.decode()
    assert "已登记过" in again and Ticket.objects.count() == 1


def test_bad_input_on_the_page_keeps_what_was_typed(client, running, staff):
    client.force_login(staff)
    response = client.post(
        reverse("activities:consultation_add", args=[running.pk]),
        {"requester_name": "赵六", "requester_mobile": "12345", "description": "社保补贴申请材料"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "手机号" in page and "社保补贴申请材料" in page and "赵六" in page
    assert not Ticket.objects.exists()


def test_a_cancelled_activity_page_says_why_no_consultation_can_be_recorded(client, staff):
    act = builders.activity(actor=staff, status=ActivityStatus.CANCELLED)
    client.force_login(staff)
    page = client.get(reverse("activities:detail", args=[act.pk]), {"tab": "consultations"}).content.decode()
    form_action = reverse("activities:consultation_add", args=[act.pk])
    assert "活动已取消，不能登记现场咨询。" in page and form_action not in page
    response = client.post(
        reverse("activities:consultation_add", args=[act.pk]),
        {"requester_name": "赵六", "requester_mobile": "13912340007", "description": "问题"},
    )
    assert "活动已取消，不能登记现场咨询。" in response.content.decode() and not Ticket.objects.exists()


def test_the_check_in_page_records_a_consultation_and_hands_out_a_fresh_key(client, running, staff):
    client.force_login(staff)
    page = client.get(reverse("activities:checkin", args=[running.pk])).content.decode()
    assert "登记现场咨询" in page
    url = reverse("activities:checkin_consultation", args=[running.pk])
    data = {
        "requester_name": "钱七",
        "requester_mobile": "13912340008",
        "description": "电商直播培训什么时候开",
        "idempotency_key": "checkin-key-1",
    }
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    ticket = Ticket.objects.get()
    assert response["X-Result"] == "ok" and ticket.number in html and 'hx-swap-oob="true"' in html
    assert 'data-testid="consultations">1<' in html  # the counts above the page
    assert 'value="checkin-key-1"' not in html  # the next consultation gets a key of its own
    bad = client.post(
        url, {**data, "requester_mobile": "139", "idempotency_key": "checkin-key-2"}, HTTP_HX_REQUEST="true"
    )
    assert "X-Result" not in bad and "手机号" in bad.content.decode() and Ticket.objects.count() == 1


def test_the_carrier_operator_running_the_activity_records_consultations(client):
    operator_unit = Unit.objects.create(name="唐镇创业孵化器", kind=Unit.Kind.CARRIER, jurisdiction=factories.town())
    carrier = Carrier.objects.create(
        kind=CarrierKind.INCUBATOR, name="孵化器A", jurisdiction=factories.town(), operator_unit=operator_unit
    )
    hosted = started(host_carrier=carrier)
    elsewhere = started(title="镇里的活动")
    operator = factories.user(role=Role.CARRIER_OPERATOR, unit_=operator_unit)
    client.force_login(operator)
    data = {"requester_name": "孙八", "requester_mobile": "13912340010", "description": "工位租金能减免吗"}
    assert client.post(reverse("activities:consultation_add", args=[hosted.pk]), data).status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.origin == hosted and ticket.first_handler is None  # the desk picks it up from 待处理
    assert client.post(reverse("activities:consultation_add", args=[elsewhere.pk]), data).status_code == 404
    assert Ticket.objects.count() == 1
    data = selectors.activity_consultations(hosted, actor=operator)
    assert data["total"] == 1 and data["tickets"] == [] and data["hidden"] == 1  # the operator has no desk access


def test_another_towns_activity_is_not_found_for_consultations(client, staff):
    zhangjiang = factories.town(ZHANGJIANG)
    other = started(jurisdiction=zhangjiang, actor=builders.manager(jurisdiction=zhangjiang))
    client.force_login(staff)
    data = {"requester_name": "孙八", "requester_mobile": "13912340010", "description": "问题"}
    assert client.post(reverse("activities:consultation_add", args=[other.pk]), data).status_code == 404
    assert client.post(reverse("activities:checkin_consultation", args=[other.pk]), data).status_code == 404
    assert client.get(reverse("activities:detail", args=[other.pk]), {"tab": "consultations"}).status_code == 404
    assert (
        client.post(
            f"/api/activities/{other.pk}/consultations", data={**data}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get(f"/api/activities/{other.pk}/consultations").status_code == 404
    assert not Ticket.objects.exists()


# --- API -------------------------------------------------------------------------------------------


def test_api_records_and_lists_consultations(client, running, staff):
    client.force_login(staff)
    url = f"/api/activities/{running.pk}/consultations"
    payload = {
        "requester_name": "周九",
        "requester_mobile": "13912340011",
        "description": "注册公司需要什么材料",
        "category_id": category(running, "注册开办").pk,
        "idempotency_key": "api-1",
    }
    created = client.post(url, payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["created"] is True
    again = client.post(url, payload, content_type="application/json")
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["number"] == created.json()["number"]
    bad = client.post(
        url, {**payload, "requester_mobile": "1", "idempotency_key": "api-2"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "手机号" in bad.json()["message"]
    listing = client.get(url).json()
    assert listing["total"] == 1 and listing["tickets"][0]["category"] == "注册开办"
    assert listing["tickets"][0]["status_label"] == "已受理"
    ticket = client.get(f"/api/desk/tickets/{created.json()['id']}").json()
    assert ticket["channel"] == "activity" and running.title in ticket["origin"]
    assert ticket["origin_url"] == reverse("activities:detail", args=[running.pk])


def test_api_refuses_a_cancelled_activity(client, staff):
    act = builders.activity(actor=staff, status=ActivityStatus.CANCELLED)
    client.force_login(staff)
    response = client.post(
        f"/api/activities/{act.pk}/consultations",
        {"requester_name": "周九", "requester_mobile": "13912340011", "description": "问题"},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["message"] == "活动已取消，不能登记现场咨询。"


def test_without_the_desk_activities_work_and_consultations_are_refused(staff, running, monkeypatch):
    from django.apps import apps

    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: False if name == "chuangfu.desk" else real(name))
    assert selectors.activity_consultations(running, actor=staff) is None
    assert selectors.consultation_categories(running) == []
    with pytest.raises(DomainError) as exc:
        record(running, staff)
    assert "未启用咨询受理" in str(exc.value.message) and not Ticket.objects.exists()
    assert selectors.figures_by(actor=staff, dimension="type")[0]["consultations"] == 0
    running.refresh_from_db()
    assert running.status == ActivityStatus.IN_PROGRESS
