"""Dated facts other authorities keep about a person or an enterprise: months of social
insurance paid (参保缴费明细) and listings as 失信 (credit records)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enterprises import Enterprise
from .people import Person


class InsuranceMonth(models.Model):
    """One month of social insurance paid in Shanghai for a person (参保缴费明细), by an employer
    (blank: paid as an individual, 灵活就业). Imported from the insurance extract; one row per
    person, month and employer, so importing the same extract again changes nothing."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="insurance_months")
    month = models.DateField(_("缴费年月"), help_text=_("当月第一天"))
    employer_uscc = models.CharField(_("参保单位统一社会信用代码"), max_length=18, blank=True)
    employer_name = models.CharField(_("参保单位"), max_length=255, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="insurance_months",
        verbose_name=_("参保企业（名录）"),
    )
    imported_at = models.DateTimeField(_("导入时间"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["person", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["person", "month", "employer_uscc"], name="insurance_month_unique"),
        ]
        indexes = [models.Index(fields=["enterprise", "month"])]
        verbose_name = _("社保缴费月份")
        verbose_name_plural = _("社保缴费记录")

    def __str__(self):
        return f"{self.person_id} {self.month:%Y-%m}"


class CreditRecord(models.Model):
    """A listing of a person or an enterprise as 失信 (on a dishonesty list) by an authority,
    dated: listed on ``listed_on``, off the list from ``removed_on`` (blank: still listed)."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="credit_records", verbose_name=_("人员")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="credit_records",
        verbose_name=_("企业"),
    )
    listed_on = models.DateField(_("列入日期"))
    removed_on = models.DateField(_("移出日期"), null=True, blank=True, help_text=_("移出当日起不再属于失信名单"))
    authority = models.CharField(_("认定机关"), max_length=128, blank=True)
    reason = models.CharField(_("列入事由"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-listed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, enterprise__isnull=True)
                | models.Q(person__isnull=True, enterprise__isnull=False),
                name="credit_record_one_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(removed_on__isnull=True) | models.Q(removed_on__gt=models.F("listed_on")),
                name="credit_record_removed_after_listed",
            ),
        ]
        verbose_name = _("失信记录")
        verbose_name_plural = _("失信记录")

    def __str__(self):
        return f"{self.person or self.enterprise} {self.listed_on}"

    def listed_on_day(self, day) -> bool:
        return self.listed_on <= day and (self.removed_on is None or day < self.removed_on)
