"""Job postings (企业招聘): an enterprise's openings, optionally shown at a recruitment fair,
the interest people register in them (投递意向), and the hires staff record (带动就业).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.crypto import EncryptedCharField, LookupHashField, mask_mobile, mask_name
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager
from chuangfu.registry.models import Enterprise, Person

from .activities import Activity


class JobPosting(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="job_postings", verbose_name=_("招聘企业")
    )
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="job_postings",
        verbose_name=_("所属招聘会"),
    )
    position = models.CharField(_("岗位"), max_length=64)
    headcount = models.PositiveIntegerField(_("招聘人数"))
    salary_min = models.PositiveIntegerField(_("月薪下限（元）"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("月薪上限（元）"), null=True, blank=True)
    requirements = models.TextField(_("任职要求"), blank=True)
    closed_at = models.DateTimeField(_("停止招聘时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(headcount__gte=1), name="job_posting_headcount_positive"),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_max__gte=models.F("salary_min")),
                name="job_posting_salary_range_ordered",
            ),
        ]
        verbose_name = _("招聘岗位")
        verbose_name_plural = _("招聘岗位")

    def __str__(self):
        return f"{self.enterprise} · {self.position}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def salary_display(self) -> str:
        if self.salary_min and self.salary_max:
            return f"{self.salary_min}–{self.salary_max}"
        if self.salary_min:
            return f"{self.salary_min}+"
        if self.salary_max:
            return f"≤{self.salary_max}"
        return ""


class JobInterest(models.Model):
    """A person's interest in an opening (投递意向)."""

    posting = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="interests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="job_interests")
    name = models.CharField(_("姓名"), max_length=64)
    mobile = EncryptedCharField(_("手机号"))
    mobile_hash = LookupHashField(source="mobile", db_index=True)
    note = models.CharField(_("留言"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    objects = TownScopedManager("posting__jurisdiction")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "mobile_hash"], name="job_interest_one_per_mobile"),
        ]
        verbose_name = _("求职意向")
        verbose_name_plural = _("求职意向")

    def __str__(self):
        return mask_name(self.name)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class Hire(models.Model):
    """A hire recorded by staff: one job created (带动就业)."""

    posting = models.ForeignKey(JobPosting, on_delete=models.PROTECT, related_name="hires")
    interest = models.OneToOneField(JobInterest, null=True, blank=True, on_delete=models.SET_NULL, related_name="hire")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("录用人员"), max_length=64)
    hired_on = models.DateField(_("录用日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("posting__jurisdiction")

    class Meta:
        ordering = ["-hired_on", "-id"]
        verbose_name = _("录用记录")
        verbose_name_plural = _("录用记录")

    def __str__(self):
        return mask_name(self.name)
