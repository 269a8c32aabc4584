from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangfu.core.bilingual import in_language

from .scheme import Direction


class ScorecardMeasure(models.Model):
    """One line of the member units' scorecard (考评), with its weight — as data, like the indicators.

    A rate is ``numerator ÷ denominator`` of one unit's counts (unit sources the apps register,
    ``indicators.sources.UNIT_SOURCES``) and scores that share (or one minus it when lower is better);
    a count (no denominator) scores its share of the best unit's count. A unit's score is the
    weighted mean, out of 100, of the lines it has data for.
    """

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    name_en = models.CharField(_("英文名称"), max_length=120, blank=True)
    definition = models.CharField(_("口径说明"), max_length=300, blank=True)
    definition_en = models.CharField(_("英文口径说明"), max_length=400, blank=True)
    numerator = models.CharField(_("分子（或计数）数据源"), max_length=80)
    denominator = models.CharField(_("分母数据源"), max_length=80, blank=True, help_text=_("计数项不填。"))
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    weight = models.PositiveSmallIntegerField(_("权重"), default=10, validators=[MaxValueValidator(100)])
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("单位考评项")
        verbose_name_plural = _("单位考评项")
        constraints = [models.CheckConstraint(condition=models.Q(weight__lte=100), name="indicators_measure_weight")]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        """The name in the page's language (``name_en`` on English pages when filled)."""
        return in_language(self.name, self.name_en)

    @property
    def definition_label(self) -> str:
        return in_language(self.definition, self.definition_en)

    @property
    def is_rate(self) -> bool:
        return bool(self.denominator)
