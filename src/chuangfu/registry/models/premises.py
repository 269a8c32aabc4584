"""An enterprise's premises (经营场地) and their lease (租赁合同): what 房租补贴 asks about — where,
how large, in which carrier, leased from when to when, at what rent, registered (备案) or not."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.scopes import TownScopedManager

from .carriers import Carrier
from .enterprises import Enterprise


class Premises(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="premises", verbose_name=_("企业")
    )
    address = models.CharField(_("场地地址"), max_length=255)
    carrier = models.ForeignKey(
        Carrier,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("所在载体"),
        help_text=_("场地在名录中的载体（孵化器、园区等）内的，选择该载体。"),
    )
    area = models.DecimalField(
        _("面积（平方米）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    lease_start = models.DateField(_("租期起始日"), null=True, blank=True, help_text=_("自有场地不填租期。"))
    lease_end = models.DateField(_("租期截止日"), null=True, blank=True, help_text=_("含当日。"))
    monthly_rent = models.DecimalField(
        _("月租金（元）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    lease_registered = models.BooleanField(_("租赁合同已备案"), default=False)
    note = models.CharField(_("备注"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TownScopedManager("enterprise__jurisdiction")

    class Meta:
        ordering = ["-lease_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lease_start__isnull=True, lease_end__isnull=True)
                | Q(lease_start__isnull=False, lease_end__isnull=False, lease_end__gte=F("lease_start")),
                name="premises_lease_dates",
            ),
            models.CheckConstraint(condition=Q(area__gt=0), name="premises_area_positive"),
        ]
        verbose_name = _("经营场地")
        verbose_name_plural = _("经营场地")

    def __str__(self):
        return self.address

    def in_force(self, day) -> bool:
        return self.lease_start is not None and self.lease_start <= day <= self.lease_end
