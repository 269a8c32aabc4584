"""The public pages: list and calendar, registration with an SMS code, the ticket, .ics,
cancelling and rating."""

import datetime
import io
import re

import pytest
import qrcode
from django.urls import reverse
from django.utils import timezone

from chuangfu.activities.models import ActivityStatus, Feedback, Registration
from chuangfu.activities.models import RegistrationStatus as RS
from chuangfu.activities.services import activities as activity_services
from chuangfu.activities.services import checkins
from chuangfu.core.models import Role
from chuangfu.core.notifications.sms import LocmemSmsBackend
from chuangfu.registry.models import Carrier, CarrierKind
from tests import factories

from . import builders

pytestmark = pytest.mark.django_db


def sms_code_for(mobile: str) -> str:
    texts = [text for to, text in LocmemSmsBackend.outbox if to == mobile]
    return re.search(r"验证码 (\d{6})", texts[-1]).group(1)


def test_list_shows_upcoming_activities_and_filters_by_town_type_and_carrier(client):
    carrier = Carrier.objects.create(kind=CarrierKind.INCUBATOR, name="唐镇创业孵化基地", jurisdiction=factories.town())
    service_day = builders.activity(title="家门口服务日", host_carrier=carrier)
    training = builders.activity(title="SYB 创业培训", type_code="training")
    zhangjiang = builders.activity(title="张江路演", jurisdiction=factories.town("310115125"), type_code="competition")
    builders.activity(title="草稿活动", status=ActivityStatus.DRAFT)
    page = client.get(reverse("events:list")).content.decode()
    assert all(a.title in page for a in (service_day, training, zhangjiang))
    assert "草稿活动" not in page
    by_town = client.get(reverse("events:list"), {"town": factories.town().pk}).content.decode()
    assert "家门口服务日" in by_town and "张江路演" not in by_town
    by_type = client.get(reverse("events:list"), {"type": training.type_id}).content.decode()
    assert "SYB 创业培训" in by_type and "家门口服务日" not in by_type
    by_carrier = client.get(reverse("events:list"), {"carrier": carrier.pk}).content.decode()
    assert "家门口服务日" in by_carrier and "SYB 创业培训" not in by_carrier


def test_month_calendar_places_the_activity_on_its_day(client):
    act = builders.activity(title="月历里的活动")
    local = timezone.localtime(act.starts_at)
    response = client.get(reverse("events:list"), {"view": "calendar", "month": local.strftime("%Y-%m")})
    html = response.content.decode()
    html = html[html.index("cf-calendar") :]  # the grid (phones get a list of the month above it)
    assert "月历里的活动" in html
    cell = html[html.index("月历里的活动") - 600 : html.index("月历里的活动")]
    assert f'fw-semibold">{local.day}</div>' in cell


def test_draft_detail_is_not_found(client):
    act = builders.activity(status=ActivityStatus.DRAFT)
    assert client.get(reverse("events:detail", args=[act.pk])).status_code == 404


def test_anonymous_registration_with_sms_code_leads_to_the_qr_ticket(client, django_capture_on_commit_callbacks):
    act = builders.activity(capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("events:send_code"), {"mobile": "13811112222"})
    assert "验证码已发送" in sent.content.decode()
    code = sms_code_for("13811112222")
    response = client.post(
        reverse("events:register", args=[act.pk]),
        {
            "name": "王五",
            "mobile": "13811112222",
            "sms_code": code,
            "enterprise_name": "",
        },
    )
    registration = Registration.objects.get(activity=act)
    assert response.status_code == 302 and response.url == reverse("events:ticket", args=[registration.manage_key])
    ticket = client.get(response.url).content.decode()
    assert "已确认" in ticket and reverse("events:ticket_qr", args=[registration.manage_key]) in ticket
    assert registration.qr_token in ticket


def test_wrong_sms_code_is_refused_and_nothing_is_saved(client, django_capture_on_commit_callbacks):
    act = builders.activity()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:send_code"), {"mobile": "13811113333"})
    response = client.post(
        reverse("events:register", args=[act.pk]), {"name": "王五", "mobile": "13811113333", "sms_code": "000000"}
    )
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode() or "验证码已过期" in response.content.decode()
    assert not Registration.objects.exists()


