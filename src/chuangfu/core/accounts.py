"""Account services: SMS verification codes, entrepreneur self-registration, passwords.

A code is six digits, stored only as a keyed hash, valid for ten minutes and for five
wrong tries; a mobile gets at most one code a minute and ``DAILY_LIMIT`` a day, whatever
the purpose. Only the newest code of a mobile and purpose is accepted. The client asking is
limited too, whatever mobiles it names: ``ADDRESS_LIMITS`` per address (a service centre's
counter shares one) and ``DEVICE_LIMITS`` per device (``core.clientip.device_id``).

Verification and use are two steps: ``sms_code_verify`` marks the code used and returns it;
``entrepreneur_register`` / ``password_reset_by_sms`` then accept that code's id within
``VERIFIED_WINDOW``, so the page that sets the password need not ask for the code again.
"""

import datetime
import hmac
import math
import secrets

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import log_action, snapshot
from .crypto import lookup_hash, mask_mobile
from .errors import DomainError
from .identifiers import validate_mobile
from .models import Role, SmsCode, User
from .notifications import Message, send_on_commit

PURPOSE_REGISTER = "register"
PURPOSE_RESET_PASSWORD = "reset_password"
PURPOSES = (PURPOSE_REGISTER, PURPOSE_RESET_PASSWORD)

CODE_TTL = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 5
RESEND_INTERVAL = datetime.timedelta(seconds=60)
DAILY_LIMIT = 10
# (how many codes, within how long) for one client address and for one device, any mobiles.
ADDRESS_LIMITS = ((10, datetime.timedelta(hours=1)), (30, datetime.timedelta(days=1)))
DEVICE_LIMITS = ((5, datetime.timedelta(hours=1)), (10, datetime.timedelta(days=1)))
VERIFIED_WINDOW = datetime.timedelta(minutes=30)

_PROFILE_FIELDS = ["username", "display_name", "role", "mobile", "mobile_verified_at", "is_active"]


def _code_hash(*, mobile: str, purpose: str, code: str) -> str:
    return lookup_hash(f"sms-code:{purpose}:{mobile}:{code}")


def _purpose_label(purpose: str) -> str:
    return {PURPOSE_REGISTER: _("注册"), PURPOSE_RESET_PASSWORD: _("找回密码")}[purpose]


def _mobile_taken() -> DomainError:
    return DomainError("mobile_taken", _("该手机号已注册，请直接登录；忘记密码可通过短信验证码重设。"), status=409)


def _refuse_busy_client(field: str, value: str, limits, now) -> None:
    """429 when the client (address or device) has asked for as many codes as ``limits`` allow."""
    if not value:
        return
    asked = SmsCode.objects.filter(**{field: value})
    for most, within in limits:
        if asked.filter(created_at__gt=now - within).count() >= most:
            raise DomainError(
                "sms_client_limit",
                _("本设备或网络获取验证码的次数过多，请稍后再试；如需帮助请到社区事务受理服务中心办理。"),
                status=429,
            )


