"""Drafting a town's own policy (起草): a draft version goes to the member units for comments (征求意见),
clause by clause, in rounds; the office answers every comment (采纳情况); the leadership approves (审定);
the office issues it with its 文号 (印发) and it is published. Each round keeps the text as it was sent,
so what a unit commented on can always be read, whatever the draft says later."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Unit

from .policies import PolicyVersion


def split_clauses(text: str) -> list[str]:
    """A policy text's clauses, in order: each non-empty paragraph is one (条款 1, 2, …)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Consultation(models.Model):
    """One round of 征求意见 on a draft version: the text as sent, the units asked, the reply deadline."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="consultations")
    number = models.PositiveSmallIntegerField(_("轮次"))
    summary = models.TextField(_("政策摘要（征求意见稿）"))
    full_text = models.TextField(_("政策原文（征求意见稿）"))
    units = models.ManyToManyField(Unit, related_name="+", verbose_name=_("征求意见单位"))
    due_on = models.DateField(_("反馈截止日期"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["version", "-number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="policies_consultation_round_once")]
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")

    def __str__(self):
        return f"{self.version}（第{self.number}轮征求意见）"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def clauses(self) -> list[str]:
        return split_clauses(self.full_text)


class Adoption(models.TextChoices):
    PENDING = "pending", _("待答复")
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    DECLINED = "declined", _("不采纳")


class ClauseComment(models.Model):
    """A member unit's comment on one clause of a round's text (or on the whole text), and the office's
    answer: adopted, partly adopted or declined, with the reason."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="comments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    clause = models.PositiveSmallIntegerField(_("条款"), null=True, blank=True, help_text=_("留空为对全文的意见。"))
    text = models.TextField(_("意见"), max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    adoption = models.CharField(_("采纳情况"), max_length=16, choices=Adoption.choices, default=Adoption.PENDING)
    response = models.TextField(_("答复说明"), max_length=2000, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        ordering = ["consultation", "clause", "created_at", "pk"]
        verbose_name = _("条款意见")
        verbose_name_plural = _("条款意见")


class ConsultationReply(models.Model):
    """A unit has finished replying to a round (with its comments, or 无意见)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="replies")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    no_comment = models.BooleanField(_("无意见"), default=False)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField(_("反馈时间"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "unit"], name="policies_consultation_reply_once")
        ]
        verbose_name = _("反馈")
        verbose_name_plural = _("反馈")
