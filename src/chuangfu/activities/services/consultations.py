"""Consultations raised at an activity (现场咨询) become desk tickets linked to the activity.

The desk owns the ticket and its whole flow (routing suggestion, working-day deadlines,
notifications, 好差评); this module only decides when an activity may take consultations and
hands the request to the desk's intake with the activity as the ticket's origin. Without the
desk app installed, activities work as before and recording a consultation is refused.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError

from ..models import Activity, ActivityStatus
from ..selectors import consultation_categories, desk_available
from ..workflows import ACTIVITY
from ._common import when_text
from .activities import activity_advance_if_due
from .checkins import CHECKIN_OPENS_BEFORE

# From the moment check-in opens (12 hours before the start) until after the summary.
OPEN_STATUSES = (
    ActivityStatus.PUBLISHED,
    ActivityStatus.REGISTRATION_OPEN,
    ActivityStatus.REGISTRATION_CLOSED,
    ActivityStatus.IN_PROGRESS,
    ActivityStatus.FINISHED,
    ActivityStatus.SUMMARISED,
)


def consultation_refusal(activity: Activity, now: datetime.datetime | None = None) -> str | None:
    """Why ``activity`` cannot take a consultation now, or None when it can."""
    now = now or timezone.now()
    if not desk_available():
        return _("本平台未启用咨询受理，不能登记现场咨询。")
    if activity.status == ActivityStatus.DRAFT:
        return _("活动尚未发布，不能登记现场咨询。")
    if activity.status == ActivityStatus.CANCELLED:
        return _("活动已取消，不能登记现场咨询。")
    if activity.status not in OPEN_STATUSES:
        return _("活动%(state)s，不能登记现场咨询。") % {"state": ACTIVITY.label(activity.status)}
    if now < activity.starts_at - CHECKIN_OPENS_BEFORE:
        return _("活动尚未开始：现场咨询自签到开放（活动开始前 %(h)d 小时，即 %(when)s）起登记。") % {
            "h": CHECKIN_OPENS_BEFORE.total_seconds() // 3600,
            "when": when_text(activity.starts_at - CHECKIN_OPENS_BEFORE),
        }
    return None


def consultation_record(
    *,
    activity: Activity,
    actor,
    requester_name: str,
    requester_mobile: str,
    description: str,
    category_id: int | None = None,
    enterprise_name: str = "",
    uscc: str = "",
    idempotency_key: str = "",
    now: datetime.datetime | None = None,
):
    """Record a consultation raised at ``activity`` as a desk ticket (channel 活动现场) whose
    origin is the activity. ``actor`` is someone who runs the activity (the caller found it
    through ``selectors.get_activity_for``). Returns ``(ticket, created)``: a double submit
    (same idempotency key, or the same matter from the same mobile within a minute) returns the
    first ticket. Every problem is a ``DomainError`` with a Chinese message; nothing is saved.
    """
    activity = activity_advance_if_due(activity, now=now)
    refusal = consultation_refusal(activity, now=now)
    if refusal:
        raise DomainError("consultation_refused", refusal, status=409)
    from chuangfu.desk.services import ticket_record_from_origin

    category = None
    if category_id:
        category = next((c for c in consultation_categories(activity) if c.pk == category_id), None)
        if category is None:
            raise DomainError("bad_category", _("请选择有效的咨询类别。"), details={"field": "category"})
    try:
        with transaction.atomic():
            ticket, created = ticket_record_from_origin(
                actor=actor,
                origin=activity,
                jurisdiction=activity.jurisdiction,
                category=category,
                description=description,
                requester_name=requester_name,
                requester_mobile=requester_mobile,
                uscc=uscc,
                enterprise_name=enterprise_name,
                idempotency_key=idempotency_key,
            )
            if created:
                log_action(
                    actor=actor,
                    action="activities.activity.consultation_recorded",
                    obj=activity,
                    after={"ticket": ticket.number, "category": ticket.category.name},
                )
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        raise DomainError("invalid", " ".join(exc.messages), details={"fields": fields}) from None
    if created is False and (
        ticket.origin_type_id is None
        or ticket.origin_id != activity.pk
        or ticket.origin_type.model_class() is not Activity
    ):
        raise DomainError(
            "duplicate_elsewhere",
            _("同一手机号刚刚提交过相同的诉求（工单 %(n)s），无需重复登记。") % {"n": ticket.number},
            status=409,
        )
    return ticket, created
