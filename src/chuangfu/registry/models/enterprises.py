"""Enterprises (企业), their tags and the people linked to them (法定代表人, 创办人, 员工)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager

from ..industry import DIVISION_CHOICES, SECTION_CHOICES
from .carriers import Carrier
from .people import Person


class Tag(models.Model):
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业标签")
        verbose_name_plural = _("企业标签")

    def __str__(self):
        return self.name


class EntityType(models.TextChoices):
    COMPANY = "company", _("有限责任公司/股份公司")
    SOLE_PROPRIETOR = "sole_proprietor", _("个体工商户")
    COOPERATIVE = "cooperative", _("农民专业合作社")
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", _("民办非企业单位")
    PARTNERSHIP = "partnership", _("合伙企业")
    SOLE_INVESTMENT = "sole_investment", _("个人独资企业")
    OTHER = "other", _("其他")


class RegistrationStatus(models.TextChoices):
    ACTIVE = "active", _("存续（在业）")
    REVOKED = "revoked", _("吊销")
    CANCELLED = "cancelled", _("注销")
    MOVED_OUT = "moved_out", _("迁出")


class Enterprise(models.Model):
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("企业名称"), max_length=255)
    name_pinyin = models.CharField(max_length=512, blank=True, editable=False)
    entity_type = models.CharField(_("主体类型"), max_length=32, choices=EntityType.choices, default=EntityType.COMPANY)
    is_small_micro = models.BooleanField(_("小微企业"), default=True)
    legal_representative = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="represented_enterprises",
        verbose_name=_("法定代表人（名录人员）"),
    )
    legal_representative_name = models.CharField(_("法定代表人"), max_length=64, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    registration_status = models.CharField(
        _("登记状态"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.ACTIVE
    )
    address = models.CharField(_("住所"), max_length=255, blank=True)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("注册地区划"))
    industry_section = models.CharField(_("行业门类"), max_length=1, choices=SECTION_CHOICES, blank=True)
    industry_division = models.CharField(_("行业大类"), max_length=2, choices=DIVISION_CHOICES, blank=True)
    industry_class = models.CharField(
        _("行业小类（四位代码）"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("行业小类应为 GB/T 4754-2017 的四位代码，如 5292。"))],
        help_text=_("GB/T 4754-2017 小类，如 5292（互联网零售）；填写后自动确定门类和大类。"),
    )
    registered_capital = models.DecimalField(
        _("注册资本（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    insured_employees = models.PositiveIntegerField(_("参保人数"), null=True, blank=True)
    business_scope = models.TextField(_("经营范围"), blank=True)
    tags = models.ManyToManyField(Tag, blank=True, verbose_name=_("标签"))
    carrier = models.ForeignKey(
        Carrier,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_enterprises",
        verbose_name=_("入驻载体"),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="enterprise"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["jurisdiction", "-id"]), models.Index(fields=["name"])]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self):
        return self.name


class EnterprisePerson(models.Model):
    class Relation(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_rep", _("法定代表人")
        FOUNDER = "founder", _("创办人/股东")
        EMPLOYEE = "employee", _("员工")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="people_links")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enterprise_links")
    relation = models.CharField(_("关系"), max_length=16, choices=Relation.choices)
    since = models.DateField(_("起始日期"), null=True, blank=True)
    share = models.DecimalField(
        _("持股比例（%）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("创办人/股东的出资或持股比例；不详留空。"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "person", "relation"], name="enterprise_person_relation_unique"
            )
        ]
        verbose_name = _("人员与企业关系")
        verbose_name_plural = _("人员与企业关系")
