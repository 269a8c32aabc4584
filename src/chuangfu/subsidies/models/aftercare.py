"""Life after payment (履约与追回): the obligations a grant carries and the recovery of a grant whose
obligation was breached.

* ``ObligationTerm`` is data on a policy version: what every grant paid under it obliges the
  beneficiary to (keep operating N months; keep at least N employees insured for M months; submit a
  report by N months after payment), and how many days before the due date to remind them.
* ``Obligation`` is one term instantiated for one paid application, with its due date, the
  enterprise whose registry facts are read, and its state (``workflows.OBLIGATION``: 待履行 →
  已履行 or 未履行). ``ObligationCheck`` keeps every check with what it read (the evidence);
  ``ObligationReport`` is the report the beneficiary submits (one per obligation).
* ``Recovery`` (追回) is opened by a breach: one per application (the database refuses a second),
  with the amount to recover (the whole grant unless staff set a part with a reason), the reason,
  the leadership's decision (``workflows.RECOVERY``: 待决定 → 追回中 or 免予追回) and the
  ``Repayment`` rows until the amount is repaid (已追回). A breach found wrong before the decision
  is corrected (误判撤销): the obligation is pending again and the recovery closed without a waiver.

Amounts owed and repaid are derived from the rows (``Recovery.repaid``), never typed in.
"""

import calendar
import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager
from chuangfu.policies.models import Grant, PolicyVersion
from chuangfu.registry.models import Enterprise

MAX_TERM_MONTHS = 120


class ObligationKind(models.TextChoices):
    OPERATING = "operating", _("持续经营")  # the enterprise is not cancelled/revoked/moved out through the due date
    INSURED = "insured", _("保持参保职工人数")  # at least N people insured by it in each of M months after payment
    REPORT = "report", _("提交报告")  # a report submitted here on or before the due date


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_months(starts_on: datetime.date, months: int) -> list[datetime.date]:
    """The ``months`` whole calendar months after the month of ``starts_on`` (first days)."""
    first = add_months(starts_on.replace(day=1), 1)
    return [add_months(first, n) for n in range(months)]


class ObligationTerm(models.Model):
    """What a grant paid under ``version`` obliges its beneficiary to, counted from the payment day."""

    version = models.ForeignKey(
        PolicyVersion, on_delete=models.CASCADE, related_name="obligation_terms", verbose_name=_("政策版本")
    )
    kind = models.CharField(_("义务类型"), max_length=16, choices=ObligationKind.choices)
    months = models.PositiveSmallIntegerField(
        _("期限（月）"), help_text=_("持续经营或参保的月数；提交报告为拨付后几个月内。")
    )
    employees = models.PositiveSmallIntegerField(_("最少参保人数"), null=True, blank=True)
    title = models.CharField(_("名称"), max_length=128)
    description = models.TextField(_("说明"), blank=True, help_text=_("如报告应包含的内容。"))
    remind_days = models.PositiveSmallIntegerField(_("提前提醒天数"), default=30)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=MAX_TERM_MONTHS), name="obligation_term_months_range"
            ),
            models.CheckConstraint(
                condition=~Q(kind=ObligationKind.INSURED) | Q(employees__gte=1), name="obligation_term_employees"
            ),
        ]
        verbose_name = _("补贴后续义务")
        verbose_name_plural = _("补贴后续义务")

    def __str__(self):
        return self.title


class ObligationStatus(models.TextChoices):
    PENDING = "pending", _("待履行")
    MET = "met", _("已履行")
    BREACHED = "breached", _("未履行")


class GrantSource:
    """What an obligation or a recovery is of: a paid application, or a grant imported from a list
    (``policies.Grant``, source 导入名单) — one of the two."""

    @property
    def paid(self):
        return self.application if self.application_id else self.grant

    @property
    def reference(self) -> str:
        """The application's number, or the imported grant's voucher (or its list and row)."""
        if self.application_id:
            return self.application.number
        return self.grant.reference or str(_("名单导入 #%(id)s") % {"id": self.grant_id})

    @property
    def anchor(self) -> dict:
        """The lookup of what it is of (``Recovery.objects.filter(**obligation.anchor)``)."""
        return {"application_id": self.application_id} if self.application_id else {"grant_id": self.grant_id}

    @property
    def policy(self):
        return self.paid.policy

    @property
    def subject(self):
        return self.paid.subject


def one_source(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(application__isnull=False, grant__isnull=True) | Q(application__isnull=True, grant__isnull=False),
        name=name,
    )


class Obligation(GrantSource, models.Model):
    """One term of a paid application (or of a grant imported from a list), with its dates; its
    state changes only through ``workflows.OBLIGATION``."""

    application = models.ForeignKey(
        "subsidies.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="obligations",
        verbose_name=_("补贴申请"),
    )
    grant = models.ForeignKey(
        Grant,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="obligations",
        verbose_name=_("享受记录（名单导入）"),
    )
    term = models.ForeignKey(
        ObligationTerm, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("义务条款")
    )
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    # copied from the term when paid: a later edit of the term does not change what was agreed
    kind = models.CharField(_("义务类型"), max_length=16, choices=ObligationKind.choices)
    title = models.CharField(_("名称"), max_length=128)
    description = models.TextField(_("说明"), blank=True)
    months = models.PositiveSmallIntegerField(_("期限（月）"))
    employees = models.PositiveSmallIntegerField(_("最少参保人数"), null=True, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("核查的企业"),
    )
    starts_on = models.DateField(_("起算日期"))
    due_on = models.DateField(_("到期日期"))
    remind_on = models.DateField(_("提醒日期"))
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ObligationStatus.choices, default=ObligationStatus.PENDING
    )
    concluded_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    outcome = models.CharField(_("认定结论"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            # paying is once per application; instantiating its terms is too (and once per imported grant)
            models.UniqueConstraint(fields=["application", "term"], name="obligation_once_per_term"),
            models.UniqueConstraint(
                fields=["grant", "term"], condition=Q(grant__isnull=False), name="obligation_once_per_grant_term"
            ),
            one_source("obligation_one_source"),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="obligation_status_due"),
            models.Index(fields=["status", "remind_on"], name="obligation_status_remind"),
            models.Index(fields=["jurisdiction", "status", "due_on"], name="obligation_town_status"),
        ]
        verbose_name = _("履约义务")
        verbose_name_plural = _("履约义务")

    def __str__(self):
        return self.title

    @property
    def window(self) -> list[datetime.date]:
        return window_months(self.starts_on, self.months) if self.kind == ObligationKind.INSURED else []


