"""The registry: people, enterprises, carriers and mentors, each in a jurisdiction.

Personal identifiers are encrypted (``EncryptedCharField``) and found through their keyed
hash; birth date and gender are derived from the ID number on save. Every write goes through
``services.py``, which validates, audits and keeps the search columns current.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.crypto import EncryptedCharField, LookupHashField, mask_id_number, mask_mobile
from chuangfu.core.models import Jurisdiction, Unit

from .industry import DIVISION_CHOICES, SECTION_CHOICES
from .retirement import RetirementGroup


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

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "group"], name="person_group_unique")]
        verbose_name = _("重点人群")
        verbose_name_plural = _("重点人群")

    def __str__(self):
        return self.get_group_display()


class Tag(models.Model):
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业标签")
        verbose_name_plural = _("企业标签")

    def __str__(self):
        return self.name


class CarrierKind(models.TextChoices):
    INCUBATOR = "incubator", _("孵化器")
    PARK = "park", _("园区")
    BASE = "base", _("基地")
    DOORSTEP_STATION = "doorstep_station", _("家门口服务站")
    MENTOR_WORKSTATION = "mentor_workstation", _("创业导师指导工作站")
    MAKERSPACE = "makerspace", _("众创空间")
    COMMERCIAL_DISTRICT = "commercial_district", _("商区/商圈")


class Carrier(models.Model):
    kind = models.CharField(_("载体类型"), max_length=32, choices=CarrierKind.choices)
    name = models.CharField(_("名称"), max_length=128)
    operator = models.CharField(_("运营方"), max_length=128, blank=True)
    operator_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("运营单位")
    )
    address = models.CharField(_("地址"), max_length=255, blank=True)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    floor_area = models.DecimalField(_("面积（平方米）"), max_digits=10, decimal_places=1, null=True, blank=True)
    workstations_total = models.PositiveIntegerField(_("工位总数"), default=0)
    workstations_free = models.PositiveIntegerField(_("空余工位"), default=0)
    services = models.TextField(_("提供的服务"), blank=True, help_text=_("每行一项"))
    level = models.CharField(_("评级"), max_length=1, blank=True, choices=[("A", "A"), ("B", "B"), ("C", "C")])
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["jurisdiction__path", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(workstations_free__lte=models.F("workstations_total")),
                name="carrier_free_within_total",
            )
        ]
        verbose_name = _("载体")
        verbose_name_plural = _("载体")

    def __str__(self):
        return self.name

    @property
    def service_list(self) -> list[str]:
        return [s.strip() for s in self.services.splitlines() if s.strip()]


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


class Mentor(models.Model):
    class Mode(models.TextChoices):
        CLINIC = "clinic", _("门诊")
        CONSULTATION = "consultation", _("会诊")
        ON_SITE = "on_site", _("上门指导")
        PAIRING = "pairing", _("结对")
        ONLINE = "online", _("网上咨询")

    person = models.OneToOneField(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentor")
    name = models.CharField(_("姓名"), max_length=64)
    organisation = models.CharField(_("所在机构"), max_length=128, blank=True)
    title = models.CharField(_("职务/职称"), max_length=64, blank=True)
    expertise = models.TextField(_("专长"), blank=True, help_text=_("每行一项，如：融资、财税、电子商务"))
    industries = models.JSONField(_("擅长行业门类"), default=list, blank=True)
    service_modes = models.JSONField(_("服务方式"), default=list, blank=True)
    workstation = models.ForeignKey(
        Carrier,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentors",
        limit_choices_to={"kind": CarrierKind.MENTOR_WORKSTATION},
        verbose_name=_("指导工作站"),
    )
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    available = models.BooleanField(_("可预约"), default=True)
    availability_note = models.CharField(_("可预约时间"), max_length=128, blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentor_profile"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("创业导师")
        verbose_name_plural = _("创业导师")

    def __str__(self):
        return self.name

    @property
    def expertise_list(self) -> list[str]:
        return [s.strip() for s in self.expertise.splitlines() if s.strip()]


class InsuranceMonth(models.Model):
    """One month of social insurance paid in Shanghai for a person (参保缴费明细), by an employer
    (blank: paid as an individual, 灵活就业). Imported from the insurance extract; one row per
    person, month and employer, so importing the same extract again changes nothing."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="insurance_months")
    month = models.DateField(_("缴费年月"), help_text=_("当月第一天"))
    employer_uscc = models.CharField(_("参保单位统一社会信用代码"), max_length=18, blank=True)
    employer_name = models.CharField(_("参保单位"), max_length=255, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="insurance_months",
        verbose_name=_("参保企业（名录）"),
    )
    imported_at = models.DateTimeField(_("导入时间"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["person", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["person", "month", "employer_uscc"], name="insurance_month_unique"),
        ]
        indexes = [models.Index(fields=["enterprise", "month"])]
        verbose_name = _("社保缴费月份")
        verbose_name_plural = _("社保缴费记录")

    def __str__(self):
        return f"{self.person_id} {self.month:%Y-%m}"


class CreditRecord(models.Model):
    """A listing of a person or an enterprise as 失信 (on a dishonesty list) by an authority,
    dated: listed on ``listed_on``, off the list from ``removed_on`` (blank: still listed)."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="credit_records", verbose_name=_("人员")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="credit_records",
        verbose_name=_("企业"),
    )
    listed_on = models.DateField(_("列入日期"))
    removed_on = models.DateField(_("移出日期"), null=True, blank=True, help_text=_("移出当日起不再属于失信名单"))
    authority = models.CharField(_("认定机关"), max_length=128, blank=True)
    reason = models.CharField(_("列入事由"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-listed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, enterprise__isnull=True)
                | models.Q(person__isnull=True, enterprise__isnull=False),
                name="credit_record_one_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(removed_on__isnull=True) | models.Q(removed_on__gt=models.F("listed_on")),
                name="credit_record_removed_after_listed",
            ),
        ]
        verbose_name = _("失信记录")
        verbose_name_plural = _("失信记录")

    def __str__(self):
        return f"{self.person or self.enterprise} {self.listed_on}"

    def listed_on_day(self, day) -> bool:
        return self.listed_on <= day and (self.removed_on is None or day < self.removed_on)
