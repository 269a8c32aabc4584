"""SMS codes for public registration, and the periodic tasks of the app."""

import datetime

import pytest
from django.utils import timezone

from chuangfu.activities import tasks
from chuangfu.activities.models import ActivityStatus
from chuangfu.activities.models import RegistrationStatus as RS
from chuangfu.activities.services import registrations, verification
from chuangfu.core.errors import DomainError
from chuangfu.core.models import SmsCode

from . import builders

pytestmark = pytest.mark.django_db


def test_a_second_code_within_a_minute_is_refused_with_the_wait():
    now = timezone.now()
    verification.mobile_code_send(mobile="13800001111", now=now)
    with pytest.raises(DomainError) as exc:
        verification.mobile_code_send(mobile="13800001111", now=now + datetime.timedelta(seconds=20))
    assert exc.value.code == "sms_too_soon" and "40 秒后再试" in str(exc.value.message)
    verification.mobile_code_send(mobile="13800001111", now=now + datetime.timedelta(seconds=61))
    assert SmsCode.objects.count() == 2


def test_wrong_codes_count_and_lock_the_code_even_though_the_call_fails():
    verification.mobile_code_send(mobile="13800002222")
    for left in (4, 3, 2, 1):
        with pytest.raises(DomainError, match=f"还可以再试 {left} 次"):
            verification.mobile_code_verify(mobile="13800002222", code="000000" if left % 2 else "111111")
    with pytest.raises(DomainError) as exc:
        verification.mobile_code_verify(mobile="13800002222", code="222222")
    assert exc.value.code == "sms_code_locked"


def test_an_expired_code_is_refused():
    sent_at = timezone.now() - datetime.timedelta(minutes=11)
    verification.mobile_code_send(mobile="13800003333", now=sent_at)
    with pytest.raises(DomainError) as exc:
        verification.mobile_code_verify(mobile="13800003333", code="123456")
    assert exc.value.code == "sms_code_expired"


def test_periodic_tasks_advance_schedules_and_pass_on_expired_offers():
    now = timezone.now()
    act = builders.activity(
        capacity=1,
        now=now - datetime.timedelta(days=1),
        starts_in=datetime.timedelta(days=2),
        closes_before=datetime.timedelta(days=1, hours=12),
    )
    first, second, third = (builders.register(act, now=now - datetime.timedelta(days=1)) for _ in range(3))
    registrations.registration_cancel(registration=first, now=now - datetime.timedelta(days=1))
    assert tasks.expire_offers.call_local() == 1  # the 12-hour hold of ``second`` ran out
    second.refresh_from_db(), third.refresh_from_db()
    assert (second.status, third.status) == (RS.EXPIRED, RS.OFFERED)
    assert tasks.advance_schedules.call_local() == 1  # registration closed half a day ago
    act.refresh_from_db()
    assert act.status == ActivityStatus.REGISTRATION_CLOSED
