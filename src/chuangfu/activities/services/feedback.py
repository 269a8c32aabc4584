"""Ratings after an activity: one per attendee, the five grades of 好差评, with a comment."""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError

from ..models import Activity, ActivityStatus, Feedback, Grade, Registration
from ._common import clean_text, notify_registrant

RATEABLE_STATUSES = (ActivityStatus.FINISHED, ActivityStatus.SUMMARISED)


def _already_rated(feedback: Feedback) -> DomainError:
    return DomainError(
        "already_rated",
        _("您已于 %(when)s 评价过本活动：%(grade)s。每次活动只能评价一次。")
        % {
            "when": timezone.localtime(feedback.created_at).strftime("%Y-%m-%d %H:%M"),
            "grade": feedback.get_grade_display(),
        },
        status=409,
    )


def feedback_submit(
    *, registration: Registration, grade: str, comment: str = "", now: datetime.datetime | None = None
) -> Feedback:
    """Record an attendee's rating, once. Only people who checked in may rate, and only after
    the activity has ended."""
    now = now or timezone.now()
    if grade not in Grade.values:
        raise DomainError("bad_grade", _("请选择评价等级。"))
    comment = clean_text(comment, label=_("意见建议"), max_length=500, required=False)
    activity = registration.activity
    if registration.checked_in_at is None:
        raise DomainError("not_attended", _("只有签到参加了活动的人才能评价。"), status=403)
    if activity.status not in RATEABLE_STATUSES and now < activity.ends_at:
        raise DomainError("not_finished", _("活动结束后才能评价。"), status=409)
    with transaction.atomic():
        existing = Feedback.objects.filter(registration=registration).first()
        if existing is not None:
            raise _already_rated(existing)
        try:
            with transaction.atomic():
                feedback = Feedback.objects.create(
                    registration=registration, grade=grade, comment=comment, created_at=now
                )
        except IntegrityError:  # a double submit that raced the check
            raise _already_rated(Feedback.objects.get(registration=registration)) from None
        log_action(
            actor=registration.user,
            action="activities.feedback.created",
            obj=registration,
            jurisdiction=activity.jurisdiction_id,
            after={"grade": grade},
        )
    return feedback


def feedback_invite_attendees(*, activity: Activity, now: datetime.datetime | None = None) -> int:
    """Send each attendee who has not been asked yet a link to rate the activity."""
    now = now or timezone.now()
    invited = 0
    attendees = Registration.objects.filter(
        activity=activity, checked_in_at__isnull=False, feedback_invited_at__isnull=True
    ).select_related("activity", "user")
    for registration in attendees.iterator():
        with transaction.atomic():
            if not Registration.objects.filter(pk=registration.pk, feedback_invited_at__isnull=True).update(
                feedback_invited_at=now
            ):
                continue
            notify_registrant(
                registration,
                title=_("请为活动评价"),
                body=_("感谢您参加“%(title)s”，请为本次活动评价：") % {"title": activity.title},
                link=reverse("events:feedback", args=[registration.manage_key]),
            )
            invited += 1
    return invited


def feedback_invite_due(*, now: datetime.datetime | None = None) -> int:
    """The periodic sweep: invite attendees of every activity that has ended."""
    now = now or timezone.now()
    ended = Activity.objects.filter(
        status__in=RATEABLE_STATUSES,
        registrations__checked_in_at__isnull=False,
        registrations__feedback_invited_at__isnull=True,
    ).distinct()
    return sum(feedback_invite_attendees(activity=a, now=now) for a in ended)
