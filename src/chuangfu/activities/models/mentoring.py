"""Mentoring (创业导师指导工作站): an entrepreneur's request for advice, optionally tied to a
mentoring day, and the sessions booked with a mentor, their record and the requester's rating.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.crypto import EncryptedCharField, LookupHashField, mask_mobile, mask_name
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager
from chuangfu.registry.industry import SECTION_CHOICES
from chuangfu.registry.models import Enterprise, Mentor, Person

from .activities import Activity
from .common import Grade


class MentoringRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待安排")
        BOOKED = "booked", _("已预约")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentoring_requests"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("企业")
    )
    name = models.CharField(_("姓名"), max_length=64)
    mobile = EncryptedCharField(_("手机号"))
    mobile_hash = LookupHashField(source="mobile", db_index=True)
    topic = models.CharField(_("咨询主题"), max_length=64, help_text=_("如：融资、财税、电子商务、股权"))
    industry_section = models.CharField(_("所属行业"), max_length=1, choices=SECTION_CHOICES, blank=True)
    preferred_mode = models.CharField(_("希望的服务方式"), max_length=16, choices=Mentor.Mode.choices, blank=True)
    description = models.TextField(_("具体问题"))
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentoring_requests",
        verbose_name=_("导师辅导日"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导师辅导申请")
        verbose_name_plural = _("导师辅导申请")

    def __str__(self):
        return f"{mask_name(self.name)} · {self.topic}"

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class MentoringSession(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("已预约")
        RECORDED = "recorded", _("已记录")
        CANCELLED = "cancelled", _("已取消")

    request = models.ForeignKey(MentoringRequest, on_delete=models.CASCADE, related_name="sessions")
    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("导师"))
    scheduled_at = models.DateTimeField(_("辅导时间"))
    mode = models.CharField(_("服务方式"), max_length=16, choices=Mentor.Mode.choices)
    place = models.CharField(_("地点/方式说明"), max_length=128, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    notes = models.TextField(_("辅导记录"), blank=True)
    follow_ups = models.TextField(_("后续跟进事项"), blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    grade = models.CharField(_("评价"), max_length=24, choices=Grade.choices, blank=True)
    rating_comment = models.TextField(_("评价意见"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("request__jurisdiction")

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        verbose_name = _("导师辅导")
        verbose_name_plural = _("导师辅导")

    def __str__(self):
        return f"{self.mentor} · {self.scheduled_at:%Y-%m-%d}"
