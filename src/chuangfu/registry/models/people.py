"""People (人员): a person with encrypted identifiers, and their priority groups (重点人群).

Birth date and gender are derived from the ID number on save (``services``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.crypto import EncryptedCharField, LookupHashField, mask_id_number, mask_mobile
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager

from ..retirement import RetirementGroup


class HukouKind(models.TextChoices):
    LOCAL = "local", _("本市户籍")
    PERMIT = "permit", _("外省市户籍（持上海市居住证）")
    TALENT_PERMIT = "talent_permit", _("海外人才居住证")
    NONLOCAL = "nonlocal", _("外省市户籍（无居住证）")
    HMT = "hmt", _("港澳台居民")
    FOREIGN = "foreign", _("外籍")


class Education(models.TextChoices):
    PRIMARY = "primary", _("小学及以下")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中/中专/技校")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科")
    MASTER = "master", _("硕士")
    DOCTOR = "doctor", _("博士")


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("就业")
    SELF_EMPLOYED = "self_employed", _("自主创业")
    FLEXIBLE = "flexible", _("灵活就业")
    UNEMPLOYED_REGISTERED = "unemployed_registered", _("登记失业")
    UNEMPLOYED = "unemployed", _("未就业（未登记）")
    STUDENT = "student", _("在校学生")
    RETIRED = "retired", _("退休")


class PriorityGroup(models.TextChoices):
    GRADUATE = "graduate", _("高校毕业生")
    HARD_TO_EMPLOY = "hard_to_employ", _("就业困难人员")
    LONG_TERM_UNEMPLOYED_YOUTH = "long_unemployed_youth", _("长期失业青年")
    DISABLED = "disabled", _("残疾人")
    VETERAN = "veteran", _("退役军人")
    REGISTERED_UNEMPLOYED = "registered_unemployed", _("登记失业人员")
    RURAL_LABOUR = "rural_labour", _("农村劳动力/返乡人员")


class Person(models.Model):
    name = models.CharField(_("姓名"), max_length=64)
    name_pinyin = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    id_number = EncryptedCharField(_("身份证号码"))
    id_number_hash = LookupHashField(source="id_number", unique=True)
    birth_date = models.DateField(_("出生日期"), editable=False)
    gender = models.CharField(_("性别"), max_length=1, choices=[("M", _("男")), ("F", _("女"))], editable=False)
    mobile = EncryptedCharField(_("手机号"), blank=True, default="")
    mobile_hash = LookupHashField(source="mobile", null=True, blank=True, db_index=True)
    hukou_kind = models.CharField(_("户籍性质"), max_length=16, choices=HukouKind.choices, blank=True)
    hukou_place = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("户籍地（区、镇、村居）"),
        help_text=_("本市户籍人员的户籍所在区划；户籍不在名录区划内的留空。"),
    )
    residence_permit_since = models.DateField(
        _("居住证起始日期"), null=True, blank=True, help_text=_("持上海市居住证（含海外人才居住证）的，首次取得日期。")
    )
    retirement_group = models.CharField(
        _("退休年龄适用类别"),
        max_length=16,
        choices=RetirementGroup.choices,
        blank=True,
        help_text=_("女职工须选择岗位类别，才能计算法定退休年龄。"),
    )
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("常住地"))
    address = models.CharField(_("居住地址"), max_length=255, blank=True)
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices, blank=True)
    graduation_date = models.DateField(_("毕业时间"), null=True, blank=True)
    employment_status = models.CharField(_("就业状态"), max_length=32, choices=EmploymentStatus.choices, blank=True)
    unemployment_registered_on = models.DateField(_("失业登记日期"), null=True, blank=True)
    entrepreneurial_intent = models.BooleanField(_("有创业意向"), default=False)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["jurisdiction", "-id"])]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self):
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class PersonGroup(models.Model):
    """A person's membership of a priority group (重点人群), with when and any detail."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="groups")
    group = models.CharField(_("重点人群"), max_length=32, choices=PriorityGroup.choices)
    since = models.DateField(_("认定日期"), null=True, blank=True)
    detail = models.CharField(_("说明"), max_length=128, blank=True, help_text=_("如：残疾等级、困难人员类型"))

    objects = TownScopedManager("person__jurisdiction")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "group"], name="person_group_unique")]
        verbose_name = _("重点人群")
        verbose_name_plural = _("重点人群")

    def __str__(self):
        return self.get_group_display()
