"""Registrations for an activity (活动报名): the activity's registration questions, the
registrations with their waiting list, held offers and check-ins, and the attendee's rating
(一次一评).

A person holds at most one active registration per activity; the constraints below enforce it
whatever the entry point.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.crypto import EncryptedCharField, LookupHashField, mask_mobile, mask_name
from chuangfu.core.scopes import TownScopedManager
from chuangfu.registry.models import Enterprise, Person

from .activities import Activity
from .common import Grade


def new_token() -> str:
    """An opaque random token: carries no personal data and cannot be guessed."""
    return secrets.token_urlsafe(18)


class RegistrationQuestion(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("文本")
        CHOICE = "choice", _("单选")
        NUMBER = "number", _("数字")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    text = models.CharField(_("问题"), max_length=200)
    kind = models.CharField(_("题型"), max_length=8, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(_("选项"), blank=True, help_text=_("单选题每行一个选项"))
    required = models.BooleanField(_("必答"), default=False)
    show_if_question = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependents",
        verbose_name=_("仅当此问题"),
    )
    show_if_answer = models.CharField(_("的回答为"), max_length=200, blank=True)

    objects = TownScopedManager("activity__jurisdiction")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("报名问题")
        verbose_name_plural = _("报名问题")

    def __str__(self):
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.splitlines() if c.strip()]

    def applies_to(self, answers: dict) -> bool:
        """Whether the question is shown, given the other answers (conditional questions)."""
        if self.show_if_question_id is None:
            return True
        return str(answers.get(str(self.show_if_question_id), "")).strip() == self.show_if_answer.strip()


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    CONFIRMED = "confirmed", _("已确认")
    WAITLISTED = "waitlisted", _("候补中")
    OFFERED = "offered", _("递补待确认")  # a freed seat is held for this person until offer_expires_at
    CANCELLED = "cancelled", _("已取消")
    REJECTED = "rejected", _("未通过审核")
    EXPIRED = "expired", _("递补已过期")  # did not confirm a held seat in time; the seat passed on


# A person holds at most one registration in these states per activity.
ACTIVE_REGISTRATION_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.OFFERED,
)
# States that occupy one of the activity's seats.
SEAT_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)


class Registration(models.Model):
    class Source(models.TextChoices):
        ONLINE = "online", _("网上报名")
        STAFF = "staff", _("工作人员代报")
        WALK_IN = "walk_in", _("现场登记")

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity_registrations",
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="activity_registrations"
    )
    name = models.CharField(_("姓名"), max_length=64)
    mobile = EncryptedCharField(_("手机号"))
    mobile_hash = LookupHashField(source="mobile", db_index=True)
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity_registrations",
        verbose_name=_("代表企业"),
    )
    enterprise_name = models.CharField(_("代表企业"), max_length=255, blank=True)
    answers = models.JSONField(_("报名问题回答"), default=dict, blank=True)
    source = models.CharField(_("报名方式"), max_length=16, choices=Source.choices, default=Source.ONLINE)
    status = models.CharField(_("状态"), max_length=16, choices=RegistrationStatus.choices)
    waitlist_position = models.PositiveIntegerField(_("候补顺序"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("递补保留至"), null=True, blank=True)
    qr_token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    manage_key = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    feedback_invited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    objects = TownScopedManager("activity__jurisdiction")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["activity", "status", "waitlist_position"]),
            models.Index(fields=["activity", "checked_in_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "mobile_hash"],
                condition=Q(status__in=ACTIVE_REGISTRATION_STATUSES),
                name="registration_one_active_per_mobile",
            ),
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=Q(status__in=ACTIVE_REGISTRATION_STATUSES, person__isnull=False),
                name="registration_one_active_per_person",
            ),
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=Q(status__in=ACTIVE_REGISTRATION_STATUSES, user__isnull=False),
                name="registration_one_active_per_user",
            ),
        ]
        verbose_name = _("报名")
        verbose_name_plural = _("报名")

    def __str__(self):
        return f"{self.activity} · {mask_name(self.name)}"

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_REGISTRATION_STATUSES


class Feedback(models.Model):
    """An attendee's rating of an activity: one per registration (一次一评)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback")
    grade = models.CharField(_("评价"), max_length=24, choices=Grade.choices)
    comment = models.TextField(_("意见建议"), blank=True)
    created_at = models.DateTimeField(_("评价时间"), default=timezone.now)

    objects = TownScopedManager("registration__activity__jurisdiction")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("活动评价")
        verbose_name_plural = _("活动评价")

    def __str__(self):
        return self.get_grade_display()
