"""拨付 (disbursement) of approved applications.

A ``DisbursementBatch`` is a list of approved applications handed to the finance department
(``DisbursementItem``: an application is in at most one batch). A ``Disbursement`` records the
payment itself and is unique per application: the database refuses a second payment of one
application whatever the code above it does (``services.disbursements`` also locks the row).

Imported at the end of ``models.py`` so Django registers these models with the app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Job, Jurisdiction
from chuangfu.core.scopes import TownScopedManager


class DisbursementBatch(models.Model):
    """A list of approved applications handed to the finance department for payment."""

    number = models.CharField(_("拨付批次号"), max_length=32, unique=True)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("镇（街道）"))
    title = models.CharField(_("标题"), max_length=128)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("拨付批次")
        verbose_name_plural = _("拨付批次")

    def __str__(self):
        return f"{self.number} {self.title}"


class DisbursementItem(models.Model):
    batch = models.ForeignKey(DisbursementBatch, on_delete=models.CASCADE, related_name="items")
    application = models.OneToOneField(
        "subsidies.Application", on_delete=models.PROTECT, related_name="disbursement_item"
    )

    objects = TownScopedManager("batch__jurisdiction")

    class Meta:
        ordering = ["batch", "id"]
        verbose_name = _("拨付清单条目")
        verbose_name_plural = _("拨付清单条目")


class Disbursement(models.Model):
    """The payment of one application: at most one per application, enforced by the database."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("逐笔录入")
        IMPORT = "import", _("财务表格导入")

    application = models.OneToOneField("subsidies.Application", on_delete=models.PROTECT, related_name="disbursement")
    batch = models.ForeignKey(
        DisbursementBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="disbursements"
    )
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT)
    amount = models.DecimalField(_("拨付金额（元）"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("拨付日期"))
    reference = models.CharField(_("支付凭证号"), max_length=64)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-paid_on", "-id"]
        indexes = [models.Index(fields=["jurisdiction", "paid_on"])]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive")]
        verbose_name = _("拨付记录")
        verbose_name_plural = _("拨付记录")

    def __str__(self):
        return f"{self.reference} {self.amount}"
