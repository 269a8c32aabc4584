"""The policy library: policies and their versions with eligibility rules as data, rule test
cases, stored matches, grants, and outreach campaigns (政策找人).

A ``Policy`` is the stable identity (title, document, level, how it is obtained); each amendment
is a ``PolicyVersion`` with its own validity dates, benefit and rule. A version is edited while
it is a draft and becomes read-only once published (``workflows.VERSION``); eligibility on a date
is always evaluated against the published version in force that day. The rule is JSON checked by
``rules.validate_rule``; ``Match`` rows are what the last evaluation found, ``Grant`` rows what
was actually granted (imported lists now, subsidy decisions later).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangfu.core.models import Jurisdiction, Unit
from chuangfu.registry.models import Enterprise, Person


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
    PUBLISHED = "published", _("已发布")


class Result(models.TextChoices):
    ELIGIBLE = "eligible", _("符合")
    ALMOST = "almost", _("差一项")  # not eligible, exactly one top-level condition not met
    UNKNOWN = "unknown", _("待核实")  # the rule cannot be decided: facts are missing
    INELIGIBLE = "ineligible", _("不符合")


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


class RuleTestCase(models.Model):
    """A described subject (fact values by fact name) and the result the rule must give it."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="test_cases")
    name = models.CharField(_("用例说明"), max_length=128)
    facts = models.JSONField(_("对象情况"), default=dict)
    expected = models.CharField(_("预期结果"), max_length=16, choices=Result.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("规则测试用例")
        verbose_name_plural = _("规则测试用例")

    def __str__(self):
        return self.name


def _one_subject():
    return Q(person__isnull=False, enterprise__isnull=True) | Q(person__isnull=True, enterprise__isnull=False)


class Match(models.Model):
    """A subject found eligible for a policy by the last full match, or any result of a later
    re-evaluation of that one subject (after its record changed).

    A full match stores only its eligible subjects as rows (what outreach, rates and exports
    join on); the many "almost" and "unknown" subjects go, compactly, into the policy's
    ``MatchRun``. Its rows leave ``evaluated_on`` and ``computed_at`` empty: the run says when.
    A re-evaluation of one subject (``services.matching.match_subject``) writes a row for every
    policy in force, whatever the result (``ineligible`` included), with both dates set: such a
    row overrides what the run says of that subject until the next full match.
    """

    # A full match writes up to a million rows at once, so the table carries only what the reads
    # need: one unique index per subject kind, (policy, subject), which a full match fills in
    # order, and a partial index of the re-evaluated rows, which it does not fill at all. No
    # database-level foreign keys (Django still cascades deletions; rows are only ever written
    # by the matcher from existing policies, versions and subjects).
    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, related_name="matches", db_index=False, db_constraint=False
    )
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.CASCADE, related_name="matches", db_index=False, db_constraint=False
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="policy_matches",
        db_index=False,
        db_constraint=False,
    )
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="policy_matches",
        db_index=False,
        db_constraint=False,
    )
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices)
    # The one top-level condition not met (almost) or the first not known (unknown), by position.
    open_index = models.SmallIntegerField(null=True, blank=True)
    open_count = models.SmallIntegerField(default=0)
    evaluated_on = models.DateField(_("评估日期"), null=True, blank=True)  # empty: the run's date
    computed_at = models.DateTimeField(null=True, blank=True)  # empty: written by the full match

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_one_subject(), name="match_one_subject"),
            models.UniqueConstraint(
                fields=["policy", "person"], condition=Q(person__isnull=False), name="match_policy_person_unique"
            ),
            models.UniqueConstraint(
                fields=["policy", "enterprise"],
                condition=Q(enterprise__isnull=False),
                name="match_policy_enterprise_unique",
            ),
        ]
        indexes = [models.Index(fields=["policy"], condition=Q(computed_at__isnull=False), name="match_reevaluated")]
        verbose_name = _("匹配结果")
        verbose_name_plural = _("匹配结果")

    @property
    def subject(self):
        return self.person if self.person_id else self.enterprise

    @property
    def evaluated(self):
        """The date this result holds for: the row's own, else its full match's (``run_on``,
        annotated by ``selectors.match_list``)."""
        return self.evaluated_on or getattr(self, "run_on", None)


