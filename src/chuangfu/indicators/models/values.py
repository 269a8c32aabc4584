from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager

from .scheme import Indicator, Scheme


class Value(models.Model):
    """A computed value (the precomputed analytics table): one indicator, one jurisdiction, one period.

    ``value`` is None when the denominator was zero ("no data"). Rows are rewritten by each computation.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE)
    period_start = models.DateField()
    period_end = models.DateField()
    numerator = models.DecimalField(max_digits=18, decimal_places=4)
    denominator = models.DecimalField(max_digits=18, decimal_places=4, null=True)
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True)
    computed_at = models.DateTimeField()

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "jurisdiction", "period_start", "period_end"], name="indicators_value_once"
            )
        ]
        indexes = [models.Index(fields=["jurisdiction", "period_start"])]


class Snapshot(models.Model):
    """The values of a town's year as submitted to the city: frozen, later changes to data do not alter it."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    year = models.PositiveSmallIntegerField(_("年度"))
    data = models.JSONField(editable=False)
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("评估快照")
        verbose_name_plural = _("评估快照")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "jurisdiction", "year"], name="indicators_snapshot_once")
        ]
