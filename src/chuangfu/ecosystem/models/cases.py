"""Case files (创业帮扶档案): one per entrepreneur, with the helper's plan and follow-ups.

The outcome is not stored: 创业成功 and jobs created are read from the registry (and the
quarterly figures) each time, so they cannot drift from the records they come from."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager
from chuangfu.registry.models import Person


class CaseFile(models.Model):
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="case_file", verbose_name=_("创业者"))
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属镇"))
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("帮扶责任人")
    )
    opened_on = models.DateField(_("建档日期"))
    diagnosis = models.TextField(_("帮扶诊断"))
    services_planned = models.TextField(_("计划提供的服务"), help_text=_("每行一项"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("创业帮扶档案")
        verbose_name_plural = _("创业帮扶档案")

    def __str__(self):
        return str(self.person)

    def get_absolute_url(self):
        return reverse("ecosystem:case_detail", args=[self.pk])


class FollowUp(models.Model):
    """A follow-up the helper plans, due a number of working days after the previous step."""

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="follow_ups")
    plan = models.CharField(_("跟进内容"), max_length=255)
    due_on = models.DateField(_("应跟进日期"))
    done_on = models.DateField(_("实际跟进日期"), null=True, blank=True)
    result = models.CharField(_("跟进结果"), max_length=255, blank=True)

    objects = TownScopedManager("case__jurisdiction")

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("跟进")
        verbose_name_plural = _("跟进")

    def __str__(self):
        return self.plan

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()