def test_double_submit_makes_one_registration_and_points_to_the_ticket(client, django_capture_on_commit_callbacks):
    act = builders.activity()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:send_code"), {"mobile": "13811114444"})
    data = {"name": "王五", "mobile": "13811114444", "sms_code": sms_code_for("13811114444")}
    client.post(reverse("events:register", args=[act.pk]), data)
    again = client.post(reverse("events:register", args=[act.pk]), data)
    assert Registration.objects.filter(activity=act).count() == 1
    html = again.content.decode()
    assert "无需重复报名" in html
    assert reverse("events:ticket", args=[Registration.objects.get().manage_key]) in html


def test_logged_in_entrepreneur_registers_without_a_code_on_behalf_of_the_enterprise(client):
    user = factories.user(role=Role.ENTREPRENEUR, mobile="13822223333", mobile_verified_at=timezone.now())
    company = factories.enterprise(account=user)
    act = builders.activity()
    client.force_login(user)
    form = client.get(reverse("events:register", args=[act.pk])).content.decode()
    assert "获取验证码" not in form and company.name in form
    client.post(
        reverse("events:register", args=[act.pk]),
        {"name": "赵六", "mobile": "13822223333", "enterprise_name": company.name, "enterprise_uscc": company.uscc},
    )
    registration = Registration.objects.get(activity=act)
    assert registration.user == user and registration.enterprise == company
    mine = client.get(reverse("events:mine")).content.decode()
    assert act.title in mine


def test_registration_outside_the_window_is_refused_on_the_page(client):
    user = factories.user(role=Role.ENTREPRENEUR, mobile="13822224444", mobile_verified_at=timezone.now())
    act = builders.activity(closes_before=datetime.timedelta(days=6))
    registrations_closed_at = act.registration_closes_at
    assert registrations_closed_at < timezone.now() + datetime.timedelta(days=2)
    activity_services.activity_transition(activity=act, actor=builders.manager(), name="close_registration")
    client.force_login(user)
    response = client.post(reverse("events:register", args=[act.pk]), {"name": "赵六", "mobile": "13822224444"})
    assert "报名已截止" in response.content.decode()
    assert not Registration.objects.exists()


def test_qr_image_encodes_only_the_opaque_token(client):
    act = builders.activity()
    registration = builders.register(act)
    response = client.get(reverse("events:ticket_qr", args=[registration.manage_key]))
    assert response["Content-Type"] == "image/png"
    expected = io.BytesIO()
    qrcode.make(registration.qr_token, box_size=8, border=2).save(expected, format="PNG")
    assert response.content == expected.getvalue()
    assert registration.name not in registration.qr_token and registration.mobile not in registration.qr_token


