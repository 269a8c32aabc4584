from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager

from .scheme import Category


class EvidencePack(models.Model):
    """定性 evidence for one dimension, town and year: gathered from the records, annotated by the office."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    year = models.PositiveSmallIntegerField(_("年度"))
    dimension = models.CharField(_("维度"), max_length=16, choices=Category.choices)
    self_assessment = models.TextField(_("自评说明"), max_length=5000, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        verbose_name = _("定性佐证材料")
        verbose_name_plural = _("定性佐证材料")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year", "dimension"], name="indicators_pack_once")
        ]

    def __str__(self):
        return f"{self.get_dimension_display()} {self.year}"


class EvidenceDocument(models.Model):
    pack = models.ForeignKey(EvidencePack, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("材料名称"), max_length=120)
    file = models.FileField(_("文件"), upload_to="indicators/evidence/%Y/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = TownScopedManager("pack__jurisdiction")

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("佐证文件")
        verbose_name_plural = _("佐证文件")

    def __str__(self):
        return self.title
