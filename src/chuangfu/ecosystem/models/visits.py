"""Visits (走访) to carriers: planned by the office, recorded on the spot, problems followed up."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.scopes import TownScopedManager
from chuangfu.registry.models import Carrier


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("已计划")
    RECORDED = "recorded", _("已走访")
    CANCELLED = "cancelled", _("已取消")


class Visit(models.Model):
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="visits", verbose_name=_("走访载体"))
    planned_on = models.DateField(_("计划日期"))
    purpose = models.CharField(_("走访目的"), max_length=255)
    visitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="ecosystem_visits", verbose_name=_("走访人员")
    )
    status = models.CharField(_("状态"), max_length=16, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    visited_at = models.DateTimeField(_("走访时间"), null=True, blank=True)
    attendees = models.TextField(_("参加人员"), blank=True, help_text=_("载体方参加人员，每行一位"))
    findings = models.TextField(_("走访发现"), blank=True)
    resources_found = models.TextField(_("挖掘的资源"), blank=True, help_text=_("每行一项"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("carrier__jurisdiction")

    class Meta:
        ordering = ["-planned_on", "-id"]
        indexes = [models.Index(fields=["status", "planned_on"])]
        verbose_name = _("走访")
        verbose_name_plural = _("走访")

    def __str__(self):
        return f"{self.carrier} · {self.planned_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("ecosystem:visit_detail", args=[self.pk])

    @property
    def jurisdiction_id(self):
        return self.carrier.jurisdiction_id

    @property
    def is_overdue(self) -> bool:
        return self.status == VisitStatus.PLANNED and self.planned_on < timezone.localdate()


class VisitProblem(models.Model):
    """A problem raised on a visit and what it became (a desk ticket, a ledger task …), by a generic link."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="problems")
    description = models.TextField(_("问题"))
    follow_up_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    follow_up_id = models.PositiveBigIntegerField(null=True, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)

    objects = TownScopedManager("visit__carrier__jurisdiction")

    class Meta:
        ordering = ["id"]
        verbose_name = _("走访发现的问题")
        verbose_name_plural = _("走访发现的问题")

    def __str__(self):
        return self.description[:60]

    @property
    def follow_up(self):
        if not self.follow_up_type_id:
            return None
        return self.follow_up_type.model_class()._default_manager.filter(pk=self.follow_up_id).first()


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="ecosystem/visits/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("visit__carrier__jurisdiction")

    class Meta:
        ordering = ["id"]
        verbose_name = _("走访照片")
        verbose_name_plural = _("走访照片")
