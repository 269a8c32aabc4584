"""Mentors (创业导师), each possibly at a mentor workstation."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager

from .carriers import Carrier, CarrierKind
from .people import Person


class Mentor(models.Model):
    class Mode(models.TextChoices):
        CLINIC = "clinic", _("门诊")
        CONSULTATION = "consultation", _("会诊")
        ON_SITE = "on_site", _("上门指导")
        PAIRING = "pairing", _("结对")
        ONLINE = "online", _("网上咨询")

    person = models.OneToOneField(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentor")
    name = models.CharField(_("姓名"), max_length=64)
    organisation = models.CharField(_("所在机构"), max_length=128, blank=True)
    title = models.CharField(_("职务/职称"), max_length=64, blank=True)
    expertise = models.TextField(_("专长"), blank=True, help_text=_("每行一项，如：融资、财税、电子商务"))
    industries = models.JSONField(_("擅长行业门类"), default=list, blank=True)
    service_modes = models.JSONField(_("服务方式"), default=list, blank=True)
    workstation = models.ForeignKey(
        Carrier,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentors",
        limit_choices_to={"kind": CarrierKind.MENTOR_WORKSTATION},
        verbose_name=_("指导工作站"),
    )
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    available = models.BooleanField(_("可预约"), default=True)
    availability_note = models.CharField(_("可预约时间"), max_length=128, blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentor_profile"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["name"]
        verbose_name = _("创业导师")
        verbose_name_plural = _("创业导师")

    def __str__(self):
        return self.name

    @property
    def expertise_list(self) -> list[str]:
        return [s.strip() for s in self.expertise.splitlines() if s.strip()]
