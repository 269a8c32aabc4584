"""Staff pages: creating and running an activity, scoping, check-in, figures and exports."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chuangfu.activities import selectors
from chuangfu.activities.models import Activity, ActivityStatus, ActivityType, Registration
from chuangfu.activities.models import RegistrationStatus as RS
from chuangfu.activities.services import activities as activity_services
from chuangfu.activities.services import checkins, registrations
from chuangfu.activities.services import feedback as feedback_services
from chuangfu.core.models import Role, Unit
from chuangfu.registry.models import Carrier, CarrierKind
from tests import factories

from . import builders

pytestmark = pytest.mark.django_db
ZHANGJIANG = "310115125"
LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def staff(client):
    user = builders.manager()
    client.force_login(user)
    return user


def form_data(**overrides):
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=10)).replace(second=0, microsecond=0)
    data = {
        "type": ActivityType.objects.get(code="service_day").pk,
        "title": "唐镇创业服务日",
        "description": "一站式服务",
        "jurisdiction": factories.town().pk,
        "starts_at": start.strftime(LOCAL),
        "ends_at": (start + datetime.timedelta(hours=3)).strftime(LOCAL),
        "address": "唐镇社区事务受理服务中心",
        "capacity": 50,
        "registration_opens_at": (start - datetime.timedelta(days=11)).strftime(LOCAL),
        "registration_closes_at": (start - datetime.timedelta(hours=1)).strftime(LOCAL),
        "audience": "both",
        "offer_hold_hours": 12,
    }
    data.update(overrides)
    return data


def test_staff_create_a_draft_then_publish_it(client, staff):
    response = client.post(reverse("activities:create"), form_data())
    activity = Activity.objects.get()
    assert response.url == reverse("activities:detail", args=[activity.pk])
    assert activity.status == ActivityStatus.DRAFT and activity.created_by == staff
    page = client.get(response.url).content.decode()
    assert "发布" in page and "草稿" in page
    client.post(reverse("activities:transition", args=[activity.pk, "publish"]))
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.REGISTRATION_OPEN


def test_create_form_shows_the_services_message_for_bad_input(client, staff):
    response = client.post(reverse("activities:create"), form_data(address="", capacity=10))
    assert "请选择活动地点所在的载体，或填写活动地址" in response.content.decode()
    assert not Activity.objects.exists()


def test_lowering_capacity_below_confirmed_on_the_edit_page_is_refused(client, staff):
    act = builders.activity(actor=staff, capacity=2)
    builders.register(act), builders.register(act)
    local = timezone.localtime
    data = form_data(
        capacity=1,
        starts_at=local(act.starts_at).strftime(LOCAL),
        ends_at=local(act.ends_at).strftime(LOCAL),
        registration_opens_at=local(act.registration_opens_at).strftime(LOCAL),
        registration_closes_at=local(act.registration_closes_at).strftime(LOCAL),
    )
    response = client.post(reverse("activities:edit", args=[act.pk]), data)
    assert "名额不能少于已占用的 2 个" in response.content.decode()
    act.refresh_from_db()
    assert act.capacity == 2


def test_cancel_button_needs_a_reason(client, staff):
    act = builders.activity(actor=staff)
    response = client.post(reverse("activities:transition", args=[act.pk, "cancel"]), {"note": ""}, follow=True)
    assert "需要填写说明" in response.content.decode()
    client.post(reverse("activities:transition", args=[act.pk, "cancel"]), {"note": "场地维修"})
    act.refresh_from_db()
    assert act.status == ActivityStatus.CANCELLED


def test_another_towns_activity_is_not_found_on_every_staff_page(client, staff):
    other = builders.activity(
        jurisdiction=factories.town(ZHANGJIANG), actor=builders.manager(jurisdiction=factories.town(ZHANGJIANG))
    )
    registration = builders.register(other)
    gets = [
        reverse("activities:detail", args=[other.pk]),
        reverse("activities:edit", args=[other.pk]),
        reverse("activities:checkin", args=[other.pk]),
        reverse("activities:summary", args=[other.pk]),
        reverse("activities:export", args=[other.pk, "registrations"]),
        reverse("activities:checkin_search", args=[other.pk]) + "?q=李",
    ]
    posts = [
        reverse("activities:transition", args=[other.pk, "cancel"]),
        reverse("activities:clone", args=[other.pk]),
        reverse("activities:checkin_scan", args=[other.pk]),
        reverse("activities:checkin_mark", args=[other.pk, registration.pk]),
        reverse("activities:registration_action", args=[other.pk, registration.pk, "cancel"]),
        reverse("activities:question_add", args=[other.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"note": "x", "token": registration.qr_token, "reason": "x"}).status_code == 404, url
    other.refresh_from_db()
    registration.refresh_from_db()
    assert other.status == ActivityStatus.REGISTRATION_OPEN and registration.checked_in_at is None
    assert other.title not in client.get(reverse("activities:list")).content.decode()


def test_a_registration_of_another_activity_is_not_found_through_this_one(client, staff):
    mine, theirs = builders.activity(actor=staff), builders.activity(actor=staff)
    registration = builders.register(theirs)
    response = client.post(
        reverse("activities:registration_action", args=[mine.pk, registration.pk, "cancel"]), {"reason": "x"}
    )
    assert response.status_code == 404


def test_entrepreneurs_and_mentors_cannot_open_staff_activity_pages(client):
    act = builders.activity()
    for role in (Role.ENTREPRENEUR, Role.MENTOR):
        client.force_login(factories.user(role=role))
        assert client.get(reverse("activities:detail", args=[act.pk])).status_code == 403
        assert client.get(reverse("activities:list")).status_code == 403


def test_carrier_operator_sees_only_activities_at_their_carriers(client):
    operator_unit = Unit.objects.create(name="唐镇创业孵化器", kind=Unit.Kind.CARRIER, jurisdiction=factories.town())
    carrier = Carrier.objects.create(
        kind=CarrierKind.INCUBATOR, name="孵化器A", jurisdiction=factories.town(), operator_unit=operator_unit
    )
    hosted = builders.activity(title="孵化器沙龙", host_carrier=carrier)
    elsewhere = builders.activity(title="镇里的活动")
    client.force_login(factories.user(role=Role.CARRIER_OPERATOR, unit_=operator_unit))
    listing = client.get(reverse("activities:list")).content.decode()
    assert "孵化器沙龙" in listing and "镇里的活动" not in listing
    assert client.get(reverse("activities:detail", args=[hosted.pk])).status_code == 200
    assert client.get(reverse("activities:detail", args=[elsewhere.pk])).status_code == 404


def test_waitlist_move_from_the_page_requires_a_reason(client, staff):
    act = builders.activity(actor=staff, capacity=1)
    regs = [builders.register(act) for _ in range(3)]
    url = reverse("activities:registration_action", args=[act.pk, regs[2].pk, "move"])
    client.post(url, {"position": 1, "reason": ""})
    assert selectors.waitlist_rank(Registration.objects.get(pk=regs[2].pk)) == 2
    client.post(url, {"position": 1, "reason": "现场残疾人优先"})
    assert selectors.waitlist_rank(Registration.objects.get(pk=regs[2].pk)) == 1


def test_questions_can_be_added_and_shown_on_the_public_form(client, staff):
    act = builders.activity(actor=staff)
    client.post(
        reverse("activities:question_add", args=[act.pk]),
        {"text": "企业所属行业", "kind": "choice", "choices": "电商\n餐饮", "required": "on"},
    )
    client.logout()
    form = client.get(reverse("events:register", args=[act.pk])).content.decode()
    assert "企业所属行业" in form and "电商" in form


# --- check-in ------------------------------------------------------------------------------


@pytest.fixture
def today_activity(staff):
    return builders.activity(actor=staff, capacity=3, starts_in=datetime.timedelta(hours=1))


def scan(client, activity, token):
    return client.post(reverse("activities:checkin_scan", args=[activity.pk]), {"token": token}).content.decode()


def test_scanning_a_ticket_checks_in_once_and_a_repeat_says_when(client, today_activity):
    registration = builders.register(today_activity, name="钱七")
    first = scan(client, today_activity, registration.qr_token)
    assert "签到成功：钱七" in first
    registration.refresh_from_db()
    when = timezone.localtime(registration.checked_in_at).strftime("%H:%M:%S")
    repeat = scan(client, today_activity, registration.qr_token)
    assert f"已于 {when} 签到过" in repeat
    registration.refresh_from_db()
    assert timezone.localtime(registration.checked_in_at).strftime("%H:%M:%S") == when


def test_forged_token_and_token_of_another_activity_get_clear_messages(client, today_activity, staff):
    other = builders.activity(actor=staff)
    foreign = builders.register(other)
    assert "不是本平台签发的电子票" in scan(client, today_activity, "forged-token-123")
    assert "属于另一场活动" in scan(client, today_activity, foreign.qr_token)
    foreign.refresh_from_db()
    assert foreign.checked_in_at is None


def test_waitlisted_and_cancelled_tickets_cannot_check_in(client, staff):
    act = builders.activity(actor=staff, capacity=1, starts_in=datetime.timedelta(hours=1))
    builders.register(act)
    waiting = builders.register(act)
    assert "仍在候补名单第 1 位" in scan(client, act, waiting.qr_token)
    registrations.registration_cancel(registration=waiting)
    assert "该报名已取消" in scan(client, act, waiting.qr_token)


def test_check_in_opens_shortly_before_the_start(client, staff):
    act = builders.activity(actor=staff, starts_in=datetime.timedelta(days=5))
    registration = builders.register(act)
    assert "签到于活动开始前 12 小时开放" in scan(client, act, registration.qr_token)


def test_search_by_name_or_full_mobile_then_check_in(client, today_activity):
    registration = builders.register(today_activity, name="孙八", mobile="13655556666")
    by_name = client.get(reverse("activities:checkin_search", args=[today_activity.pk]), {"q": "孙"}).content.decode()
    by_mobile = client.get(
        reverse("activities:checkin_search", args=[today_activity.pk]), {"q": "136 5555 6666"}
    ).content.decode()
    assert "孙八" in by_name and "孙八" in by_mobile and "136****6666" in by_mobile
    response = client.post(
        reverse("activities:checkin_mark", args=[today_activity.pk, registration.pk])
    ).content.decode()
    assert "签到成功：孙八" in response


def test_walk_in_is_registered_and_checked_in_on_the_spot(client, today_activity):
    response = client.post(
        reverse("activities:checkin_walk_in", args=[today_activity.pk]),
        {"name": "周九", "mobile": "13577778888", "enterprise_name": ""},
    ).content.decode()
    assert "周九 已现场登记并签到" in response
    walk_in = Registration.objects.get(name="周九")
    assert walk_in.source == "walk_in" and walk_in.status == RS.CONFIRMED and walk_in.checked_in_at
    duplicate = client.post(
        reverse("activities:checkin_walk_in", args=[today_activity.pk]), {"name": "周九", "mobile": "13577778888"}
    ).content.decode()
    assert "无需重复报名" in duplicate


def test_walk_in_when_full_asks_to_raise_capacity(client, staff):
    act = builders.activity(actor=staff, capacity=1, starts_in=datetime.timedelta(hours=1))
    builders.register(act)
    response = client.post(
        reverse("activities:checkin_walk_in", args=[act.pk]), {"name": "吴十", "mobile": "13577779999"}
    )
    assert "名额已满" in response.content.decode() and not Registration.objects.filter(name="吴十").exists()


def test_check_in_page_renders_camera_and_fallbacks(client, today_activity):
    html = client.get(reverse("activities:checkin", args=[today_activity.pk])).content.decode()
    assert (
        "打开摄像头" in html and "vendor/jsqr/jsQR.js" in html and "按姓名或手机号查找" in html and "现场登记" in html
    )


# --- figures and exports -------------------------------------------------------------------


def attended_and_rated(staff, *, host=None, grade="satisfied", type_code="service_day"):
    act = builders.activity(actor=staff, starts_in=datetime.timedelta(hours=1), host_carrier=host, type_code=type_code)
    came, absent = builders.register(act), builders.register(act)
    checkins.registration_check_in(registration=came, actor=staff)
    act = activity_services.activity_transition(activity=act, actor=staff, name="start")
    act = activity_services.activity_transition(activity=act, actor=staff, name="finish")
    feedback_services.feedback_submit(registration=Registration.objects.get(pk=came.pk), grade=grade)
    return act, came, absent


def test_activity_figures_come_from_check_ins_and_ratings(client, staff):
    act, _, _ = attended_and_rated(staff, grade="dissatisfied")
    html = client.get(reverse("activities:detail", args=[act.pk])).content.decode()
    assert 'data-testid="figure-attended">1<' in html and "到场率 50.0%" in html and "满意率 0.0%" in html


def test_figures_by_carrier_type_and_month(client, staff):
    carrier = Carrier.objects.create(kind=CarrierKind.PARK, name="唐镇产业园", jurisdiction=factories.town())
    attended_and_rated(staff, host=carrier, grade="very_satisfied")
    attended_and_rated(staff, type_code="training", grade="very_dissatisfied")
    by_carrier = client.get(reverse("activities:figures"), {"by": "carrier"}).content.decode()
    assert "唐镇产业园" in by_carrier and "100.0%" in by_carrier
    by_type = client.get(reverse("activities:figures"), {"by": "type"}).content.decode()
    assert "创业培训" in by_type and "服务日" in by_type
    by_month = client.get(reverse("activities:figures"), {"by": "month"}).content.decode()
    assert timezone.localtime(timezone.now() + datetime.timedelta(hours=1)).strftime("%Y-%m") in by_month


def read_xlsx(response):
    return list(load_workbook(io.BytesIO(response.content)).active.values)


def test_exports_of_registrations_attendance_and_feedback(client, staff):
    act, came, absent = attended_and_rated(staff, grade="satisfied")
    regs = read_xlsx(client.get(reverse("activities:export", args=[act.pk, "registrations"])))
    assert regs[0][:5] == ("姓名", "手机号", "代表企业", "报名方式", "状态")
    assert {row[0] for row in regs[1:]} == {came.name, absent.name}
    assert all("****" in row[1] for row in regs[1:])
    attendance = read_xlsx(client.get(reverse("activities:export", args=[act.pk, "attendance"])))
    assert len(attendance) == 2 and attendance[1][0] == came.name
    feedback = read_xlsx(client.get(reverse("activities:export", args=[act.pk, "feedback"])))
    assert feedback[1][0] == "满意" and came.name not in str(feedback)


def test_summary_records_attendance_from_check_ins(client, staff):
    act, _, _ = attended_and_rated(staff)
    client.post(
        reverse("activities:summary", args=[act.pk]),
        {"summary": "接待咨询 20 人次", "outcomes": "2 家企业申请补贴", "complete": "1"},
    )
    act.refresh_from_db()
    assert act.status == ActivityStatus.SUMMARISED
    page = client.get(reverse("activities:summary", args=[act.pk])).content.decode()
    assert "接待咨询 20 人次" in page and 'data-testid="figure-attended">1<' in page


def test_pending_registrations_are_approved_or_declined_from_the_page(client, staff):
    act = builders.activity(actor=staff, capacity=5, needs_approval=True)
    yes, no = builders.register(act), builders.register(act)
    page = client.get(reverse("activities:detail", args=[act.pk]), {"tab": "waitlist"}).content.decode()
    assert "待审核" in page and yes.name in page
    client.post(reverse("activities:registration_action", args=[act.pk, yes.pk, "approve"]))
    declined = client.post(
        reverse("activities:registration_action", args=[act.pk, no.pk, "reject"]), {"reason": ""}, follow=True
    )
    assert "请填写不通过的原因" in declined.content.decode()
    client.post(reverse("activities:registration_action", args=[act.pk, no.pk, "reject"]), {"reason": "不属于本镇企业"})
    yes.refresh_from_db(), no.refresh_from_db()
    assert (yes.status, no.status) == (RS.CONFIRMED, RS.REJECTED)


def test_clone_and_series_from_the_page(client, staff):
    act = builders.activity(actor=staff, title="月度服务日")
    start = timezone.localtime(act.starts_at + datetime.timedelta(days=40)).strftime(LOCAL)
    response = client.post(
        reverse("activities:clone", args=[act.pk]), {"starts_at": start, "title": "月度服务日（二月）"}
    )
    copy = Activity.objects.get(title="月度服务日（二月）")
    assert response.url == reverse("activities:detail", args=[copy.pk]) and copy.status == ActivityStatus.DRAFT
    client.post(reverse("activities:series", args=[act.pk]), {"name": "月度服务日", "step": "week", "count": 3})
    act.refresh_from_db()
    assert act.series is not None and act.series.activities.count() == 3


def test_photos_are_uploaded_to_the_summary(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    act, _, _ = attended_and_rated(staff)
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, format="PNG")
    client.post(
        reverse("activities:photo_add", args=[act.pk]),
        {"image": SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png"), "caption": "现场"},
    )
    assert act.photos.get().caption == "现场"
    not_an_image = client.post(
        reverse("activities:photo_add", args=[act.pk]),
        {"image": SimpleUploadedFile("x.png", b"not an image", content_type="image/png")},
        follow=True,
    )
    assert act.photos.count() == 1
    assert "有效的图片" in not_an_image.content.decode()


def test_finishing_invites_attendees_to_rate_once(staff, django_capture_on_commit_callbacks):
    from chuangfu.core.notifications.sms import LocmemSmsBackend

    act = builders.activity(actor=staff, starts_in=datetime.timedelta(hours=1))
    came, _absent = builders.register(act), builders.register(act)
    checkins.registration_check_in(registration=came, actor=staff)
    act = activity_services.activity_transition(activity=act, actor=staff, name="start")
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.activity_transition(activity=act, actor=staff, name="finish")
    assert [m for m, _ in LocmemSmsBackend.outbox] == [came.mobile]
    assert reverse("events:feedback", args=[came.manage_key]) in LocmemSmsBackend.outbox[0][1]
    assert feedback_services.feedback_invite_due() == 0


def test_home_shows_activity_panels_and_navigation(client, staff):
    builders.activity(actor=staff, status=ActivityStatus.DRAFT)
    page = client.get(reverse("home")).content.decode()
    assert "活动承载" in page and "草稿" in page and reverse("activities:list") in page
    entrepreneur = factories.user(role=Role.ENTREPRENEUR)
    client.force_login(entrepreneur)
    page = client.get(reverse("home")).content.decode()
    assert "我报名的活动" in page and reverse("events:mine") in page and reverse("activities:list") not in page


def test_the_staff_list_shows_the_latest_start_first(client, staff):
    for title, days in (("第二场", 5), ("第三场", 9), ("第一场", 2)):
        builders.activity(actor=staff, title=title, starts_in=datetime.timedelta(days=days))
    page = client.get(reverse("activities:list")).content.decode()
    assert page.index("第三场") < page.index("第二场") < page.index("第一场")
