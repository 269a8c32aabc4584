"""Kinds of request and the routing rules that suggest a handling unit."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction, Unit
from chuangfu.core.scopes import TownScopedManager

# The categories every town starts with (migration 0002), for the translation catalogue: shown in
# the reader's language; a category an administrator names stays as written.
SHIPPED_NAMES = [
    gettext_noop("政策咨询"),
    gettext_noop("注册开办"),
    gettext_noop("融资贷款"),
    gettext_noop("场地租赁"),
    gettext_noop("招聘用工"),
    gettext_noop("创业培训"),
    gettext_noop("补贴申领"),
    gettext_noop("其他"),
]


class Category(models.Model):
    """A kind of request in one town, with its time limits and default handling unit."""

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        verbose_name=_("所属镇/街道"),
        limit_choices_to={"level": Jurisdiction.Level.TOWN},
    )
    name = models.CharField(_("名称"), max_length=32)
    description = models.CharField(_("说明"), max_length=255, blank=True, help_text=_("显示在公众提交页面上。"))
    accept_days = models.PositiveSmallIntegerField(_("签收时限（工作日）"), default=1)
    answer_days = models.PositiveSmallIntegerField(_("答复时限（工作日）"), default=5)
    rectify_days = models.PositiveSmallIntegerField(_("差评整改时限（工作日）"), default=15)
    default_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("默认承办单位")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["jurisdiction__path", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="desk_category_unique_name")]
        verbose_name = _("咨询类别")
        verbose_name_plural = _("咨询类别")

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (see ``SHIPPED_NAMES``)."""
        return gettext(self.name)

    def clean(self):
        errors = {}
        if self.answer_days < 1:
            errors["answer_days"] = _("答复时限至少为 1 个工作日。")
        elif self.accept_days > self.answer_days:
            errors["accept_days"] = _("签收时限不能长于答复时限。")
        if self.default_unit_id and self.jurisdiction_id and self.default_unit.jurisdiction_id != self.jurisdiction_id:
            errors["default_unit"] = _("默认承办单位必须是本镇的单位。")
        if errors:
            raise ValidationError(errors)


class RoutingRule(models.Model):
    """Suggests the handling unit: category and/or keywords → unit. Lower priority numbers win."""

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        verbose_name=_("所属镇/街道"),
        limit_choices_to={"level": Jurisdiction.Level.TOWN},
    )
    name = models.CharField(_("规则名称"), max_length=64)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("类别"),
        help_text=_("留空表示任何类别。"),
    )
    keywords = models.CharField(
        _("关键词"),
        max_length=255,
        blank=True,
        help_text=_("以空格、逗号或顿号分隔，诉求内容含任意一个即命中；留空表示只看类别。"),
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("建议承办单位"))
    priority = models.PositiveSmallIntegerField(_("优先级"), default=100, help_text=_("数字小的先匹配。"))
    active = models.BooleanField(_("启用"), default=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["jurisdiction__path", "priority", "id"]
        verbose_name = _("派单规则")
        verbose_name_plural = _("派单规则")

    def __str__(self):
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        import re

        return [k for k in re.split(r"[\s,，、;；]+", self.keywords) if k]

    def clean(self):
        errors = {}
        if not self.category_id and not self.keyword_list:
            errors["keywords"] = _("类别和关键词至少填写一项。")
        if self.unit_id and self.jurisdiction_id and self.unit.jurisdiction_id != self.jurisdiction_id:
            errors["unit"] = _("建议承办单位必须是本镇的单位。")
        if self.category_id and self.jurisdiction_id and self.category.jurisdiction_id != self.jurisdiction_id:
            errors["category"] = _("类别必须属于本镇。")
        if errors:
            raise ValidationError(errors)
