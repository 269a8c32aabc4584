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


class HardshipType(models.TextChoices):
    """就业困难人员的认定类别. Shanghai's list is not in the project's reference (REFERENCE.md says
    only "recognised, with type"); these follow the national definition (就业促进法 §52: 因身体状况、
    技能水平、家庭因素、失去土地等原因难以实现就业，以及连续失业一定时间) and are examples the town
    must confirm (docs/decisions.md, "policies in depth, part three")."""

    OLDER = "older", _("大龄失业人员（女满40周岁、男满50周岁）")
    DISABLED = "disabled", _("残疾人员")
    LOW_INCOME = "low_income", _("低保家庭成员")
    ZERO_EMPLOYMENT = "zero_employment", _("零就业家庭成员")
    LONG_UNEMPLOYED = "long_unemployed", _("连续失业一年以上人员")
    LAND_LOST = "land_lost", _("失地农民（征地安置人员）")
    OTHER = "other", _("其他经认定的就业困难人员")


class DisabilityGrade(models.TextChoices):
    """残疾等级 (GB/T 26341-2010): 一级 is the most severe; listed from the least severe, so "at
    least 二级" is 二级 or 一级."""

    FOURTH = "4", _("四级")
    THIRD = "3", _("三级")
    SECOND = "2", _("二级")
    FIRST = "1", _("一级")


class DisabilityKind(models.TextChoices):
    """残疾类别 (GB/T 26341-2010), as on the 残疾人证."""

    VISUAL = "visual", _("视力残疾")
    HEARING = "hearing", _("听力残疾")
    SPEECH = "speech", _("言语残疾")
    PHYSICAL = "physical", _("肢体残疾")
    INTELLECTUAL = "intellectual", _("智力残疾")
    MENTAL = "mental", _("精神残疾")
    MULTIPLE = "multiple", _("多重残疾")


# Each structured detail of a priority group, and the group it belongs to.
GROUP_DETAILS = {
    "hardship_type": PriorityGroup.HARD_TO_EMPLOY,
    "disability_grade": PriorityGroup.DISABLED,
    "disability_kind": PriorityGroup.DISABLED,
    "discharged_on": PriorityGroup.VETERAN,
    "unemployed_since": PriorityGroup.LONG_TERM_UNEMPLOYED_YOUTH,
}


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
    """A person's membership of a priority group (重点人群), with when, and the group's own facts
    (``GROUP_DETAILS``: only the group's own are filled); ``detail`` is a note, no longer the place
    for the type or grade."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="groups")
    group = models.CharField(_("重点人群"), max_length=32, choices=PriorityGroup.choices)
    since = models.DateField(_("认定日期"), null=True, blank=True)
    hardship_type = models.CharField(_("就业困难人员类别"), max_length=16, choices=HardshipType.choices, blank=True)
    disability_grade = models.CharField(_("残疾等级"), max_length=1, choices=DisabilityGrade.choices, blank=True)
    disability_kind = models.CharField(_("残疾类别"), max_length=16, choices=DisabilityKind.choices, blank=True)
    discharged_on = models.DateField(_("退役日期"), null=True, blank=True)
    unemployed_since = models.DateField(
        _("连续失业起始日期"), null=True, blank=True, help_text=_("长期失业青年：本次连续失业的起始日期。")
    )
    detail = models.CharField(_("说明"), max_length=128, blank=True)

    objects = TownScopedManager("person__jurisdiction")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "group"], name="person_group_unique")]
        verbose_name = _("重点人群")
        verbose_name_plural = _("重点人群")

    def __str__(self):
        return self.get_group_display()
