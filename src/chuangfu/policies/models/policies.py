"""Policies (政策) and their versions: validity dates, benefit, and the eligibility rule as data.

A version is edited while it is a draft and becomes read-only once published
(``workflows.VERSION``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangfu.core.models import Jurisdiction, Unit


class Level(models.TextChoices):
    NATIONAL = "national", _("国家")
    CITY = "city", _("市")
    DISTRICT = "district", _("区")
    TOWN = "town", _("镇")


class Category(models.TextChoices):
    EMPLOYMENT = "employment", pgettext_lazy("policy category", "就业")
    STARTUP = "startup", _("创业")
    TRAINING = "training", _("培训")
    FINANCE = "finance", _("融资")
    PREMISES = "premises", _("场地")
    SOCIAL_INSURANCE = "social_insurance", _("社保")
    TALENT = "talent", _("人才")


class Target(models.TextChoices):
    PERSON = "person", pgettext_lazy("policy target", "个人")
    ENTERPRISE = "enterprise", pgettext_lazy("policy target", "企业")


class ObtainMode(models.TextChoices):
    APPLY_HERE = "apply_here", _("在本平台申请")
    ELSEWHERE = "elsewhere", _("在其他渠道申请")
    AUTOMATIC = "automatic", _("免申即享")
    QUICK = "quick", _("快申快享")


class BenefitKind(models.TextChoices):
    FIXED = "fixed", _("定额")
    PER_HEAD_MONTH = "per_head_month", _("按人按月")
    PERCENTAGE = "percentage", _("按比例")
    LOAN = "loan", _("贷款额度")
    SERVICE = "service", _("服务/资格")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    CONSULTATION = "consultation", _("征求意见中")  # a town's own draft with the member units (drafting)
    APPROVED = "approved", _("已审定")  # approved by the leadership, waiting to be issued with its 文号
    PUBLISHED = "published", _("已发布")


class Policy(models.Model):
    code = models.SlugField(
        _("代码"), max_length=64, unique=True, help_text=_("英文字母、数字和连字符，规则中引用本政策时使用。")
    )
    level = models.CharField(_("政策层级"), max_length=16, choices=Level.choices)
    title = models.CharField(_("政策名称"), max_length=128)
    document_number = models.CharField(_("文号"), max_length=64, blank=True, help_text=_("如：沪人社规〔2023〕1号"))
    issuing_body = models.CharField(_("发文机关"), max_length=128, blank=True)
    category = models.CharField(_("类别"), max_length=32, choices=Category.choices)
    target = models.CharField(_("对象"), max_length=16, choices=Target.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        verbose_name=_("维护区划"),
        help_text=_("负责维护本政策的区或镇；镇级政策只由本镇维护。"),
    )
    handling_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("经办单位")
    )
    handling_unit_name = models.CharField(
        _("经办单位（外部）"), max_length=128, blank=True, help_text=_("经办单位不在本平台时填写名称。")
    )
    obtain_mode = models.CharField(
        _("办理方式"), max_length=16, choices=ObtainMode.choices, default=ObtainMode.APPLY_HERE
    )
    apply_url = models.URLField(_("办理链接"), blank=True, help_text=_("在其他渠道申请时必填。"))
    is_example = models.BooleanField(
        _("示例（待确认）"),
        default=False,
        help_text=_("条件或金额来自未公开条款的示例，须由本镇核实后使用。"),
    )
    search_text = models.TextField(editable=False, blank=True)  # jieba words of title, number, summary
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["level", "title"]
        verbose_name = _("政策")
        verbose_name_plural = _("政策")

    def __str__(self):
        return self.title

    @property
    def handling_unit_label(self) -> str:
        return str(self.handling_unit) if self.handling_unit_id else self.handling_unit_name


class PolicyVersion(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("长期有效时留空。"))
    summary = models.TextField(_("政策摘要"))
    full_text = models.TextField(_("政策原文"), blank=True)
    benefit_kind = models.CharField(
        _("补贴方式"), max_length=16, choices=BenefitKind.choices, default=BenefitKind.FIXED
    )
    benefit_amount = models.DecimalField(
        _("金额/比例"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("定额填元；按人按月填每人每月元；按比例填百分数；贷款填最高额度（元）。"),
    )
    benefit_cap = models.DecimalField(_("封顶金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    benefit_max_months = models.PositiveSmallIntegerField(_("最长月数"), null=True, blank=True)
    benefit_max_heads = models.PositiveSmallIntegerField(_("每月最多人数"), null=True, blank=True)
    max_times = models.PositiveSmallIntegerField(
        _("每个对象最多享受次数"), null=True, blank=True, help_text=_("一次性补贴填 1；不限时留空。")
    )
    benefit_note = models.CharField(_("待遇说明"), max_length=255, blank=True)
    materials = models.TextField(_("申请材料"), blank=True, help_text=_("每行一项"))
    rule = models.JSONField(_("享受条件"), default=dict)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # a town's own policy drafted here: approved by the leadership, then issued with its 文号
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_number = models.CharField(_("印发文号"), max_length=64, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="policy_version_number_unique"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="policy_version_dates_ordered",
            ),
        ]
        verbose_name = _("政策版本")
        verbose_name_plural = _("政策版本")

    def __str__(self):
        return f"{self.policy.title}（第{self.number}版）"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def material_list(self) -> list[str]:
        return [m.strip() for m in self.materials.splitlines() if m.strip()]

    def in_force_on(self, day) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)
