from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangfu.core.bilingual import in_language
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager


class Scheme(models.Model):
    """A version of the city's indicator scheme, in force for a span of assessment years.

    When the city changes the scheme, a new version is made for the new years; last year's results
    stay computed by last year's version.
    """

    code = models.SlugField(_("代码"), max_length=40)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=80)
    name_en = models.CharField(_("英文名称"), max_length=120, blank=True)
    source_document = models.CharField(
        _("依据文件"), max_length=120, blank=True, help_text=_("如：沪人社就〔2019〕316号")
    )
    year_from = models.PositiveSmallIntegerField(
        _("适用起始年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    year_to = models.PositiveSmallIntegerField(
        _("适用截止年度"), null=True, blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("指标体系")
        verbose_name_plural = _("指标体系")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="indicators_scheme_version_once"),
            models.CheckConstraint(
                condition=models.Q(year_to__isnull=True) | models.Q(year_to__gte=models.F("year_from")),
                name="indicators_scheme_years",
            ),
        ]

    def __str__(self):
        return f"{self.name}（第 {self.version} 版）"

    @property
    def label(self) -> str:
        """The name in the page's language (``name_en`` on English pages when filled)."""
        return in_language(self.name, self.name_en)

    def covers(self, year: int) -> bool:
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)


class Category(models.TextChoices):
    POLICY = "policy", _("定量：政策落实")
    SATISFACTION = "satisfaction", _("定量：工作满意度")
    ORGANISATION = "organisation", _("定性：组织实施")
    CARRIERS = "carriers", _("定性：载体建设")
    BRAND = "brand", _("定性：品牌打造")
    ATMOSPHERE = "atmosphere", _("定性：氛围营造")
    MODELS = "models", _("定性：典型培育")
    RESULTS = "results", _("定性：特色成效")


QUALITATIVE = [
    Category.ORGANISATION,
    Category.CARRIERS,
    Category.BRAND,
    Category.ATMOSPHERE,
    Category.MODELS,
    Category.RESULTS,
]


class Kind(models.TextChoices):
    COUNT = "count", _("计数")
    RATE = "rate", _("比率（%）")
    AVERAGE = "average", _("平均值")
    PER_THOUSAND = "per_thousand", _("每千人")


class PeriodType(models.TextChoices):
    MONTH = "month", _("月")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年")


class Direction(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class Indicator(models.Model):
    """An indicator as data: an expression over the sources the apps register (``indicators.sources``).

    ``numerator`` is an expression such as ``desk.tickets_closed_on_time`` or
    ``governance.attendance_present + 0``; a rate, an average or a per-thousand figure also has a
    ``denominator``. A period whose denominator is zero has no value ("no data"), never an error.
    """

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=80)
    name_en = models.CharField(_("英文名称"), max_length=120, blank=True)
    definition = models.TextField(_("口径说明"), max_length=1000)
    definition_en = models.TextField(_("英文口径说明"), max_length=1000, blank=True)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.COUNT)
    numerator = models.CharField(_("分子（或计数）表达式"), max_length=300)
    denominator = models.CharField(_("分母表达式"), max_length=300, blank=True)
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    unit_en = models.CharField(_("英文单位"), max_length=24, blank=True)
    period_type = models.CharField(_("统计周期"), max_length=8, choices=PeriodType.choices, default=PeriodType.MONTH)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["scheme", "order", "code"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="indicators_indicator_code_once")]

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
    def unit_label(self) -> str:
        return in_language(self.unit, self.unit_en)

    @property
    def factor(self) -> int:
        return {Kind.RATE: 100, Kind.PER_THOUSAND: 1000}.get(self.kind, 1)


class IndicatorCase(models.Model):
    """A test case on a fixed data set: given these source values, the indicator must give this value."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="cases")
    name = models.CharField(_("用例名称"), max_length=80)
    given = models.JSONField(
        _("数据源取值"), help_text=_('如 {"desk.tickets_closed": 10, "desk.tickets_closed_on_time": 9}')
    )
    expected = models.DecimalField(
        _("期望结果"), max_digits=14, decimal_places=4, null=True, blank=True, help_text=_("留空表示“无数据”。")
    )

    class Meta:
        ordering = ["indicator", "id"]
        verbose_name = _("指标用例")
        verbose_name_plural = _("指标用例")

    def __str__(self):
        return self.name


class Target(models.Model):
    """A town's target and warning threshold for an indicator in a year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    target = models.DecimalField(_("目标值"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    threshold = models.DecimalField(
        _("预警值"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text=_("达到预警值但未达目标时显示为黄色。"),
    )  # fmt: skip
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = TownScopedManager("jurisdiction")

    class Meta:
        verbose_name = _("目标值")
        verbose_name_plural = _("目标值")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "jurisdiction", "year"], name="indicators_target_once"),
            models.CheckConstraint(condition=models.Q(target__gte=0), name="indicators_target_not_negative"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}: {self.target}"
