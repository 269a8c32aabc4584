"""Reminders and escalations already sent, and the rate-limit counters."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.scopes import TownScopedManager

from .tickets import Ticket


class DeadlineNotice(models.Model):
    """A reminder or escalation already sent, so the periodic job sends each one once."""

    class Kind(models.TextChoices):
        ACCEPT_SOON = "accept_soon", _("签收即将到期")
        ANSWER_SOON = "answer_soon", _("答复即将到期")
        ACCEPT_OVERDUE = "accept_overdue", _("签收超时")
        ANSWER_OVERDUE = "answer_overdue", _("答复超时")
        RATING_INVITE = "rating_invite", _("邀请评价")
        RECTIFY_OVERDUE = "rectify_overdue", _("整改超时")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    due = models.DateField(null=True)
    sent_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("ticket__jurisdiction")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "kind", "due"], name="desk_notice_once")]


class Throttle(models.Model):
    """A counter per key and time window, shared by every web process (rate limits)."""

    key = models.CharField(max_length=160, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)
