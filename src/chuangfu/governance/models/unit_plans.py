"""Each member unit's own annual plan items (its 年度工作计划, imported from .xlsx or entered): the
office reads them and adds overlay (叠加) tasks tied to them, with the reason and the indicator
the overlay serves (work plan 二(一): "在其既定计划的基础上制定有针对性的叠加策略")."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction, Unit


class UnitPlanItem(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    year = models.PositiveSmallIntegerField(_("年度"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plan_items", verbose_name=_("单位"))
    code = models.CharField(_("编号"), max_length=32)
    title = models.CharField(_("计划事项"), max_length=255)
    target = models.TextField(_("目标"), blank=True)
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

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
