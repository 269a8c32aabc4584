"""The task ledger (工作台账): a plan is broken into tasks, a task into milestones (时间节点);
units report progress with evidence; leaders supervise (督办); the office closes tasks (销号).

The progress report is the record of what a unit said. The current figure (``percent_done``)
is also kept on the milestone or task the report is about, written in the same transaction under
the task's row lock, so the ledger and the roll-up read thousands of tasks without scanning every
report (decision 15). Roll-up is computed, never stored: milestones → task by milestone weight,
tasks → plan and → unit by task weight.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction, Unit
from chuangfu.core.scopes import TownScopedManager


class Plan(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "title"], name="governance_plan_unique_title")]
        verbose_name = _("工作计划")
        verbose_name_plural = _("工作计划")

    def __str__(self):
        return self.title


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    PENDING_CLOSE = "pending_close", _("待销号")  # the unit asked to close; the office reviews the evidence
    CLOSED = "closed", _("已销号")
    POSTPONED = "postponed", _("已延期")  # an extension was approved; the due date moved
    SUSPENDED = "suspended", _("暂缓")  # paused by a leader; no reminders, not overdue


# States in which the clock runs: reminders before the due date, escalation after it.
RUNNING_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.POSTPONED)
OPEN_STATUSES = (*RUNNING_STATUSES, TaskStatus.PENDING_CLOSE)


class ReportCycle(models.TextChoices):
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")


CYCLE_DAYS = {ReportCycle.WEEKLY: 7, ReportCycle.MONTHLY: 30, ReportCycle.QUARTERLY: 91}
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("工作计划"))
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    title = models.CharField(_("任务"), max_length=255)
    target = models.TextField(_("目标"), blank=True)
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="led_tasks", verbose_name=_("牵头单位"))
    co_units = models.ManyToManyField(Unit, blank=True, related_name="co_tasks", verbose_name=_("配合单位"))
    weight = models.PositiveSmallIntegerField(_("权重"), default=1, validators=[MinValueValidator(1)])
    starts_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("完成时限"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED, db_index=True
    )
    report_cycle = models.CharField(
        _("报送周期"), max_length=16, choices=ReportCycle.choices, default=ReportCycle.MONTHLY
    )
    percent_done = models.PositiveSmallIntegerField(_("完成进度"), default=0, validators=PERCENT)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    extension_until = models.DateField(_("申请延期至"), null=True, blank=True)
    extension_reason = models.CharField(_("延期理由"), max_length=255, blank=True)
    supervised_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    last_report_at = models.DateTimeField(_("最近报送"), null=True, blank=True)
    # The due date last reminded of / escalated, so each happens once per due date.
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    escalated_for = models.DateField(null=True, blank=True, editable=False)
    report_reminded_on = models.DateField(null=True, blank=True, editable=False)
    # An overlay (叠加) task builds on a unit's own plan item, with why and the indicator it serves.
    plan_item = models.ForeignKey(
        "governance.UnitPlanItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="overlays",
        verbose_name=_("叠加于单位计划事项"),
    )
    overlay_reason = models.TextField(_("叠加理由"), blank=True)
    indicator = models.CharField(_("服务的指标"), max_length=200, blank=True)
    # A target that is a live figure: an indicator source (indicators.sources, e.g. "desk.tickets_closed")
    # counted over the task's town from its start, and the value to reach (governance/live.py).
    target_source = models.CharField(_("实时指标"), max_length=100, blank=True)
    target_value = models.PositiveIntegerField(_("指标目标值"), null=True, blank=True)
    # Shown on the public portal's 工作计划进展 (title, lead unit, status, figure, due date only).
    public = models.BooleanField(_("向社会公开"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["jurisdiction", "due_on", "id"], name="gov_task_jur_due"),
            models.Index(fields=["lead_unit", "status"], name="gov_task_unit_status"),
            # covers the plan's roll-up (selectors.plan_rollup reads only these columns)
            models.Index(
                fields=["plan", "lead_unit", "status", "due_on", "weight", "percent_done"], name="gov_task_plan_rollup"
            ),
        ]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:task", args=[self.pk])

    def is_overdue(self, today=None) -> bool:
        return self.status in RUNNING_STATUSES and self.due_on < (today or timezone.localdate())


class Milestone(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("任务"))
    title = models.CharField(_("时间节点"), max_length=255)
    due_on = models.DateField(_("节点时限"))
    weight = models.PositiveSmallIntegerField(_("权重"), default=1, validators=[MinValueValidator(1)])
    percent_done = models.PositiveSmallIntegerField(_("完成进度"), default=0, validators=PERCENT)

    objects = TownScopedManager("task__jurisdiction")

    class Meta:
        ordering = ["task", "due_on", "id"]
        verbose_name = _("时间节点")
        verbose_name_plural = _("时间节点")

    def __str__(self):
        return self.title


class ProgressReport(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports", verbose_name=_("任务"))
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="reports", verbose_name=_("时间节点")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name=_("报送单位"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("报送人"))
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(_("完成进度"), validators=PERCENT)
    created_at = models.DateTimeField(_("报送时间"), default=timezone.now)

    objects = TownScopedManager("task__jurisdiction")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["task", "-created_at"], name="gov_report_task_at")]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")

    def __str__(self):
        return f"{self.task} {self.percent}%"


class Evidence(models.Model):
    """A file backing a progress report (photos, minutes, spreadsheets); checked by content type."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("佐证材料"), upload_to="governance/evidence/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)

    objects = TownScopedManager("report__task__jurisdiction")

    class Meta:
        ordering = ["id"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self):
        return self.name


class Supervision(models.Model):
    """督办: a leader's note pressing a task; answered by the lead unit's next report."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("任务"))
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("督办人"))
    note = models.TextField(_("督办意见"))
    created_at = models.DateTimeField(_("督办时间"), default=timezone.now)
    answered_at = models.DateTimeField(_("回应时间"), null=True, blank=True)

    objects = TownScopedManager("task__jurisdiction")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("督办")
        verbose_name_plural = _("督办")

    def __str__(self):
        return f"{self.task}：{self.note[:20]}"
