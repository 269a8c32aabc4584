"""Check-in (签到) at an activity, from 12 hours before its start: by the registration's QR token or
by staff from the list; a registration checks in once. Walk-ins register at check-in
(``registrations.registration_create``), in the same window."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.errors import DomainError

from ..models import Activity, ActivityStatus, Registration, RegistrationStatus
from ..selectors import waitlist_rank
from ..workflows import ACTIVITY
from ._common import account_of, registration_fire, when_text

RS = RegistrationStatus
CHECKIN_OPENS_BEFORE = datetime.timedelta(hours=12)


CHECKIN_STATUSES = (
    ActivityStatus.PUBLISHED,
    ActivityStatus.REGISTRATION_OPEN,
    ActivityStatus.REGISTRATION_CLOSED,
    ActivityStatus.IN_PROGRESS,
    ActivityStatus.FINISHED,
)


@dataclass
class CheckIn:
    registration: Registration
    already: bool  # scanned before: ``registration.checked_in_at`` is the first check-in


def refuse_checkin_closed(activity: Activity, now: datetime.datetime) -> None:
    if activity.status == ActivityStatus.CANCELLED:
        raise DomainError("activity_cancelled", _("活动已取消。"), status=409)
    if activity.status not in CHECKIN_STATUSES:
        raise DomainError(
            "checkin_closed", _("活动%(state)s，不能签到。") % {"state": ACTIVITY.label(activity.status)}, status=409
        )
    if now < activity.starts_at - CHECKIN_OPENS_BEFORE:
        raise DomainError(
            "checkin_not_open",
            _("签到于活动开始前 %(h)d 小时开放（活动时间 %(when)s）。")
            % {"h": CHECKIN_OPENS_BEFORE.total_seconds() // 3600, "when": when_text(activity.starts_at)},
            status=409,
        )


def registration_check_in_by_token(
    *, activity: Activity, token: str, actor, now: datetime.datetime | None = None
) -> CheckIn:
    """Check in the holder of a QR ticket. A token this platform never issued, or one issued
    for another activity, is refused with a message saying which."""
    token = (token or "").strip()
    registration = Registration.objects.filter(qr_token=token).select_related("activity").first() if token else None
    if registration is None:
        raise DomainError("token_unknown", _("无效的签到码：不是本平台签发的电子票。"), status=404)
    if registration.activity_id != activity.pk:
        raise DomainError("token_other_activity", _("该电子票属于另一场活动，不能在本活动签到。"), status=409)
    return registration_check_in(registration=registration, actor=actor, now=now)


def registration_check_in(*, registration: Registration, actor, now: datetime.datetime | None = None) -> CheckIn:
    """Record attendance once. A repeat returns ``already=True`` with the first time."""
    now = now or timezone.now()
    refuse_checkin_closed(registration.activity, now)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("activity").get(pk=registration.pk)
        if registration.checked_in_at is not None:
            return CheckIn(registration, already=True)
        refusals = {
            RS.CANCELLED: _("该报名已取消，不能签到。"),
            RS.REJECTED: _("该报名未通过审核，不能签到。"),
            RS.EXPIRED: _("该报名的递补名额已过期，未获得座位。"),
            RS.PENDING: _("该报名尚未通过审核，不能签到。"),
            RS.OFFERED: _("该报名的递补名额尚未确认，请本人先在电子票页面确认。"),
        }
        if registration.status == RS.WAITLISTED:
            raise DomainError(
                "waitlisted",
                _("该报名仍在候补名单第 %(n)d 位，未获得名额。") % {"n": waitlist_rank(registration)},
                status=409,
            )
        if registration.status in refusals:
            raise DomainError(f"not_confirmed_{registration.status}", refusals[registration.status], status=409)
        registration = registration_fire(
            registration, "check_in", actor=actor, checked_in_at=now, checked_in_by=account_of(actor)
        )
    return CheckIn(registration, already=False)
