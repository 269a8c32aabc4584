from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager
from chuangfu.registry.models import Enterprise, Person

from .publication import Publication


class Theme(models.TextChoices):
    ECOMMERCE = "ecommerce", _("电子商务")
    DIGITAL = "digital", _("数字化转型")
    YOUTH = "youth", _("青年创业")
    WOMEN = "women", _("巾帼创业")
    VETERANS = "veterans", _("退役军人创业")
    INNOVATION = "innovation", _("科技创新")
    RETURNING = "returning", _("返乡创业")


class Case(models.Model):
    """创业典型: a story about an entrepreneur or an enterprise the town helped, published with consent."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    title = models.CharField(_("标题"), max_length=80)
    summary = models.CharField(_("摘要"), max_length=200)
    story = models.TextField(
        _("正文"), max_length=20000, help_text=_("可使用加粗、列表、链接；脚本等不安全内容会被去除。")
    )
    theme = models.CharField(_("主题"), max_length=16, choices=Theme.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("创业者"))
    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("企业"))
    photo = models.ImageField(_("照片"), upload_to="portal/cases/%Y/%m/", blank=True)
    photo_alt = models.CharField(_("照片说明"), max_length=120, blank=True, help_text=_("供读屏软件朗读的文字说明。"))
    jobs_created = models.PositiveIntegerField(
        _("带动就业（人）"), null=True, blank=True, validators=[MaxValueValidator(100000)]
    )
    revenue_band = models.CharField(_("营业收入"), max_length=40, blank=True)
    policies_used = models.CharField(_("享受的政策"), max_length=400, blank=True)
    consent_on = models.DateField(_("本人同意公开日期"), null=True, blank=True)
    consent_note = models.CharField(_("同意方式"), max_length=200, blank=True, help_text=_("如：书面同意书已存档"))
    consent_file = models.FileField(_("同意书"), upload_to="portal/consents/%Y/", blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Publication.choices, default=Publication.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("创业典型")
        verbose_name_plural = _("创业典型")
        indexes = [models.Index(fields=["status", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(enterprise__isnull=False),
                name="portal_case_has_subject",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def subject_name(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.person.name


class CaseNomination(models.Model):
    """A case put forward to a district or city selection (评选), and what came of it."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("区级")
        CITY = "city", _("市级")

    class Result(models.TextChoices):
        PENDING = "pending", _("评选中")
        SELECTED = "selected", _("入选")
        NOT_SELECTED = "not_selected", _("未入选")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="nominations")
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    selection = models.CharField(_("评选名称"), max_length=120)
    nominated_on = models.DateField(_("推荐日期"))
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices, default=Result.PENDING)
    result_on = models.DateField(_("结果日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = TownScopedManager("case__jurisdiction")

    class Meta:
        ordering = ["-nominated_on", "-id"]
        verbose_name = _("典型推荐")
        verbose_name_plural = _("典型推荐")
        constraints = [
            models.UniqueConstraint(fields=["case", "level", "selection"], name="portal_nomination_once"),
            models.CheckConstraint(
                condition=models.Q(result_on__isnull=True) | models.Q(result_on__gte=models.F("nominated_on")),
                name="portal_nomination_result_after",
            ),
        ]

    def __str__(self):
        return f"{self.selection}（{self.get_level_display()}）"
