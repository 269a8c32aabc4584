"""Entrepreneur self-registration by SMS code, login by username or mobile, lockout, sessions,
passwords."""

import datetime
import logging
import re

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chuangfu.core import accounts
from chuangfu.core.crypto import lookup_hash
from chuangfu.core.errors import DomainError
from chuangfu.core.models import AuditEntry, Role, SmsCode, User
from chuangfu.core.notifications.sms import LocmemSmsBackend
from tests import factories

pytestmark = pytest.mark.django_db

MOBILE = "13800138000"
PASSWORD = "Chuangye2026go"


def last_code(mobile=MOBILE) -> str:
    sent_to, text = LocmemSmsBackend.outbox[-1]
    assert sent_to == mobile
    return re.search(r"验证码 (\d{6})", text).group(1)


def send(mobile=MOBILE, purpose=accounts.PURPOSE_REGISTER, *, capture):
    with capture(execute=True):
        return accounts.sms_code_send(mobile=mobile, purpose=purpose)


def age_codes(mobile=MOBILE, **delta):
    """Pretend the codes of ``mobile`` were sent ``delta`` ago (as the clock would)."""
    shift = datetime.timedelta(**delta)
    for record in SmsCode.objects.filter(mobile_hash=lookup_hash(mobile)):
        record.created_at -= shift
        record.expires_at -= shift
        record.save()


def register_through_pages(client, capture, mobile_typed="138 0013 8000", name="王小创", password=PASSWORD):
    with capture(execute=True):
        response = client.post(reverse("register"), {"mobile": mobile_typed})
    assert response.status_code == 302 and response.url == reverse("register_verify")
    response = client.post(reverse("register_verify"), {"code": last_code()})
    assert response.status_code == 302 and response.url == reverse("register_finish")
    return client.post(reverse("register_finish"), {"display_name": name, "password1": password, "password2": password})


# --- registration -----------------------------------------------------------------------------


