import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager
from chuangfu.registry.models import Person


class Survey(models.Model):
    """工作满意度 survey: a questionnaire sent by SMS link to a stratified sample of service users."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("调查中")
        CLOSED = "closed", _("已结束")

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    title = models.CharField(_("名称"), max_length=80)
    period_start = models.DateField(_("服务期间起"))
    period_end = models.DateField(_("服务期间止"))
    closes_on = models.DateField(_("截止日期"))
    sample_size = models.PositiveIntegerField(_("样本量"), validators=[MinValueValidator(1), MaxValueValidator(5000)])
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("满意度调查")
        verbose_name_plural = _("满意度调查")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="indicators_survey_period"
            ),
        ]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        RATING = "rating", _("满意度（五级）")
        CHOICE = "choice", _("单选")
        TEXT = "text", _("文字")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    kind = models.CharField(_("题型"), max_length=8, choices=Kind.choices)
    text = models.CharField(_("题目"), max_length=200)
    choices = models.JSONField(_("选项"), default=list, blank=True)
    required = models.BooleanField(_("必答"), default=True)

    objects = TownScopedManager("survey__jurisdiction")

    class Meta:
        ordering = ["survey", "position", "id"]
        verbose_name = _("调查题目")
        verbose_name_plural = _("调查题目")

    def __str__(self):
        return self.text


def _token() -> str:
    return secrets.token_urlsafe(16)


class Invitation(models.Model):
    """One sampled person's invitation: one answer at most, by the link in their SMS."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    stratum = models.CharField(_("服务类别"), max_length=40)
    token = models.CharField(max_length=32, unique=True, default=_token, editable=False)
    sent_at = models.DateTimeField(null=True)
    answered_at = models.DateTimeField(null=True)

    objects = TownScopedManager("survey__jurisdiction")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="indicators_invitation_once")]


class Answer(models.Model):
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.CharField(max_length=500, blank=True)

    objects = TownScopedManager("invitation__survey__jurisdiction")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["invitation", "question"], name="indicators_answer_once")]
