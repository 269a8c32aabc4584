"""Proving a mobile for public registration without an account: a six-digit SMS code.

Codes live in ``core.SmsCode`` (hash only), under this app's purpose, valid ten minutes and
five wrong tries; one a minute and ten a day per mobile, counted across every purpose so the
account codes and these share one budget. (``core.accounts`` offers codes only for account
registration and password reset, which refuse or require an existing account.)
"""

import datetime
import hmac
import math
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.crypto import lookup_hash, mask_mobile
from chuangfu.core.errors import DomainError
from chuangfu.core.models import SmsCode
from chuangfu.core.notifications import Message, send_on_commit

from ._common import clean_mobile

PURPOSE = "activities"
CODE_TTL = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 5
RESEND_INTERVAL = datetime.timedelta(seconds=60)
DAILY_LIMIT = 10


def _code_hash(mobile: str, code: str) -> str:
    return lookup_hash(f"sms-code:{PURPOSE}:{mobile}:{code}")


def mobile_code_send(*, mobile: str, now: datetime.datetime | None = None) -> SmsCode:
    """Send a code to ``mobile`` (after commit). Earlier unused codes stop working."""
    now = now or timezone.now()
    mobile = clean_mobile(mobile)
    mobile_hash = lookup_hash(mobile)
    with transaction.atomic():
        sent = SmsCode.objects.filter(mobile_hash=mobile_hash)
        last = sent.order_by("-created_at", "-id").first()
        if last is not None and now - last.created_at < RESEND_INTERVAL:
            wait = math.ceil((RESEND_INTERVAL - (now - last.created_at)).total_seconds())
            raise DomainError("sms_too_soon", _("验证码发送过于频繁，请 %(n)d 秒后再试。") % {"n": wait}, status=429)
        midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        if sent.filter(created_at__gte=midnight).count() >= DAILY_LIMIT:
            raise DomainError("sms_daily_limit", _("该手机号今天获取验证码的次数已达上限，请明天再试。"), status=429)
        sent.filter(purpose=PURPOSE, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        code = f"{secrets.randbelow(10**6):06d}"
        record = SmsCode.objects.create(
            mobile_hash=mobile_hash,
            code_hash=_code_hash(mobile, code),
            purpose=PURPOSE,
            created_at=now,
            expires_at=now + CODE_TTL,
        )
        log_action(actor=None, action="activities.sms_code.sent", note=mask_mobile(mobile))
        send_on_commit(
            Message(
                title=_("验证码"),
                body=_("您正在报名活动，验证码 %(code)s，10 分钟内有效。如非本人操作，请忽略本短信。") % {"code": code},
                mobile=mobile,
                channels=("sms",),
            )
        )
    return record


def mobile_code_verify(*, mobile: str, code: str, now: datetime.datetime | None = None) -> str:
    """Accept the newest live code for ``mobile``; returns the normalised mobile. A wrong code
    costs one try, and the count is kept even though the call raises."""
    now = now or timezone.now()
    mobile = clean_mobile(mobile)
    code = (code or "").strip()
    with transaction.atomic():
        record = (
            SmsCode.objects.select_for_update()
            .filter(mobile_hash=lookup_hash(mobile), purpose=PURPOSE, used_at__isnull=True)
            .order_by("-created_at", "-id")
            .first()
        )
        if not code:
            error = DomainError("sms_code_required", _("请填写短信验证码。"))
        elif record is None or record.expires_at <= now:
            error = DomainError("sms_code_expired", _("验证码已过期或已失效，请重新获取。"))
        elif record.attempts >= MAX_ATTEMPTS:
            error = DomainError("sms_code_locked", _("验证码输错次数过多，已失效，请重新获取。"))
        elif not hmac.compare_digest(record.code_hash, _code_hash(mobile, code)):
            record.attempts += 1
            record.save(update_fields=["attempts"])
            left = MAX_ATTEMPTS - record.attempts
            error = (
                DomainError("sms_code_wrong", _("验证码不正确，还可以再试 %(n)d 次。") % {"n": left})
                if left
                else DomainError("sms_code_locked", _("验证码输错次数过多，已失效，请重新获取。"))
            )
        else:
            record.used_at = now
            record.save(update_fields=["used_at"])
            return mobile
    raise error
