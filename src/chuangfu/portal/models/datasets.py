from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager


class Dataset(models.Model):
    """An open dataset (开放数据): metadata here, the rows built live from aggregates with no personal data.

    ``source`` names one of the aggregates in ``portal.datasets.SOURCES``; every count below
    ``suppress_below`` is withheld (and any rate computed from it), so no small group can be singled out.
    """

    class Frequency(models.TextChoices):
        DAILY = "daily", _("每日")
        MONTHLY = "monthly", _("每月")
        QUARTERLY = "quarterly", _("每季度")
        YEARLY = "yearly", _("每年")

    class Licence(models.TextChoices):
        CC_BY = "CC-BY-4.0", _("署名 4.0 国际（CC BY 4.0）")
        OPEN = "gov-open", _("政府数据开放许可（无条件开放）")

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("发布机构所属区划"))
    name = models.CharField(
        _("标识名"),
        max_length=80,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9_-]{1,79}$", _("只能用小写字母、数字、- 和 _。"))],
        help_text=_("用于网址和开放数据接口，如 tangzhen-desk-monthly。"),
    )
    title = models.CharField(_("名称"), max_length=80)
    description = models.TextField(_("说明"), max_length=2000)
    publisher = models.CharField(_("发布机构"), max_length=60)
    source = models.CharField(_("数据来源"), max_length=40)
    licence = models.CharField(_("许可"), max_length=16, choices=Licence.choices, default=Licence.CC_BY)
    frequency = models.CharField(_("更新频率"), max_length=16, choices=Frequency.choices, default=Frequency.MONTHLY)
    suppress_below = models.PositiveSmallIntegerField(
        _("小数抑制阈值"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(100)],
        help_text=_("小于该值的计数不公开（至少为 3）。"),
    )
    published = models.BooleanField(_("已公开"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("元数据更新时间"), auto_now=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["title"]
        verbose_name = _("开放数据集")
        verbose_name_plural = _("开放数据集")

    def __str__(self):
        return self.title