class ObligationCheck(models.Model):
    """One check of an obligation: when, by whom (blank: the daily job), its result and what it read."""

    class Result(models.TextChoices):
        MET = "met", _("已履行")
        BREACHED = "breached", _("未履行")
        UNDECIDED = "undecided", _("尚不能认定")

    obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, related_name="checks", verbose_name=_("履约义务")
    )
    at = models.DateTimeField(_("核查时间"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("核查人"),
    )
    manual = models.BooleanField(_("人工认定"), default=False)
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices)
    summary = models.CharField(_("说明"), max_length=500)
    evidence = models.JSONField(_("核查依据"), default=dict)

    objects = TownScopedManager("obligation__jurisdiction")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("履约核查")
        verbose_name_plural = _("履约核查")


class ObligationReport(models.Model):
    """The report the beneficiary submits for a report obligation: one per obligation."""

    obligation = models.OneToOneField(
        Obligation, on_delete=models.PROTECT, related_name="report", verbose_name=_("履约义务")
    )
    content = models.TextField(_("报告内容"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    submitted_on = models.DateField(_("提交日期"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("提交人")
    )

    objects = TownScopedManager("obligation__jurisdiction")

    class Meta:
        verbose_name = _("履约报告")
        verbose_name_plural = _("履约报告")


class RecoveryStatus(models.TextChoices):
    OPEN = "open", _("待决定")  # opened by a breach; the leadership decides
    RECOVERING = "recovering", _("追回中")  # decided to recover; repayments are recorded
    SETTLED = "settled", _("已追回")
    WAIVED = "waived", _("免予追回")
    # the breach that opened it was found wrong before the decision (误判): nothing is owed, the
    # obligation is pending again; a later breach of the same grant opens it again
    ANNULLED = "annulled", _("误判撤销")


OPEN_RECOVERY = (RecoveryStatus.OPEN, RecoveryStatus.RECOVERING)


class Recovery(GrantSource, models.Model):
    """追回 of one paid application's grant (or of a grant imported from a list), opened by the breach
    of one of its obligations."""

    number = models.CharField(_("追回编号"), max_length=20, blank=True)
    application = models.OneToOneField(
        "subsidies.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recovery",
        verbose_name=_("补贴申请"),
    )
    grant = models.OneToOneField(
        Grant,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recovery",
        verbose_name=_("享受记录（名单导入）"),
    )
    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, related_name="recoveries", verbose_name=_("未履行的义务")
    )
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    granted = models.DecimalField(_("已拨付金额（元）"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("应追回金额（元）"), max_digits=14, decimal_places=2)
    amount_reason = models.CharField(_("部分追回理由"), max_length=500, blank=True)
    reason = models.TextField(_("追回事由"))
    status = models.CharField(_("状态"), max_length=16, choices=RecoveryStatus.choices, default=RecoveryStatus.OPEN)
    opened_at = models.DateTimeField(_("立案时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("决定人"),
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_note = models.CharField(_("决定意见"), max_length=500, blank=True)
    settled_at = models.DateTimeField(_("追回完毕时间"), null=True, blank=True)
    events = GenericRelation("core.TimelineEvent", content_type_field="subject_type", object_id_field="subject_id")

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=models.F("granted")), name="recovery_amount"
            ),
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="recovery_number"),
            one_source("recovery_one_source"),
        ]
        indexes = [models.Index(fields=["jurisdiction", "status"], name="recovery_town_status")]
        verbose_name = _("追回")
        verbose_name_plural = _("追回")

    def __str__(self):
        return self.number or f"#{self.pk}"

    @property
    def repaid(self) -> Decimal:
        return self.repayments.aggregate(s=Sum("amount"))["s"] or Decimal("0")

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.repaid


class Repayment(models.Model):
    """One repayment of a recovery (partial repayments until the amount is repaid)."""

    recovery = models.ForeignKey(Recovery, on_delete=models.PROTECT, related_name="repayments", verbose_name=_("追回"))
    amount = models.DecimalField(_("还款金额（元）"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("还款日期"))
    reference = models.CharField(_("缴款凭证号"), max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("登记人")
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    objects = TownScopedManager("recovery__jurisdiction")

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_amount_positive"),
            # the same voucher entered twice (a double submit) is one repayment
            models.UniqueConstraint(fields=["recovery", "reference"], name="repayment_reference_once"),
        ]
        indexes = [models.Index(fields=["paid_on"], name="repayment_paid_on")]
        verbose_name = _("还款记录")
        verbose_name_plural = _("还款记录")