def test_entrepreneur_registers_with_an_sms_code_and_lands_signed_in(client, django_capture_on_commit_callbacks):
    response = register_through_pages(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response.url == reverse("home")
    user = User.objects.get(mobile_hash=lookup_hash(MOBILE))
    assert user.role == Role.ENTREPRENEUR
    assert user.display_name == "王小创"
    assert user.mobile == MOBILE and user.mobile_verified_at is not None
    assert user.jurisdiction is None and not user.is_staff
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert f"您的用户名是 {user.username}" in home.content.decode()
    assert AuditEntry.objects.filter(action="core.user.registered", object_id=str(user.pk)).exists()


def test_registration_stores_neither_the_code_nor_the_mobile_in_the_clear(client, django_capture_on_commit_callbacks):
    register_through_pages(client, django_capture_on_commit_callbacks)
    code = last_code()
    record = SmsCode.objects.get()
    assert code not in record.code_hash and MOBILE not in record.mobile_hash
    user = User.objects.get(mobile_hash=lookup_hash(MOBILE))
    assert MOBILE not in user.username
    entry = AuditEntry.objects.get(action="core.user.registered")
    assert MOBILE not in str(entry.after) and entry.after["mobile"] == "138****8000"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT mobile FROM {User._meta.db_table} WHERE id = %s", [user.pk])
        stored = cursor.fetchone()[0]
    assert stored and MOBILE not in stored


def test_new_entrepreneur_signs_in_with_mobile_or_username(client, django_capture_on_commit_callbacks):
    register_through_pages(client, django_capture_on_commit_callbacks)
    user = User.objects.get(mobile_hash=lookup_hash(MOBILE))
    client.post(reverse("logout"))

    for identifier in ("138-0013-8000", "+86 13800138000", user.username):
        response = client.post(reverse("login"), {"username": identifier, "password": PASSWORD})
        assert response.status_code == 302, identifier
        assert client.session["_auth_user_id"] == str(user.pk)
        client.post(reverse("logout"))


def test_unverified_mobile_on_a_staff_account_is_not_a_login_name(client):
    staff = factories.user(role=Role.DESK_STAFF, mobile="13900139000")
    response = client.post(reverse("login"), {"username": "13900139000", "password": "Chuangfu2026"})
    assert response.status_code == 200
    assert "用户名/手机号或密码不正确" in response.content.decode()
    assert client.post(reverse("login"), {"username": staff.username, "password": "Chuangfu2026"}).status_code == 302


def test_dev_sms_backend_writes_the_code_to_the_log_with_the_mobile_masked(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "chuangfu.core.notifications.sms.LogSmsBackend"
    with caplog.at_level(logging.INFO, logger="chuangfu.sms"):
        send(capture=django_capture_on_commit_callbacks)
    assert re.search(r"SMS to 138\*\*\*\*8000: 【创服】验证码：您正在注册，验证码 \d{6}，10 分钟内有效", caplog.text)
    assert MOBILE not in caplog.text


def test_already_registered_mobile_is_told_to_sign_in(client, django_capture_on_commit_callbacks):
    register_through_pages(client, django_capture_on_commit_callbacks)
    other = Client()
    response = other.post(reverse("register"), {"mobile": MOBILE})
    assert response.status_code == 200
    assert "该手机号已注册，请直接登录" in response.content.decode()
    assert User.objects.filter(mobile_hash=lookup_hash(MOBILE)).count() == 1


def test_malformed_mobile_gets_a_chinese_error_and_no_sms(client):
    response = client.post(reverse("register"), {"mobile": "1234567"})
    assert "手机号码格式不正确" in response.content.decode()
    assert LocmemSmsBackend.outbox == [] and not SmsCode.objects.exists()


def test_weak_or_mismatched_password_creates_no_account(client, django_capture_on_commit_callbacks):
    response = register_through_pages(client, django_capture_on_commit_callbacks, password="12345678")
    page = response.content.decode()
    assert response.status_code == 200
    assert "密码必须同时包含字母和数字" in page
    assert "密码太短，至少需要 10 个字符" in page and "too short" not in page
    assert not User.objects.filter(role=Role.ENTREPRENEUR).exists()

    response = client.post(
        reverse("register_finish"), {"display_name": "王小创", "password1": PASSWORD, "password2": PASSWORD + "x"}
    )
    assert "两次输入的密码不一致" in response.content.decode()
    assert not User.objects.filter(role=Role.ENTREPRENEUR).exists()


def test_finish_page_without_a_verified_mobile_sends_back_to_step_one(client):
    response = client.get(reverse("register_finish"))
    assert response.status_code == 302 and response.url == reverse("register")


def test_second_registration_with_the_same_verification_creates_nothing(django_capture_on_commit_callbacks):
    send(capture=django_capture_on_commit_callbacks)
    record = accounts.sms_code_verify(mobile=MOBILE, code=last_code(), purpose=accounts.PURPOSE_REGISTER)
    accounts.entrepreneur_register(mobile=MOBILE, verification_id=record.pk, display_name="甲", password=PASSWORD)
    with pytest.raises(DomainError) as exc:
        accounts.entrepreneur_register(mobile=MOBILE, verification_id=record.pk, display_name="乙", password=PASSWORD)
    assert exc.value.code == "mobile_taken"
    assert User.objects.filter(role=Role.ENTREPRENEUR).count() == 1


def test_verification_older_than_thirty_minutes_must_be_redone(django_capture_on_commit_callbacks):
    send(capture=django_capture_on_commit_callbacks)
    record = accounts.sms_code_verify(mobile=MOBILE, code=last_code(), purpose=accounts.PURPOSE_REGISTER)
    SmsCode.objects.filter(pk=record.pk).update(used_at=timezone.now() - datetime.timedelta(minutes=31))
    with pytest.raises(DomainError, match="手机验证已过期") as exc:
        accounts.entrepreneur_register(mobile=MOBILE, verification_id=record.pk, display_name="甲", password=PASSWORD)
    assert exc.value.code == "verification_expired"


# --- the code's rules -------------------------------------------------------------------------


def test_code_is_six_digits_and_expires_after_ten_minutes(django_capture_on_commit_callbacks):
    record = send(capture=django_capture_on_commit_callbacks)
    assert re.fullmatch(r"\d{6}", last_code())
    assert record.expires_at - record.created_at == datetime.timedelta(minutes=10)
    age_codes(minutes=10, seconds=1)
    with pytest.raises(DomainError, match="验证码已过期"):
        accounts.sms_code_verify(mobile=MOBILE, code=last_code(), purpose=accounts.PURPOSE_REGISTER)


def test_wrong_code_says_how_many_tries_are_left_and_the_fifth_kills_the_code(django_capture_on_commit_callbacks):
    send(capture=django_capture_on_commit_callbacks)
    right = last_code()
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(DomainError, match=f"验证码不正确，还可以再试 {left} 次"):
            accounts.sms_code_verify(mobile=MOBILE, code=wrong, purpose=accounts.PURPOSE_REGISTER)
    with pytest.raises(DomainError, match="输错次数过多"):
        accounts.sms_code_verify(mobile=MOBILE, code=wrong, purpose=accounts.PURPOSE_REGISTER)
    with pytest.raises(DomainError, match="输错次数过多"):
        accounts.sms_code_verify(mobile=MOBILE, code=right, purpose=accounts.PURPOSE_REGISTER)
    assert SmsCode.objects.get().attempts == 5


def test_wrong_code_on_the_page_keeps_the_user_on_step_two(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("register"), {"mobile": MOBILE})
    wrong = "000000" if last_code() != "000000" else "111111"
    response = client.post(reverse("register_verify"), {"code": wrong})
    assert response.status_code == 200
    assert "验证码不正确，还可以再试 4 次" in response.content.decode()
    response = client.post(reverse("register_verify"), {"code": "12ab"})
    assert "请输入短信中的 6 位数字验证码" in response.content.decode()
    assert SmsCode.objects.get().attempts == 1  # a malformed entry costs no try


def test_one_code_per_minute_per_mobile_and_a_new_code_replaces_the_old(django_capture_on_commit_callbacks):
    send(capture=django_capture_on_commit_callbacks)
    first = last_code()
    with pytest.raises(DomainError, match=r"请 \d+ 秒后再试") as exc:
        send(capture=django_capture_on_commit_callbacks)
    assert exc.value.code == "sms_too_soon" and len(LocmemSmsBackend.outbox) == 1

    age_codes(seconds=61)
    send(capture=django_capture_on_commit_callbacks)
    second = last_code()
    if first != second:
        with pytest.raises(DomainError):
            accounts.sms_code_verify(mobile=MOBILE, code=first, purpose=accounts.PURPOSE_REGISTER)
    assert accounts.sms_code_verify(mobile=MOBILE, code=second, purpose=accounts.PURPOSE_REGISTER).used_at


def test_daily_cap_on_codes_per_mobile(django_capture_on_commit_callbacks):
    for _ in range(accounts.DAILY_LIMIT):
        send(capture=django_capture_on_commit_callbacks)
        for record in SmsCode.objects.all():  # a minute passes, still today
            record.created_at -= datetime.timedelta(seconds=61)
            record.save()
    SmsCode.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    with pytest.raises(DomainError, match="今天获取验证码的次数已达上限") as exc:
        send(capture=django_capture_on_commit_callbacks)
    assert exc.value.code == "sms_daily_limit"
    assert len(LocmemSmsBackend.outbox) == accounts.DAILY_LIMIT
    send(mobile="13700137000", capture=django_capture_on_commit_callbacks)  # another mobile is unaffected


def test_resend_button_on_step_two_respects_the_minute(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("register"), {"mobile": MOBILE})
    response = client.post(reverse("register_verify"), {"resend": "1"}, follow=True)
    assert "验证码发送过于频繁" in response.content.decode()
    assert len(LocmemSmsBackend.outbox) == 1


def _mobiles(n):
    return [f"139{i:08d}" for i in range(1, n + 1)]


def test_one_client_cannot_send_codes_to_many_mobiles(client, django_capture_on_commit_callbacks):
    """The probe sent codes to 15 different mobiles from one client: now the limits stop it."""
    refused = []
    for mobile in _mobiles(15):
        with django_capture_on_commit_callbacks(execute=True):
            page = client.post(reverse("register"), {"mobile": mobile}).content.decode()
        if "获取验证码的次数过多" in page:
            refused.append(mobile)
    most = accounts.DEVICE_LIMITS[0][0]
    assert len(LocmemSmsBackend.outbox) == most and len(refused) == 15 - most


def test_a_script_changing_its_address_is_still_one_device(django_capture_on_commit_callbacks):
    script = Client()
    sent = 0
    for n, mobile in enumerate(_mobiles(accounts.DEVICE_LIMITS[0][0] + 3)):
        with django_capture_on_commit_callbacks(execute=True):
            response = script.post(reverse("register"), {"mobile": mobile}, REMOTE_ADDR=f"203.0.113.{n + 1}")
        sent += response.status_code == 302
    assert sent == accounts.DEVICE_LIMITS[0][0] == len(LocmemSmsBackend.outbox)


def test_one_address_has_its_own_limit_whatever_the_devices(django_capture_on_commit_callbacks):
    most = accounts.ADDRESS_LIMITS[0][0]
    for n, mobile in enumerate(_mobiles(most + 2)):
        device = Client(HTTP_USER_AGENT=f"脚本 {n}")
        with django_capture_on_commit_callbacks(execute=True):
            response = device.post(reverse("register"), {"mobile": mobile}, REMOTE_ADDR="198.51.100.7")
        assert (response.status_code == 302) == (n < most), n
    assert len(LocmemSmsBackend.outbox) == most
    assert not SmsCode.objects.filter(client_hash__contains="198.51.100.7").exists()


# --- lockout, session, passwords --------------------------------------------------------------


def test_sixth_attempt_with_the_right_password_is_refused_after_five_failures(client, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    staff = factories.user(role=Role.REVIEWER)
    for _ in range(5):
        response = client.post(reverse("login"), {"username": staff.username, "password": "wrong-Password1"})
    response = client.post(reverse("login"), {"username": staff.username, "password": "Chuangfu2026"})
    assert response.status_code == 429
    assert "账号已临时锁定 30 分钟" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_by_mobile_and_by_username_count_against_the_same_account(client, django_capture_on_commit_callbacks):
    register_through_pages(client, django_capture_on_commit_callbacks)
    user = User.objects.get(mobile_hash=lookup_hash(MOBILE))
    client.post(reverse("logout"))
    for identifier in (user.username, user.username, MOBILE, "138 0013 8000", MOBILE):
        client.post(reverse("login"), {"username": identifier, "password": "not-it-123"})
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429


def test_lockout_is_per_account_so_colleagues_can_still_sign_in(client):
    locked, colleague = factories.user(), factories.user()
    for _ in range(5):
        client.post(reverse("login"), {"username": locked.username, "password": "wrong-Password1"})
    response = client.post(reverse("login"), {"username": colleague.username, "password": "Chuangfu2026"})
    assert response.status_code == 302


def test_session_lasts_eight_hours_of_inactivity(client, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    staff = factories.user()
    client.post(reverse("login"), {"username": staff.username, "password": "Chuangfu2026"})
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert datetime.timedelta(hours=7, minutes=59) < remaining <= datetime.timedelta(hours=8)


def test_expired_session_sends_the_user_back_to_login(client):
    staff = factories.user()
    client.post(reverse("login"), {"username": staff.username, "password": "Chuangfu2026"})
    assert client.get(reverse("home")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_session_expiry_moves_forward_at_most_every_refresh_interval(client, settings):
    """Staff pages do not write the session on every request; the 8 hours still count from the last one."""
    settings.SESSION_REFRESH_SECONDS = 300
    staff = factories.user()
    client.post(reverse("login"), {"username": staff.username, "password": "Chuangfu2026"})
    key = client.session.session_key
    client.get(reverse("home"))  # the first request after login stamps the refresh time
    stamped = Session.objects.get(session_key=key).expire_date
    client.get(reverse("home"))
    assert Session.objects.get(session_key=key).expire_date == stamped  # within 5 minutes: no write
    # Seven hours later (the stamp is moved back as time would have moved on), a request renews the 8 hours.
    session = Session.objects.get(session_key=key)
    data = session.get_decoded()
    data["_refreshed"] -= 7 * 3600
    Session.objects.filter(session_key=key).update(
        session_data=client.session.encode(data), expire_date=timezone.now() + datetime.timedelta(hours=1)
    )
    assert client.get(reverse("home")).status_code == 200
    remaining = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert datetime.timedelta(hours=7, minutes=59) < remaining <= datetime.timedelta(hours=8)


def test_anonymous_visitors_get_no_session_row(client):
    client.get(reverse("login"))
    assert Session.objects.count() == 0


def test_password_change_checks_the_old_password_and_the_rules(client):
    staff = factories.user()
    client.force_login(staff)
    url = reverse("password_change")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"old_password": "nope", "new_password1": "Xinmima2026", "new_password2": "Xinmima2026"}
    )
    assert response.status_code == 200 and staff.username  # stays on the form
    staff.refresh_from_db()
    assert staff.check_password("Chuangfu2026")
    response = client.post(
        url, {"old_password": "Chuangfu2026", "new_password1": "abcdefghijkl", "new_password2": "abcdefghijkl"}
    )
    assert "密码必须同时包含字母和数字" in response.content.decode()

    response = client.post(
        url, {"old_password": "Chuangfu2026", "new_password1": "Xinmima2026", "new_password2": "Xinmima2026"}
    )
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    staff.refresh_from_db()
    assert staff.check_password("Xinmima2026")
    assert client.get(reverse("home")).status_code == 200  # still signed in
    assert AuditEntry.objects.filter(action="core.user.password_changed", object_id=str(staff.pk)).exists()


def test_password_reset_by_sms_sets_a_new_password_and_lifts_a_lockout(client, django_capture_on_commit_callbacks):
    register_through_pages(client, django_capture_on_commit_callbacks)
    client.post(reverse("logout"))
    for _ in range(5):
        client.post(reverse("login"), {"username": MOBILE, "password": "not-it-123"})
    assert client.post(reverse("login"), {"username": MOBILE, "password": PASSWORD}).status_code == 429

    age_codes(seconds=61)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset_sms"), {"mobile": MOBILE})
    assert response.url == reverse("password_reset_sms_verify")
    assert "找回密码" in LocmemSmsBackend.outbox[-1][1]
    response = client.post(reverse("password_reset_sms_verify"), {"code": last_code()})
    assert response.url == reverse("password_reset_sms_finish")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("password_reset_sms_finish"), {"password1": "Xinmima2026", "password2": "Xinmima2026"}
        )
    assert response.status_code == 302 and response.url == reverse("login")

    assert client.post(reverse("login"), {"username": MOBILE, "password": "Xinmima2026"}).status_code == 302
    assert AuditEntry.objects.filter(action="core.user.password_reset").exists()


def test_password_reset_for_an_unknown_mobile_says_so(client):
    response = client.post(reverse("password_reset_sms"), {"mobile": "13600136000"})
    assert "该手机号没有已验证的账号" in response.content.decode()
    assert LocmemSmsBackend.outbox == []
