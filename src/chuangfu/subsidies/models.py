"""Subsidy applications (补贴申请): the application form of a policy version, applications with
their materials, 补正 notices (一次告知) and their public timeline.

* ``ApplicationForm`` belongs to one ``policies.PolicyVersion`` obtained on this platform (在本平台
  申请 / 快申快享). It holds the typed fields (``FormField``), the materials (``MaterialRequirement``),
  the amount rule (fixed, per insured employee per month, share of fees paid; capped) and the
  per-subject limits (at most N times, at most X yuan a year; "period" makes "one open application
  per policy and period" mean per year, quarter or month).
* ``Application`` is one subject's (a person's or an enterprise's) application. Its ``status``
  changes only through ``workflows.APPLICATION`` (``core.workflow.fire``), with these codes:

      draft 草稿 → submitted 已提交 → accepted 已受理 (or not_accepted 不予受理)
        → first_reviewed 初审通过 → second_reviewed 复审通过 → in_notice 公示中
        → approved 已核准 → disbursed 已拨付
      correction 待补正 (and back), rejected 已驳回, withdrawn 已撤回

  Deadlines are dates in working days (``core.workdays``): ``accept_due`` runs while submitted,
  ``decision_due`` from acceptance until the 复审 decision; both move on by the working days spent
  waiting for 补正 (``paused_days``), and ``decision_due`` by an approved extension.
* The 公示 and 拨付 stages (``in_notice``, ``approved``, ``disbursed``) are driven by the notice and
  disbursement part of the app, which owns its own models (notice batches, objections,
  disbursements) in its own migration; it reads ``Application.approved_amount``, ``subject``,
  ``version`` and fires ``publish`` / ``uphold_objection`` / ``finalise`` / ``disburse``.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangfu.core.models import Jurisdiction
from chuangfu.policies.models import ObtainMode, Policy, PolicyVersion
from chuangfu.registry.models import Carrier, Enterprise, Person

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


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")  # waiting for the acceptance decision (受理)
    ACCEPTED = "accepted", pgettext_lazy("subsidy", "已受理")  # waiting for 初审
    CORRECTION = "correction", _("待补正")  # returned to the applicant; the clock is paused
    FIRST_REVIEWED = "first_reviewed", _("初审通过")  # waiting for 复审 by another reviewer
    SECOND_REVIEWED = "second_reviewed", _("复审通过")  # decided; waiting for 公示
    IN_NOTICE = "in_notice", _("公示中")
    APPROVED = "approved", _("已核准")  # 公示 ended without an upheld objection
    DISBURSED = "disbursed", _("已拨付")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    REJECTED = "rejected", _("已驳回")
    WITHDRAWN = "withdrawn", _("已撤回")


# An open application blocks another one of the same subject for the same policy and period.
OPEN_STATUSES = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.CORRECTION,
    Status.FIRST_REVIEWED,
    Status.SECOND_REVIEWED,
    Status.IN_NOTICE,
)
# Applications that count against the per-subject limits (granted, or on the way to it).
GRANTED_STATUSES = (Status.APPROVED, Status.DISBURSED)
CLOSED_STATUSES = (Status.NOT_ACCEPTED, Status.REJECTED, Status.WITHDRAWN)


class ApplicationCounter(models.Model):
    """The last application number issued on a day (one upsert per submission)."""

    day = models.DateField(primary_key=True)
    seq = models.PositiveIntegerField(default=0)

    @classmethod
    def next_number(cls, day) -> str:
        """``BT`` + ``YYYYMMDD`` + a four-digit sequence, e.g. BT202611270001; atomic on both databases."""
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (day, seq) VALUES (%s, 1) "
                f"ON CONFLICT (day) DO UPDATE SET seq = {table}.seq + 1 RETURNING seq",
                [day.isoformat()],
            )
            seq = cursor.fetchone()[0]
        return f"BT{day:%Y%m%d}{seq:04d}"


def _one_subject():
    return Q(person__isnull=False, enterprise__isnull=True) | Q(person__isnull=True, enterprise__isnull=False)


class Application(models.Model):
    number = models.CharField(_("申请编号"), max_length=20, blank=True)
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="applications", verbose_name=_("政策"))
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="applications", verbose_name=_("政策版本")
    )
    form = models.ForeignKey(ApplicationForm, on_delete=models.PROTECT, related_name="applications")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidy_applications",
        verbose_name=_("申请人"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidy_applications",
        verbose_name=_("申请企业"),
    )
    period = models.CharField(_("申请周期"), max_length=8, blank=True)  # "", "2026", "2026Q1", "2026-03"
    data = models.JSONField(_("申请内容"), default=dict)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)

    # who: the account that created it, and desk staff acting on the applicant's behalf where
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("填报人")
    )
    on_behalf = models.BooleanField(_("窗口代办"), default=False)
    carrier = models.ForeignKey(
        Carrier, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("代办服务站")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("提交人"),
    )

    # the eligibility pre-check as it stood at submission
    precheck_result = models.CharField(_("预审结果"), max_length=16, blank=True)
    precheck_open = models.JSONField(_("未满足或待核实的条件"), default=list)

    # amounts: computed from the rule; a reviewer may set another with a reason
    computed_amount = models.DecimalField(_("计算金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    approved_amount = models.DecimalField(_("核定金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    amount_reason = models.CharField(_("金额调整理由"), max_length=255, blank=True)

    # time limits (working days)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    accept_due = models.DateField(_("受理时限"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("受理人"),
    )
    deemed_accepted_on = models.DateField(_("视为受理日期"), null=True, blank=True)
    decision_due = models.DateField(_("审核时限"), null=True, blank=True)
    paused_since = models.DateField(_("补正开始日期"), null=True, blank=True)
    paused_days = models.PositiveSmallIntegerField(_("补正累计工作日"), default=0)
    extension_days = models.PositiveSmallIntegerField(_("已批准延期工作日"), default=0)
    extension_pending_days = models.PositiveSmallIntegerField(_("申请延期工作日"), null=True, blank=True)
    extension_reason = models.CharField(_("延期理由"), max_length=500, blank=True)
    extension_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # reviews
    first_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("初审人"),
    )
    first_reviewed_at = models.DateTimeField(_("初审时间"), null=True, blank=True)
    second_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("复审人"),
    )
    second_reviewed_at = models.DateTimeField(_("复审时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_in_time = models.BooleanField(_("按时决定"), null=True, blank=True)
    correction_count = models.PositiveSmallIntegerField(_("补正次数"), default=0)
    process_fault = models.BooleanField(
        _("流程瑕疵"), default=False, help_text=_("再次补正时提出了首次未告知的事项（违反一次告知）。")
    )

    # who last changed it, so someone acting on an old page is told who handled it
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_action = models.CharField(max_length=64, blank=True)
    # the timeline (core.TimelineEvent, written by core.workflow.fire and the services)
    events = GenericRelation("core.TimelineEvent", content_type_field="subject_type", object_id_field="subject_id")

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=_one_subject(), name="subsidy_application_one_subject"),
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="subsidy_application_number"),
            # one open application per subject, policy and period (a double submit makes one record)
            models.UniqueConstraint(
                fields=["person", "policy", "period"],
                condition=Q(person__isnull=False, status__in=OPEN_STATUSES),
                name="subsidy_one_open_person",
            ),
            models.UniqueConstraint(
                fields=["enterprise", "policy", "period"],
                condition=Q(enterprise__isnull=False, status__in=OPEN_STATUSES),
                name="subsidy_one_open_enterprise",
            ),
        ]
        indexes = [
            models.Index(fields=["jurisdiction", "status", "-id"], name="subsidy_app_town_status"),
            models.Index(fields=["status", "accept_due"], name="subsidy_app_accept_due"),
            models.Index(fields=["status", "decision_due"], name="subsidy_app_decision_due"),
            models.Index(fields=["policy", "status"], name="subsidy_app_policy_status"),
        ]
        verbose_name = _("补贴申请")
        verbose_name_plural = _("补贴申请")

    def __str__(self):
        return self.number or _("草稿 #%(id)s") % {"id": self.pk}

    @property
    def subject(self):
        """The person or enterprise the application concerns."""
        return self.person if self.person_id else self.enterprise

    @property
    def subject_kind(self) -> str:
        return "person" if self.person_id else "enterprise"

    @property
    def amount(self) -> Decimal | None:
        """The amount in force: the reviewer's, else the computed one."""
        return self.approved_amount if self.approved_amount is not None else self.computed_amount

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def _material_path(instance, filename):
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"subsidies/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class ApplicationMaterial(models.Model):
    """One uploaded file for one material requirement (or an extra file). Replaced files are kept."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    requirement = models.ForeignKey(
        MaterialRequirement, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("材料")
    )
    file = models.FileField(upload_to=_material_path)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced = models.BooleanField(_("已被替换"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self):
        return self.original_name


class CorrectionNotice(models.Model):
    """A 补正 notice: every missing or wrong item at once (一次告知).

    ``items`` is a list of ``{"kind": "material"|"field"|"other", "key": …, "label": …, "reason": …}``.
    A later notice naming an item the first one did not is recorded as a process fault.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="corrections")
    sequence = models.PositiveSmallIntegerField(_("次序"))
    items = models.JSONField(_("补正事项"), default=list)
    note = models.TextField(_("说明"), blank=True)
    new_items = models.JSONField(_("首次未告知的事项"), default=list)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    issued_on = models.DateField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "sequence"]
        constraints = [models.UniqueConstraint(fields=["application", "sequence"], name="subsidy_correction_seq")]
        verbose_name = _("补正通知")
        verbose_name_plural = _("补正通知")

    @property
    def is_fault(self) -> bool:
        return bool(self.new_items)


# The 公示 and 拨付 models live in their own modules; importing them here registers them.
from .disbursement_models import Disbursement, DisbursementBatch, DisbursementItem  # noqa: E402,F401
from .notice_models import EntryOutcome, NoticeBatch, NoticeEntry, NoticeStatus, Objection, ObjectionStatus  # noqa: E402,F401
