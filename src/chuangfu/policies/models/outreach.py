"""Outreach (政策找人): campaigns for a policy in a jurisdiction and whom each reached, how."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager
from chuangfu.registry.models import Enterprise, Person

from .common import one_subject
from .policies import Policy, PolicyVersion


class OutreachCampaign(models.Model):
    """One round of 政策找人 for a policy in a jurisdiction: who was told, how, and when."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="campaigns")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="campaigns")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("范围"))
    title = models.CharField(_("标题"), max_length=128)
    message = models.TextField(_("通知内容"))
    send_sms = models.BooleanField(_("发送短信"), default=True)
    send_inapp = models.BooleanField(_("发送站内消息"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    contacts_total = models.PositiveIntegerField(default=0)
    contacts_reached = models.PositiveIntegerField(default=0)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("政策找人行动")
        verbose_name_plural = _("政策找人行动")

    def __str__(self):
        return self.title


class OutreachContact(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        INAPP = "inapp", _("站内消息")
        PHONE = "phone", _("电话")
        VISIT = "visit", _("上门/窗口")
        NONE = "none", _("无可用联系方式")

    campaign = models.ForeignKey(OutreachCampaign, on_delete=models.CASCADE, related_name="contacts")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("方式"), max_length=16, choices=Channel.choices)
    reached_at = models.DateTimeField(_("触达时间"), null=True, blank=True)
    applied_on = models.DateField(_("申请日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=255, blank=True)

    objects = TownScopedManager("campaign__jurisdiction")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=one_subject(), name="outreach_contact_one_subject"),
            models.UniqueConstraint(
                fields=["campaign", "person"], condition=Q(person__isnull=False), name="outreach_contact_person_unique"
            ),
            models.UniqueConstraint(
                fields=["campaign", "enterprise"],
                condition=Q(enterprise__isnull=False),
                name="outreach_contact_enterprise_unique",
            ),
        ]
        verbose_name = _("触达记录")
        verbose_name_plural = _("触达记录")

    @property
    def subject(self):
        return self.person if self.person_id else self.enterprise