def test_ics_download_describes_the_activity(client):
    act = builders.activity(title="创业沙龙：跨境电商")
    registration = builders.register(act)
    response = client.get(reverse("events:ticket_ics", args=[registration.manage_key]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "SUMMARY:创业沙龙：跨境电商" in body
    assert f"DTSTART:{act.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_registrant_cancels_from_the_ticket_and_the_seat_goes_to_the_next(client):
    act = builders.activity(capacity=1)
    first, second = builders.register(act), builders.register(act)
    response = client.post(reverse("events:ticket_cancel", args=[first.manage_key]), follow=True)
    assert "报名已取消" in response.content.decode()
    second.refresh_from_db()
    assert second.status == RS.OFFERED
    page = client.get(reverse("events:ticket", args=[second.manage_key])).content.decode()
    assert "确认参加" in page
    client.post(reverse("events:ticket_accept", args=[second.manage_key]))
    second.refresh_from_db()
    assert second.status == RS.CONFIRMED


def test_ticket_shows_the_waiting_list_place(client):
    act = builders.activity(capacity=1)
    builders.register(act)
    waiting = builders.register(act)
    page = client.get(reverse("events:ticket", args=[waiting.manage_key])).content.decode()
    assert "候补名单中的位置" in page and '<p class="display-6 mb-0">1</p>' in page
    assert client.get(reverse("events:ticket_qr", args=[waiting.manage_key])).status_code == 404


def test_unknown_ticket_key_is_not_found(client):
    assert client.get(reverse("events:ticket", args=["no-such-key"])).status_code == 404


def test_rating_once_after_attending(client):
    now = timezone.now()
    act = builders.activity(now=now, starts_in=datetime.timedelta(hours=1))
    registration = builders.register(act)
    staff = builders.manager()
    checkins.registration_check_in(registration=registration, actor=staff)
    not_yet = client.post(reverse("events:feedback", args=[registration.manage_key]), {"grade": "satisfied"})
    assert "活动结束后才能评价" in not_yet.content.decode()
    act = activity_services.activity_transition(activity=act, actor=staff, name="start")
    activity_services.activity_transition(activity=act, actor=staff, name="finish")
    client.post(
        reverse("events:feedback", args=[registration.manage_key]), {"grade": "very_satisfied", "comment": "很有用"}
    )
    again = client.post(reverse("events:feedback", args=[registration.manage_key]), {"grade": "very_dissatisfied"})
    assert Feedback.objects.get(registration=registration).grade == "very_satisfied"
    assert "您已于" in again.content.decode() and "非常满意" in again.content.decode()


def test_people_who_did_not_attend_cannot_rate(client):
    act = builders.activity(status=ActivityStatus.FINISHED, starts_in=datetime.timedelta(hours=1))
    registration = Registration.objects.create(activity=act, name="缺席者", mobile="13900009999", status=RS.CONFIRMED)
    response = client.post(reverse("events:feedback", args=[registration.manage_key]), {"grade": "satisfied"})
    assert "只有签到参加了活动的人才能评价" in response.content.decode()
    assert not Feedback.objects.exists()


def test_times_show_the_end_date_only_when_the_activity_runs_past_its_first_day(client):
    day = timezone.localdate() + datetime.timedelta(days=9)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14)))
    now = timezone.now()
    builders.activity(title="半日培训", starts_in=start - now, duration=datetime.timedelta(hours=3))
    builders.activity(title="两日训练营", starts_in=start - now, duration=datetime.timedelta(days=1, hours=3))
    page = client.get(reverse("events:list")).content.decode()
    same_day = f"{day:%Y-%m-%d} 14:00 – 17:00"
    two_days = f"{day:%Y-%m-%d} 14:00 – {day + datetime.timedelta(days=1):%Y-%m-%d} 17:00"
    assert same_day in page and two_days in page


def test_an_activity_under_way_or_over_says_so_instead_of_offering_seats(client):
    then = timezone.now() - datetime.timedelta(hours=2)
    running = builders.activity(status=ActivityStatus.IN_PROGRESS, now=then, starts_in=datetime.timedelta(hours=1))
    page = client.get(reverse("events:detail", args=[running.pk])).content.decode()
    assert "活动正在进行" in page and "剩余名额" not in page
    over = activity_services.activity_transition(activity=running, actor=builders.manager(), name="finish")
    page = client.get(reverse("events:detail", args=[over.pk])).content.decode()
    assert "活动已结束。" in page and "剩余名额" not in page


def test_the_month_view_lists_the_months_activities_for_phones(client):
    act = builders.activity(title="月中创业沙龙", starts_in=datetime.timedelta(days=1))
    month = timezone.localtime(act.starts_at).strftime("%Y-%m")
    page = client.get(reverse("events:list"), {"view": "calendar", "month": month}).content.decode()
    agenda = page[page.index('class="d-md-none cf-agenda"') : page.index("cf-calendar")]
    assert "月中创业沙龙" in agenda and reverse("events:detail", args=[act.pk]) in agenda
    empty = client.get(reverse("events:list"), {"view": "calendar", "month": "2020-01"}).content.decode()
    assert "本月暂无活动。" in empty
