"""Application forms: a policy version's typed fields, materials, amount rule and limits."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangfu.policies.models import ObtainMode, Policy, PolicyVersion

# The ways of obtaining a policy that take an application here (the others are granted without one).
APPLY_MODES = (ObtainMode.APPLY_HERE, ObtainMode.QUICK)


class FieldKind(models.TextChoices):
    TEXT = "text", _("文本")
    NUMBER = "number", _("数字")
    DATE = "date", _("日期")
    CHOICE = "choice", _("选项")


class AmountKind(models.TextChoices):
    FIXED = "fixed", _("定额")
    PER_EMPLOYEE_MONTH = "per_employee_month", _("按参保人数按月")
    FEE_SHARE = "fee_share", _("按已缴费用比例")


class PeriodKind(models.TextChoices):
    NONE = "none", _("不分期")
    YEAR = "year", _("按年度")
    QUARTER = "quarter", _("按季度")
    MONTH = "month", _("按月")


class FileKind(models.TextChoices):
    IMAGE = "image", _("图片")
    PDF = "pdf", _("PDF")
    OFFICE = "office", _("Office 文档")


class ApplicationForm(models.Model):
    """What an application for one policy version asks and how its amount is computed."""

    version = models.OneToOneField(
        PolicyVersion, on_delete=models.CASCADE, related_name="application_form", verbose_name=_("政策版本")
    )
    instructions = models.TextField(_("申请须知"), blank=True)
    amount_kind = models.CharField(
        _("金额计算方式"), max_length=32, choices=AmountKind.choices, default=AmountKind.FIXED
    )
    amount_value = models.DecimalField(
        _("标准"),
        max_digits=14,
        decimal_places=2,
        help_text=_("定额填元；按参保人数按月填每人每月元；按比例填百分数。"),
    )
    amount_cap = models.DecimalField(_("封顶金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    heads_field = models.CharField(
        _("参保人数字段"), max_length=32, blank=True, help_text=_("按参保人数按月计算时，填写人数的数字字段代码。")
    )
    months_field = models.CharField(
        _("月数字段"), max_length=32, blank=True, help_text=_("按参保人数按月计算时，填写月数的数字字段代码。")
    )
    fees_field = models.CharField(
        _("已缴费用字段"), max_length=32, blank=True, help_text=_("按比例计算时，填写已缴费用（元）的数字字段代码。")
    )
    max_times = models.PositiveSmallIntegerField(
        _("每个对象最多申请成功次数"), null=True, blank=True, help_text=_("一次性补贴填 1；不限时留空。")
    )
    max_amount_per_year = models.DecimalField(
        _("每个对象每年最高金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    period_kind = models.CharField(
        _("申请周期"),
        max_length=16,
        choices=PeriodKind.choices,
        default=PeriodKind.NONE,
        help_text=_("同一对象在同一周期内只能有一份在办申请。"),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("申请表")
        verbose_name_plural = _("申请表")

    def __str__(self):
        return str(self.version)

    @property
    def policy(self) -> Policy:
        return self.version.policy


class FormField(models.Model):
    form = models.ForeignKey(ApplicationForm, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(_("字段代码"), max_length=32, help_text=_("英文字母、数字和下划线，金额规则引用时使用。"))
    label = models.CharField(_("名称"), max_length=64)
    kind = models.CharField(_("类型"), max_length=16, choices=FieldKind.choices, default=FieldKind.TEXT)
    required = models.BooleanField(_("必填"), default=True)
    choices = models.TextField(_("选项"), blank=True, help_text=_("类型为“选项”时填写，每行一项。"))
    help_text = models.CharField(_("填写说明"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    # 快申快享: the registry fact this field is filled from (``prefill.SOURCES``), or empty
    prefill = models.CharField(_("从登记信息预填"), max_length=48, blank=True)

    class Meta:
        ordering = ["form", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "key"], name="subsidy_field_key_unique")]
        verbose_name = _("申请表字段")
        verbose_name_plural = _("申请表字段")

    def __str__(self):
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.splitlines() if c.strip()]


class MaterialRequirement(models.Model):
    form = models.ForeignKey(ApplicationForm, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("材料名称"), max_length=64)
    description = models.CharField(_("说明"), max_length=255, blank=True)
    required = models.BooleanField(_("必须提交"), default=True)
    accepted_kinds = models.CharField(
        _("接受的文件类型"), max_length=64, default="image,pdf", help_text=_("image、pdf、office，逗号分隔。")
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["form", "position", "id"]
        verbose_name = _("申请材料要求")
        verbose_name_plural = _("申请材料要求")

    def __str__(self):
        return self.name

    @property
    def kinds(self) -> list[str]:
        return [k.strip() for k in self.accepted_kinds.split(",") if k.strip()]

    @property
    def kinds_label(self) -> str:
        labels = dict(FileKind.choices)
        return "、".join(str(labels.get(k, k)) for k in self.kinds)
