"""Meetings (work plan 三(二) "建立定期领导小组和创建工作小组汇报会议"): series of joint meetings and
regular 汇报会议; agenda items units submit before a cut-off; attendance; minutes drafted in
versions, approved and issued as a numbered 会议纪要 (an issued version never changes: a change is
a new version); and decisions (议定事项), each with a lead unit, co-units and a due date, each
becoming a ledger task in one step."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction, Unit
from chuangfu.core.scopes import TownScopedManager

from .bodies import Body, Membership
from .ledger import Task


class SeriesKind(models.TextChoices):
    JOINT_MEETING = "joint_meeting", _("联席会议")
    GROUP_REPORT = "group_report", _("领导小组汇报会议")
    WORKING_REPORT = "working_report", _("创建工作小组汇报会议")


class MeetingSeries(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="series", verbose_name=_("参会机构"))
    kind = models.CharField(_("类型"), max_length=32, choices=SeriesKind.choices)
    name = models.CharField(_("名称"), max_length=128)
    minutes_prefix = models.CharField(
        _("纪要文号前缀"), max_length=64, help_text=_("如：唐镇联席会议纪要，文号为 前缀〔年份〕序号号。")
    )

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["jurisdiction__path", "id"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="governance_series_unique_name")]
        verbose_name = _("会议系列")
        verbose_name_plural = _("会议系列")

    def __str__(self):
        return self.name


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("已安排")
    CALLING = "calling", _("征集议题")
    AGENDA_SET = "agenda_set", _("议程已定")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


class Meeting(models.Model):
    series = models.ForeignKey(
        MeetingSeries, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("会议系列")
    )
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    title = models.CharField(_("会议名称"), max_length=200)
    starts_at = models.DateTimeField(_("会议时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    agenda_deadline = models.DateTimeField(_("议题截止时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("会议")
        verbose_name_plural = _("会议")

    def __str__(self):
        return self.title


class AgendaStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已列入议程")
    DECLINED = "declined", _("未列入")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("会议"))
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("提交单位"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("议题"), max_length=200)
    summary = models.TextField(_("内容摘要"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=AgendaStatus.choices, default=AgendaStatus.SUBMITTED)
    # Place on the agenda, set by the office (services.meetings.agenda_item_move); new items go last.
    position = models.PositiveIntegerField(_("顺序"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("meeting__jurisdiction")

    class Meta:
        ordering = ["meeting", "position", "created_at", "id"]
        constraints = [
            # the same item sent twice (a double click) is one item
            models.UniqueConstraint(fields=["meeting", "unit", "title"], name="governance_agenda_item_once")
        ]
        verbose_name = _("议题")
        verbose_name_plural = _("议题")

    def __str__(self):
        return self.title


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出席")
    SUBSTITUTE = "substitute", _("委托出席")
    ABSENT = "absent", _("缺席")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("会议"))
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("成员"))
    status = models.CharField(_("出席情况"), max_length=16, choices=AttendanceStatus.choices)
    substitute_name = models.CharField(_("代会人"), max_length=64, blank=True)
    absence_reason = models.CharField(_("缺席原因"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("meeting__jurisdiction")

    class Meta:
        ordering = ["meeting", "member__position_order", "member_id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="governance_attendance_once")]
        verbose_name = _("出席记录")
        verbose_name_plural = _("出席记录")

    def __str__(self):
        return f"{self.member.name} {self.get_status_display()}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已审定")
    ISSUED = "issued", _("已印发")


class Minutes(models.Model):
    """One version of a meeting's minutes. Only a draft's text changes; an issued version keeps its
    text and number for good, and a correction is a new version."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes", verbose_name=_("会议"))
    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveSmallIntegerField(_("版本"))
    text = models.TextField(_("纪要正文"))
    status = models.CharField(_("状态"), max_length=16, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    serial = models.PositiveIntegerField(null=True, blank=True)
    number = models.CharField(_("纪要文号"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)

    objects = TownScopedManager("meeting__jurisdiction")

    class Meta:
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="governance_minutes_version_once"),
            models.UniqueConstraint(
                fields=["series", "year", "serial"],
                condition=Q(serial__isnull=False),
                name="governance_minutes_number_once",
            ),
        ]
        verbose_name = _("会议纪要")
        verbose_name_plural = _("会议纪要")

    def __str__(self):
        return self.number or f"{self.meeting} v{self.version}"


class Decision(models.Model):
    """议定事项: what the meeting decided, who leads it, who helps, by when; and the task it became."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("会议"))
    text = models.TextField(_("议定事项"))
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("牵头单位"))
    co_units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("配合单位"))
    due_on = models.DateField(_("完成时限"))
    task = models.OneToOneField(
        Task, null=True, blank=True, on_delete=models.PROTECT, related_name="decision", verbose_name=_("台账任务")
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("meeting__jurisdiction")

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")

    def __str__(self):
        return self.text[:60]
