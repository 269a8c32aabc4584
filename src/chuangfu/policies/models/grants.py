"""Grants (享受记录): benefits actually granted to a subject."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.registry.models import Enterprise, Person

from .common import one_subject
from .policies import Policy, PolicyVersion


class Grant(models.Model):
    """A benefit actually granted to a subject: from an imported list or (later) a subsidy decision."""

    class Source(models.TextChoices):
        IMPORT = "import", _("导入名单")
        SUBSIDY = "subsidy", _("补贴审批")
        MANUAL = "manual", _("手工登记")

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="grants")
    version = models.ForeignKey(PolicyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="grants")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="policy_grants")
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.CASCADE, related_name="policy_grants"
    )
    granted_on = models.DateField(_("享受日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    # a benefit paid by the month (按人按月): the months this grant paid, counted against the
    # version's 最长月数 like the months of an application or an entitlement cycle
    months = models.PositiveSmallIntegerField(_("享受月数"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    reference = models.CharField(_("凭证号"), max_length=64, blank=True, help_text=_("申请编号或名单批次"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-granted_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=one_subject(), name="grant_one_subject"),
            # The same grant imported twice is one grant.
            models.UniqueConstraint(
                fields=["policy", "person", "granted_on"],
                condition=Q(person__isnull=False),
                name="grant_policy_person_day_unique",
            ),
            models.UniqueConstraint(
                fields=["policy", "enterprise", "granted_on"],
                condition=Q(enterprise__isnull=False),
                name="grant_policy_enterprise_day_unique",
            ),
        ]
        indexes = [models.Index(fields=["policy", "granted_on"])]
        verbose_name = _("享受记录")
        verbose_name_plural = _("享受记录")

    # What the assessment annex prints for a grant, read as columns and joined with " · ": the policy,
    # the day and the voucher (an application number or a list batch), no personal data.
    annex_label = ("policy__title", "granted_on", "reference")

    def __str__(self):
        return " · ".join(str(part) for part in (self.policy.title, self.granted_on, self.reference) if part)

    @property
    def subject(self):
        return self.person if self.person_id else self.enterprise
