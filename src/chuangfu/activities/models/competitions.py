"""Competition scoring (路演/创业大赛): a competition's scoring criteria, the entries with the
channel that nominated them, the judges assigned to each entry and their per-criterion scores.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.crypto import EncryptedCharField, mask_mobile
from chuangfu.core.scopes import TownScopedManager
from chuangfu.registry.models import Enterprise

from .activities import Activity


class CompetitionCriterion(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("评分项"), max_length=32)
    max_score = models.PositiveSmallIntegerField(_("满分"))
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = TownScopedManager("activity__jurisdiction")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "name"], name="criterion_unique_name"),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="criterion_max_positive"),
        ]
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")

    def __str__(self):
        return f"{self.name}（{self.max_score}）"


class NominationChannel(models.TextChoices):
    INCUBATION_BASE = "incubation_base", _("孵化基地推荐")
    GUIDANCE_STATION = "guidance_station", _("创业指导站推荐")
    COMMUNITY = "community", _("社区推荐")
    SELF = "self", _("自主报名")


class CompetitionEntry(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="entries")
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("参赛企业")
    )
    team_name = models.CharField(_("企业/团队名称"), max_length=128)
    project_title = models.CharField(_("项目名称"), max_length=128)
    summary = models.TextField(_("项目简介"))
    materials = models.FileField(_("参赛材料"), upload_to="activities/entries/%Y/%m/", blank=True)
    channel = models.CharField(_("推荐渠道"), max_length=24, choices=NominationChannel.choices)
    contact_name = models.CharField(_("联系人"), max_length=64)
    contact_mobile = EncryptedCharField(_("联系电话"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    nominated_at = models.DateTimeField(_("推荐参加区赛时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now)

    objects = TownScopedManager("activity__jurisdiction")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "team_name", "project_title"], name="entry_unique_per_activity"
            ),
        ]
        verbose_name = _("参赛项目")
        verbose_name_plural = _("参赛项目")

    def __str__(self):
        return f"{self.team_name} · {self.project_title}"

    @property
    def masked_contact_mobile(self) -> str:
        return mask_mobile(self.contact_mobile)


class JudgeAssignment(models.Model):
    entry = models.ForeignKey(CompetitionEntry, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="judge_assignments")
    submitted_at = models.DateTimeField(_("提交评分时间"), null=True, blank=True)
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entry_id", "id"]
        constraints = [models.UniqueConstraint(fields=["entry", "judge"], name="judge_assignment_unique")]
        verbose_name = _("评委分配")
        verbose_name_plural = _("评委分配")


class Score(models.Model):
    assignment = models.ForeignKey(JudgeAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(CompetitionCriterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique_per_criterion")]
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
