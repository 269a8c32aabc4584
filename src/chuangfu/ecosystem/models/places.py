"""Where carriers are: the district's bounding area, each carrier's site (coordinates, opening
hours, photos), operators' change requests, and the residential areas and geocoded addresses the
15-minute circle is measured from."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager
from chuangfu.registry.models import Carrier


class DistrictBounds(models.Model):
    """The rectangle (WGS-84 degrees) a district's coordinates must fall in."""

    jurisdiction = models.OneToOneField(
        Jurisdiction,
        on_delete=models.CASCADE,
        related_name="bounds",
        limit_choices_to={"level": Jurisdiction.Level.DISTRICT},
        verbose_name=_("区"),
    )
    south = models.FloatField(_("南界纬度"))
    north = models.FloatField(_("北界纬度"))
    west = models.FloatField(_("西界经度"))
    east = models.FloatField(_("东界经度"))

    class Meta:
        verbose_name = _("区地理范围")
        verbose_name_plural = _("区地理范围")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(south__lt=models.F("north"), west__lt=models.F("east")),
                name="district_bounds_ordered",
            )
        ]

    def __str__(self):
        return str(self.jurisdiction)

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


class CarrierSite(models.Model):
    """What the map and the public need of a carrier beyond the registry's row."""

    carrier = models.OneToOneField(Carrier, on_delete=models.CASCADE, related_name="site", verbose_name=_("载体"))
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    opening_hours = models.CharField(
        _("开放时间"), max_length=128, blank=True, help_text=_("如：周一至周五 9:00-17:00")
    )
    # shown in the public directory and the 15-minute circle (the town may hold a carrier back
    # while it is being set up); operators cannot change it
    published = models.BooleanField(_("在公众页面展示"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"])]
        verbose_name = _("载体位置与开放信息")
        verbose_name_plural = _("载体位置与开放信息")

    def __str__(self):
        return str(self.carrier)

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class CarrierChangeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


class CarrierChange(models.Model):
    """An operator's proposed change to their carrier, applied only when the town approves it."""

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="change_requests")
    proposed = models.JSONField(_("拟修改内容"), default=dict)
    status = models.CharField(
        _("状态"), max_length=16, choices=CarrierChangeStatus.choices, default=CarrierChangeStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=255, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # at most one change waiting per carrier: a second submit replaces nothing half-way
            models.UniqueConstraint(
                fields=["carrier"], condition=models.Q(status="submitted"), name="carrier_change_one_open"
            )
        ]
        verbose_name = _("载体信息变更申请")
        verbose_name_plural = _("载体信息变更申请")

    def __str__(self):
        return f"{self.carrier} · {self.submitted_at:%Y-%m-%d}"


class CarrierPhoto(models.Model):
    """A photo of a carrier; one uploaded with an operator's change is shown once the change is approved."""

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="photos")
    change = models.ForeignKey(CarrierChange, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="ecosystem/carriers/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=128, blank=True)
    published = models.BooleanField(_("已公开"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("载体照片")
        verbose_name_plural = _("载体照片")


class ResidentialArea(models.Model):
    """A residential compound or hamlet (小区/自然村) of a village or residential committee."""

    name = models.CharField(_("名称"), max_length=64)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属村居"), related_name="residential_areas"
    )
    latitude = models.FloatField(_("纬度"))
    longitude = models.FloatField(_("经度"))

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["jurisdiction__path", "name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="residential_area_unique")]
        verbose_name = _("居住区")
        verbose_name_plural = _("居住区")

    def __str__(self):
        return self.name


class Address(models.Model):
    """A geocoded address (门牌地址) of a residential area."""

    text = models.CharField(_("地址"), max_length=128, db_index=True)
    area = models.ForeignKey(ResidentialArea, on_delete=models.CASCADE, related_name="addresses")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属村居"))
    latitude = models.FloatField(_("纬度"))
    longitude = models.FloatField(_("经度"))

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["text"]
        verbose_name = _("门牌地址")
        verbose_name_plural = _("门牌地址")

    def __str__(self):
        return self.text
