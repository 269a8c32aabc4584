"""Incubation: enterprises hosted by a carrier (入孵 → 在孵 → 毕业 / 迁出 / 注销) and the
quarterly figures the carrier reports for each."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.registry.models import Carrier, Enterprise


class IncubationStatus(models.TextChoices):
    ADMITTED = "admitted", _("入孵")
    INCUBATING = "incubating", _("在孵")
    GRADUATED = "graduated", _("毕业")
    MOVED_OUT = "moved_out", _("迁出")
    DEREGISTERED = "deregistered", _("注销")


LIVE_INCUBATION = (IncubationStatus.ADMITTED, IncubationStatus.INCUBATING)


class Incubation(models.Model):
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="incubations", verbose_name=_("载体"))
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="incubations", verbose_name=_("企业")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=IncubationStatus.choices, default=IncubationStatus.ADMITTED
    )
    admitted_on = models.DateField(_("入孵日期"))
    started_on = models.DateField(_("在孵起始日期"), null=True, blank=True)
    ended_on = models.DateField(_("离孵日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-admitted_on", "-id"]
        constraints = [
            # one live incubation per enterprise: a duplicate 入孵 is refused by the database too
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(status__in=["admitted", "incubating"]),
                name="incubation_one_live_per_enterprise",
            )
        ]
        verbose_name = _("孵化")
        verbose_name_plural = _("孵化")

    def __str__(self):
        return f"{self.enterprise} @ {self.carrier}"

    def get_absolute_url(self):
        return reverse("ecosystem:incubation_detail", args=[self.pk])

    @property
    def jurisdiction_id(self):
        return self.carrier.jurisdiction_id

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_INCUBATION


class RevenueBand(models.TextChoices):
    NONE = "none", _("无营收")
    UNDER_1M = "lt1m", _("100 万元以下")
    FROM_1M = "1m_5m", _("100–500 万元")
    FROM_5M = "5m_20m", _("500–2000 万元")
    OVER_20M = "gt20m", _("2000 万元以上")


class QuarterlyReport(models.Model):
    """What a carrier reports each quarter for one hosted enterprise (one row per quarter)."""

    incubation = models.ForeignKey(Incubation, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    insured_headcount = models.PositiveIntegerField(_("参保人数"))
    revenue_band = models.CharField(_("营收区间"), max_length=8, choices=RevenueBand.choices)
    financing_wan = models.DecimalField(_("本季融资额（万元）"), max_digits=12, decimal_places=2, default=0)
    ip_count = models.PositiveIntegerField(_("知识产权数"), default=0)
    awards = models.CharField(_("获奖情况"), max_length=255, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["incubation", "year", "quarter"], name="quarterly_report_once"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_1_to_4"),
        ]
        verbose_name = _("季度报表")
        verbose_name_plural = _("季度报表")

    def __str__(self):
        return f"{self.incubation.enterprise} {self.year}Q{self.quarter}"
