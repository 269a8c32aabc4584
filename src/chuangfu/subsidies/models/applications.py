"""Applications, their numbering, materials and 补正 notices (一次告知)."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangfu.core.models import DailyCounter, Jurisdiction
from chuangfu.core.scopes import TownScopedManager
from chuangfu.policies.models import Policy, PolicyVersion
from chuangfu.registry.models import Carrier, Enterprise, Person

from .forms import ApplicationForm, MaterialRequirement


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


class ApplicationCounter(DailyCounter):
    """The last application number issued on a day (one upsert per submission)."""

    @classmethod
    def next_number(cls, day) -> str:
        """``BT`` + ``YYYYMMDD`` + a four-digit sequence, e.g. BT202611270001."""
        return f"BT{day:%Y%m%d}{cls.next_seq(day):04d}"


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

    objects = TownScopedManager("jurisdiction")

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

    objects = TownScopedManager("application__jurisdiction")

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

    objects = TownScopedManager("application__jurisdiction")

    class Meta:
        ordering = ["application", "sequence"]
        constraints = [models.UniqueConstraint(fields=["application", "sequence"], name="subsidy_correction_seq")]
        verbose_name = _("补正通知")
        verbose_name_plural = _("补正通知")

    @property
    def is_fault(self) -> bool:
        return bool(self.new_items)