def sms_code_send(*, mobile: str, purpose: str, client_ip: str | None = None, device: str = "") -> SmsCode:
    """Create a code for ``mobile`` and send it by SMS after the transaction commits.

    Refuses (``DomainError``) a mobile already registered (registration), one without a
    verified account (password reset), a second request within a minute, requests over
    the daily cap, and a client (``client_ip``, ``device`` from ``core.clientip``) over its own
    limits whatever mobiles it names. Earlier unused codes of the same purpose stop working.
    """
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    mobile = validate_mobile(mobile)
    mobile_hash = lookup_hash(mobile)
    client_hash = lookup_hash(f"sms-client:{client_ip}") if client_ip else ""
    device_hash = lookup_hash(f"sms-device:{device}") if device else ""
    now = timezone.now()
    with transaction.atomic():
        _refuse_busy_client("client_hash", client_hash, ADDRESS_LIMITS, now)
        _refuse_busy_client("device_hash", device_hash, DEVICE_LIMITS, now)
        accounts = User.objects.filter(mobile_hash=mobile_hash)
        if purpose == PURPOSE_REGISTER and accounts.exists():
            raise _mobile_taken()
        if (
            purpose == PURPOSE_RESET_PASSWORD
            and not accounts.filter(mobile_verified_at__isnull=False, is_active=True).exists()
        ):
            raise DomainError("mobile_unknown", _("该手机号没有已验证的账号，请先注册。"), status=404)

        sent = SmsCode.objects.filter(mobile_hash=mobile_hash)
        last = sent.order_by("-created_at", "-id").first()
        if last is not None and now - last.created_at < RESEND_INTERVAL:
            wait = math.ceil((RESEND_INTERVAL - (now - last.created_at)).total_seconds())
            raise DomainError("sms_too_soon", _("验证码发送过于频繁，请 %(n)d 秒后再试。") % {"n": wait}, status=429)
        midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        if sent.filter(created_at__gte=midnight).count() >= DAILY_LIMIT:
            raise DomainError(
                "sms_daily_limit",
                _("该手机号今天获取验证码的次数已达上限（%(n)d 次），请明天再试。") % {"n": DAILY_LIMIT},
                status=429,
            )

        sent.filter(purpose=purpose, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        code = f"{secrets.randbelow(10**6):06d}"
        record = SmsCode.objects.create(
            mobile_hash=mobile_hash,
            code_hash=_code_hash(mobile=mobile, purpose=purpose, code=code),
            purpose=purpose,
            client_hash=client_hash,
            device_hash=device_hash,
            created_at=now,
            expires_at=now + CODE_TTL,
        )
        log_action(actor=None, action="core.sms_code.sent", note=f"{mask_mobile(mobile)} · {_purpose_label(purpose)}")
        send_on_commit(
            Message(
                title=_("验证码"),
                body=_("您正在%(purpose)s，验证码 %(code)s，%(minutes)d 分钟内有效。如非本人操作，请忽略本短信。")
                % {"purpose": _purpose_label(purpose), "code": code, "minutes": CODE_TTL.seconds // 60},
                mobile=mobile,
                channels=("sms",),
            )
        )
    return record


def sms_code_verify(*, mobile: str, code: str, purpose: str) -> SmsCode:
    """Accept ``code`` if it is the newest live code for ``mobile`` and ``purpose``; mark it used.

    A wrong code costs one of ``MAX_ATTEMPTS`` tries; the count is committed even though
    the call raises, so retrying cannot reset it.
    """
    mobile = validate_mobile(mobile)
    code = (code or "").strip()
    now = timezone.now()
    with transaction.atomic():
        record = (
            SmsCode.objects.select_for_update()
            .filter(mobile_hash=lookup_hash(mobile), purpose=purpose, used_at__isnull=True)
            .order_by("-created_at", "-id")
            .first()
        )
        if record is None or record.expires_at <= now:
            error = DomainError("sms_code_expired", _("验证码已过期或已失效，请重新获取。"))
        elif record.attempts >= MAX_ATTEMPTS:
            error = DomainError("sms_code_locked", _("验证码输错次数过多，已失效，请重新获取。"))
        elif not hmac.compare_digest(record.code_hash, _code_hash(mobile=mobile, purpose=purpose, code=code)):
            record.attempts += 1
            record.save(update_fields=["attempts"])
            left = MAX_ATTEMPTS - record.attempts
            if left:
                error = DomainError("sms_code_wrong", _("验证码不正确，还可以再试 %(n)d 次。") % {"n": left})
            else:
                error = DomainError("sms_code_locked", _("验证码输错次数过多，已失效，请重新获取。"))
        else:
            record.used_at = now
            record.save(update_fields=["used_at"])
            return record
    raise error


def _verified_code(*, verification_id: int, mobile_hash: str, purpose: str) -> SmsCode:
    cutoff = timezone.now() - VERIFIED_WINDOW
    record = SmsCode.objects.filter(
        pk=verification_id, mobile_hash=mobile_hash, purpose=purpose, used_at__gt=cutoff
    ).first()
    if record is None:
        raise DomainError("verification_expired", _("手机验证已过期，请重新获取验证码。"))
    return record


def entrepreneur_register(*, mobile: str, verification_id: int, display_name: str, password: str) -> User:
    """Create an entrepreneur account for a mobile verified by ``sms_code_verify``.

    The password goes through every configured validator (``ValidationError`` lists what is
    wrong). Returns the new user, whose generated username the caller should show once.
    A second call for the same mobile raises ``mobile_taken`` and creates nothing.
    """
    mobile = validate_mobile(mobile)
    mobile_hash = lookup_hash(mobile)
    display_name = (display_name or "").strip()
    if not display_name:
        raise DomainError("name_required", _("请填写姓名。"))
    with transaction.atomic():
        _verified_code(verification_id=verification_id, mobile_hash=mobile_hash, purpose=PURPOSE_REGISTER)
        if User.objects.filter(mobile_hash=mobile_hash).exists():
            raise _mobile_taken()
        user = User(
            username=_new_username(),
            display_name=display_name,
            role=Role.ENTREPRENEUR,
            mobile=mobile,
            mobile_verified_at=timezone.now(),
        )
        validate_password(password, user)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # a concurrent registration of the same mobile won the race
            raise _mobile_taken() from None
        log_action(actor=user, action="core.user.registered", obj=user, after=snapshot(user, fields=_PROFILE_FIELDS))
    return user


def password_reset_by_sms(*, mobile: str, verification_id: int, password: str) -> User:
    """Set a new password for the account whose verified mobile passed ``sms_code_verify``.

    Proving the mobile also lifts a login lockout on the account (after the commit).
    """
    mobile = validate_mobile(mobile)
    mobile_hash = lookup_hash(mobile)
    with transaction.atomic():
        _verified_code(verification_id=verification_id, mobile_hash=mobile_hash, purpose=PURPOSE_RESET_PASSWORD)
        user = (
            User.objects.select_for_update()
            .filter(mobile_hash=mobile_hash, mobile_verified_at__isnull=False, is_active=True)
            .first()
        )
        if user is None:
            raise DomainError("mobile_unknown", _("该手机号没有已验证的账号，请先注册。"), status=404)
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        # One reset per verification: the code cannot be replayed within the window.
        SmsCode.objects.filter(pk=verification_id).update(used_at=timezone.now() - VERIFIED_WINDOW)
        log_action(actor=user, action="core.user.password_reset", obj=user, note=_("通过短信验证码重设密码"))
        transaction.on_commit(lambda: axes_reset(username=user.username))
    return user


def account_password_change(*, user: User, new_password: str) -> None:
    """Set ``user``'s password (already checked by the caller's form, old password included)."""
    with transaction.atomic():
        validate_password(new_password, user)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        log_action(actor=user, action="core.user.password_changed", obj=user)


def _new_username() -> str:
    """``cy`` + eight digits: short enough to read out, never derived from the mobile."""
    while True:
        candidate = f"cy{secrets.randbelow(10**8):08d}"
        if not User.objects.filter(username=candidate).exists():
            return candidate
