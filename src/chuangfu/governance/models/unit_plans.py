"""Each member unit's own annual plan items (its 年度工作计划, imported from .xlsx or entered): the
office reads them and adds overlay (叠加) tasks tied to them, with the reason and the indicator
the overlay serves (work plan 二(一): "在其既定计划的基础上制定有针对性的叠加策略")."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction, Unit
from chuangfu.core.scopes import TownScopedManager


class UnitPlanItem(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    year = models.PositiveSmallIntegerField(_("年度"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plan_items", verbose_name=_("单位"))
    code = models.CharField(_("编号"), max_length=32)
    title = models.CharField(_("计划事项"), max_length=255)
    target = models.TextField(_("目标"), blank=True)
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["year", "unit__name", "code"]
        constraints = [
            # the key a re-import updates by: the same unit's item code in the same year
            models.UniqueConstraint(
                fields=["jurisdiction", "year", "unit", "code"], name="governance_unit_plan_item_key"
            )
        ]
        verbose_name = _("单位年度计划事项")
        verbose_name_plural = _("单位年度计划事项")

    def __str__(self):
        return f"{self.unit.name} {self.code} {self.title}"


class PlanDocument(models.Model):
    """The plan document (e.g. the 工作方案 as issued) published to the town's units, who each
    acknowledge receipt (签收); the office sees who has not."""

    plan = models.ForeignKey(
        "governance.Plan", on_delete=models.PROTECT, related_name="documents", verbose_name=_("工作计划")
    )
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    title = models.CharField(_("文件标题"), max_length=200)
    file = models.FileField(_("文件"), upload_to="governance/documents/%Y/")
    published_at = models.DateTimeField(_("印发时间"), default=timezone.now)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("计划文件")
        verbose_name_plural = _("计划文件")

    def __str__(self):
        return self.title


class Acknowledgement(models.Model):
    document = models.ForeignKey(PlanDocument, on_delete=models.CASCADE, related_name="acknowledgements")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("签收人")
    )
    at = models.DateTimeField(_("签收时间"), default=timezone.now)

    objects = TownScopedManager("document__jurisdiction")

    class Meta:
        ordering = ["document", "at"]
        constraints = [models.UniqueConstraint(fields=["document", "unit"], name="governance_acknowledged_once")]
        verbose_name = _("签收")
        verbose_name_plural = _("签收")
