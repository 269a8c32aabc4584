"""Carriers (载体): incubators, parks, bases, doorstep stations, mentor workstations …"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction, Unit
from chuangfu.core.scopes import TownScopedManager


class CarrierKind(models.TextChoices):
    INCUBATOR = "incubator", _("孵化器")
    PARK = "park", _("园区")
    BASE = "base", _("基地")
    DOORSTEP_STATION = "doorstep_station", _("家门口服务站")
    MENTOR_WORKSTATION = "mentor_workstation", _("创业导师指导工作站")
    MAKERSPACE = "makerspace", _("众创空间")
    COMMERCIAL_DISTRICT = "commercial_district", _("商区/商圈")


class Carrier(models.Model):
    kind = models.CharField(_("载体类型"), max_length=32, choices=CarrierKind.choices)
    name = models.CharField(_("名称"), max_length=128)
    operator = models.CharField(_("运营方"), max_length=128, blank=True)
    operator_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("运营单位")
    )
    address = models.CharField(_("地址"), max_length=255, blank=True)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    floor_area = models.DecimalField(_("面积（平方米）"), max_digits=10, decimal_places=1, null=True, blank=True)
    workstations_total = models.PositiveIntegerField(_("工位总数"), default=0)
    workstations_free = models.PositiveIntegerField(_("空余工位"), default=0)
    services = models.TextField(_("提供的服务"), blank=True, help_text=_("每行一项"))
    level = models.CharField(_("评级"), max_length=1, blank=True, choices=[("A", "A"), ("B", "B"), ("C", "C")])
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["jurisdiction__path", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(workstations_free__lte=models.F("workstations_total")),
                name="carrier_free_within_total",
            )
        ]
        verbose_name = _("载体")
        verbose_name_plural = _("载体")

    def __str__(self):
        return self.name

    @property
    def service_list(self) -> list[str]:
        return [s.strip() for s in self.services.splitlines() if s.strip()]
