"""公示 (public notice) of applications that passed second review, and objections (异议).

A ``NoticeBatch`` gathers applications in 复审通过 and is published on the public site for a number
of working days; each ``NoticeEntry`` keeps what the public saw (masked name, policy, amount) so the
notice reads the same later whatever changes. An ``Objection`` against an entry must be resolved
before that application's approval becomes final (``services.notices``).

Imported at the end of ``models.py`` so Django registers these models with the app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.crypto import EncryptedCharField, LookupHashField, mask_mobile
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("待发布")
    PUBLISHED = "published", _("公示中")
    CLOSED = "closed", _("已办结")  # every entry decided


class NoticeBatch(models.Model):
    """One public notice (公示) of applications that passed second review, in one town."""

    number = models.CharField(_("公示编号"), max_length=32, unique=True)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("镇（街道）"))
    title = models.CharField(_("标题"), max_length=128)
    days = models.PositiveSmallIntegerField(_("公示期（工作日）"))
    status = models.CharField(_("状态"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    starts_on = models.DateField(_("公示开始"), null=True, blank=True)
    ends_on = models.DateField(_("公示截止"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "ends_on"])]
        verbose_name = _("公示批次")
        verbose_name_plural = _("公示批次")

    def __str__(self):
        return f"{self.number} {self.title}"


class EntryOutcome(models.TextChoices):
    PENDING = "pending", _("公示中")
    APPROVED = "approved", _("已核准")
    WITHDRAWN = "withdrawn", _("异议成立，撤出公示")


class NoticeEntry(models.Model):
    """One application in a notice, as the public saw it."""

    batch = models.ForeignKey(NoticeBatch, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey("subsidies.Application", on_delete=models.PROTECT, related_name="notice_entries")
    public_name = models.CharField(_("申请人（部分隐去）"), max_length=255)
    policy_title = models.CharField(_("政策"), max_length=128)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    outcome = models.CharField(_("结果"), max_length=16, choices=EntryOutcome.choices, default=EntryOutcome.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = TownScopedManager("batch__jurisdiction")

    class Meta:
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "application"], name="notice_entry_once_per_batch"),
            # An application stands in at most one notice at a time.
            models.UniqueConstraint(
                fields=["application"], condition=Q(outcome="pending"), name="notice_entry_one_pending_per_application"
            ),
        ]
        verbose_name = _("公示条目")
        verbose_name_plural = _("公示条目")

    def __str__(self):
        return f"{self.batch.number} · {self.public_name}"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(models.Model):
    """An objection (异议) to one entry of a notice, from the public or recorded by staff."""

    class Source(models.TextChoices):
        PUBLIC = "public", _("公众在线提出")
        STAFF = "staff", _("工作人员登记")

    entry = models.ForeignKey(NoticeEntry, on_delete=models.CASCADE, related_name="objections")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    name = models.CharField(_("提出人"), max_length=64)
    mobile = EncryptedCharField(_("联系电话"), blank=True, default="")
    mobile_hash = LookupHashField(source="mobile", null=True, blank=True, db_index=True)
    content = models.TextField(_("异议内容"))
    ip = models.GenericIPAddressField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(
        _("处理结果"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolution = models.TextField(_("处理意见"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["ip", "created_at"])]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")

    def __str__(self):
        return f"{self.entry} · {self.get_status_display()}"

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)