class MatchRun(models.Model):
    """A policy's last full match: its date, version and counts, and its "almost" and "unknown"
    subjects, stored compactly — sorted subject ids (int64) with, for each, the open condition's
    position (int8) and the number of conditions not met or not known (int8). Read through
    ``selectors`` together with the re-evaluated ``Match`` rows that override it.

    For counting in a jurisdiction without reading a million rows, the run also keeps its counts
    by the subjects' jurisdiction then (``by_place``), every subject's jurisdiction then (int32,
    beside each list) and the eligible subjects' ids: a re-evaluated subject is taken out of
    where the run counted it."""

    policy = models.OneToOneField(Policy, on_delete=models.CASCADE, related_name="match_run")
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=16, choices=Target.choices)
    evaluated_on = models.DateField(_("评估日期"))
    computed_at = models.DateTimeField()
    eligible = models.PositiveIntegerField(default=0)
    almost = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)
    almost_ids = models.BinaryField(default=bytes)
    almost_open = models.BinaryField(default=bytes)
    unknown_ids = models.BinaryField(default=bytes)
    unknown_open = models.BinaryField(default=bytes)
    unknown_counts = models.BinaryField(default=bytes)
    eligible_ids = models.BinaryField(default=bytes)
    eligible_places = models.BinaryField(default=bytes)
    almost_places = models.BinaryField(default=bytes)
    unknown_places = models.BinaryField(default=bytes)
    by_place = models.JSONField(default=dict)  # jurisdiction id -> [eligible, almost, unknown]

    class Meta:
        verbose_name = _("匹配批次")
        verbose_name_plural = _("匹配批次")

    def __str__(self):
        return f"{self.policy}（{self.evaluated_on}）"


class Grant(models.Model):
    """A benefit actually granted to a subject: from an imported list or (later) a subsidy decision."""

    class Source(models.TextChoices):
        IMPORT = "import", _("导入名单")
        SUBSIDY = "subsidy", _("补贴审批")
        MANUAL = "manual", _("手工登记")

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="grants")
    version = models.ForeignKey(PolicyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="grants")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="policy_grants")
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.CASCADE, related_name="policy_grants"
    )
    granted_on = models.DateField(_("享受日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    reference = models.CharField(_("凭证号"), max_length=64, blank=True, help_text=_("申请编号或名单批次"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-granted_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=_one_subject(), name="grant_one_subject"),
            # The same grant imported twice is one grant.
            models.UniqueConstraint(
                fields=["policy", "person", "granted_on"],
                condition=Q(person__isnull=False),
                name="grant_policy_person_day_unique",
            ),
            models.UniqueConstraint(
                fields=["policy", "enterprise", "granted_on"],
                condition=Q(enterprise__isnull=False),
                name="grant_policy_enterprise_day_unique",
            ),
        ]
        indexes = [models.Index(fields=["policy", "granted_on"])]
        verbose_name = _("享受记录")
        verbose_name_plural = _("享受记录")

    @property
    def subject(self):
        return self.person if self.person_id else self.enterprise


class OutreachCampaign(models.Model):
    """One round of 政策找人 for a policy in a jurisdiction: who was told, how, and when."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="campaigns")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="campaigns")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("范围"))
    title = models.CharField(_("标题"), max_length=128)
    message = models.TextField(_("通知内容"))
    send_sms = models.BooleanField(_("发送短信"), default=True)
    send_inapp = models.BooleanField(_("发送站内消息"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    contacts_total = models.PositiveIntegerField(default=0)
    contacts_reached = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("政策找人行动")
        verbose_name_plural = _("政策找人行动")

    def __str__(self):
        return self.title


class OutreachContact(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        INAPP = "inapp", _("站内消息")
        PHONE = "phone", _("电话")
        VISIT = "visit", _("上门/窗口")
        NONE = "none", _("无可用联系方式")

    campaign = models.ForeignKey(OutreachCampaign, on_delete=models.CASCADE, related_name="contacts")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("方式"), max_length=16, choices=Channel.choices)
    reached_at = models.DateTimeField(_("触达时间"), null=True, blank=True)
    applied_on = models.DateField(_("申请日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=255, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=_one_subject(), name="outreach_contact_one_subject"),
            models.UniqueConstraint(
                fields=["campaign", "person"], condition=Q(person__isnull=False), name="outreach_contact_person_unique"
            ),
            models.UniqueConstraint(
                fields=["campaign", "enterprise"],
                condition=Q(enterprise__isnull=False),
                name="outreach_contact_enterprise_unique",
            ),
        ]
        verbose_name = _("触达记录")
        verbose_name_plural = _("触达记录")

    @property
    def subject(self):
        return self.person if self.person_id else self.enterprise
