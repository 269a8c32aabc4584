"""好差评: the requester's rating and the closed loop a 差评 starts (rectification, 回访)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Unit
from chuangfu.core.scopes import TownScopedManager

from .tickets import Ticket


class Grade(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASICALLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


NEGATIVE_GRADES = (Grade.DISSATISFIED, Grade.VERY_DISSATISFIED)  # 差评


class Rating(models.Model):
    """The requester's one rating (一事一评). A leader may exclude it on appeal (申诉复核)."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="rating")
    grade = models.PositiveSmallIntegerField(_("评价"), choices=Grade.choices)
    comment = models.TextField(_("评价意见"), max_length=500, blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("被评单位")
    )
    created_at = models.DateTimeField(_("评价时间"), default=timezone.now)
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    appealed_at = models.DateTimeField(_("申诉时间"), null=True, blank=True)
    appeal_decided = models.BooleanField(_("申诉已复核"), default=False)
    excluded = models.BooleanField(_("已剔除"), default=False)
    exclusion_reason = models.TextField(_("剔除理由"), blank=True)
    excluded_at = models.DateTimeField(null=True, blank=True)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TownScopedManager("ticket__jurisdiction")

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")

    def __str__(self):
        return f"{self.ticket} {self.get_grade_display()}"

    @property
    def is_negative(self) -> bool:
        return self.grade in NEGATIVE_GRADES

    @property
    def appeal_pending(self) -> bool:
        return bool(self.appealed_at) and not self.appeal_decided


class RevisitOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("仍不满意")
    UNREACHABLE = "unreachable", _("未能联系上")


class Rectification(models.Model):
    """The closed loop a 差评 starts: the unit rectifies by a deadline, the desk revisits (回访)."""

    class State(models.TextChoices):
        OPEN = "open", _("待整改")
        RECTIFIED = "rectified", _("已整改，待回访")
        CLOSED = "closed", _("已回访")

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="rectification")
    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="rectification")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("整改单位")
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.OPEN)
    due = models.DateField(_("整改时限"))
    opened_at = models.DateTimeField(default=timezone.now)
    measures = models.TextField(_("整改措施"), blank=True)
    rectified_at = models.DateTimeField(null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revisit_outcome = models.CharField(_("回访结果"), max_length=16, choices=RevisitOutcome.choices, blank=True)
    revisit_note = models.TextField(_("回访记录"), blank=True)
    revisited_at = models.DateTimeField(null=True, blank=True)
    revisited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TownScopedManager("ticket__jurisdiction")

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")

    def __str__(self):
        return f"{self.ticket} {self.get_state_display()}"
