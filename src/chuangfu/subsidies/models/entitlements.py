"""免申即享 (granted without applying): a policy obtained automatically produces, each cycle, an
entitlement batch of one town from its eligible subjects.

* ``EntitlementBatch`` is one policy's batch for one cycle (``period``: "2026-03", "2026Q1",
  "2026") in one town, unique per (policy, period, town): building it again makes nothing new.
  Its ``status`` changes only through ``workflows.ENTITLEMENT`` (reviewed by the town's reviewers,
  approved by the leadership, then published as a 公示).
* ``EntitlementLine`` is one subject of a batch: the amount from the policy's benefit, how it was
  computed, and the rule's explanation on the cycle date as it stood then. Reviewers exclude a
  line with a reason (or take it back in) before the batch is submitted. A subject has at most
  one line per policy and period in any town (the database refuses a second one).
* Publishing turns each included line into an ``Application`` of the policy (``line.application``,
  one to one) that goes through the 公示, objections, approval and disbursement as any other:
  the payment is unique per application, hence per line, hence per subject, policy and cycle.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager
from chuangfu.policies.models import Policy, PolicyVersion
from chuangfu.registry.models import Enterprise, Person

from .forms import PeriodKind


class EntitlementStatus(models.TextChoices):
    REVIEWING = "reviewing", pgettext_lazy("entitlement", "待审核")  # built; reviewers check the lines
    SUBMITTED = (
        "submitted",
        pgettext_lazy("entitlement", "待审批"),
    )  # waiting for the leadership (领导小组 or the office)
    APPROVED = "approved", pgettext_lazy("entitlement", "已批准")  # waiting to be published as a 公示
    PUBLISHED = "published", pgettext_lazy("entitlement", "已公示")  # each line follows its application


class EntitlementSource(models.TextChoices):
    STORED = "stored", _("当日全量匹配结果")
    EVALUATED = "evaluated", _("按周期日重新评估")


# The cycles an automatic policy may have (a one-off subsidy is a monthly cycle with 最多享受 1 次).
CYCLE_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)


class EntitlementBatch(models.Model):
    number = models.CharField(_("名单编号"), max_length=32, unique=True)
    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="entitlement_batches", verbose_name=_("政策")
    )
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("政策版本"))
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("镇（街道）"))
    period = models.CharField(_("周期"), max_length=8)
    cycle_kind = models.CharField(_("发放周期"), max_length=16, choices=PeriodKind.choices)
    cycle_on = models.DateField(_("资格认定日"))
    source = models.CharField(_("名单来源"), max_length=16, choices=EntitlementSource.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=EntitlementStatus.choices, default=EntitlementStatus.REVIEWING
    )
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # empty: the periodic job
    built_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    returned_note = models.CharField(_("退回意见"), max_length=500, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    notice = models.OneToOneField(
        "subsidies.NoticeBatch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entitlement_batch",
        verbose_name=_("公示"),
    )

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-period", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "period", "jurisdiction"], name="entitlement_batch_per_cycle"),
        ]
        indexes = [models.Index(fields=["jurisdiction", "status"], name="entitlement_town_status")]
        verbose_name = _("免申即享名单")
        verbose_name_plural = _("免申即享名单")

    def __str__(self):
        return f"{self.number} {self.policy.title}（{self.period}）"


class EntitlementLine(models.Model):
    batch = models.ForeignKey(
        EntitlementBatch, on_delete=models.CASCADE, related_name="lines", verbose_name=_("免申即享名单")
    )
    # the batch's policy and period again, so that the database holds "one line per subject, policy and cycle"
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="+", verbose_name=_("政策"))
    period = models.CharField(_("周期"), max_length=8)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="entitlements", verbose_name=_("个人")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entitlements",
        verbose_name=_("企业"),
    )
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    basis = models.CharField(_("计算依据"), max_length=255)
    # the rule's top-level conditions on the cycle date: [{"text", "status", "actual", "i18n": {"en":
    # {"text", "actual"}}}] — worded in the source language, and in the others (read ``conditions``)
    explanation = models.JSONField(_("符合条件"), default=list)
    included = models.BooleanField(_("列入发放"), default=True)
    exclusion_reason = models.CharField(_("不予列入的理由"), max_length=500, blank=True)
    # the basis and a reason the system gave, worded in the other languages too: {"en": {"basis",
    # "exclusion_reason"}} (read ``basis_text`` and ``exclusion_text``); a reviewer's own reason is
    # kept as written
    i18n = models.JSONField(_("其他语言的表述"), default=dict, blank=True)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # empty with a reason: excluded when the batch was built (a limit already reached)
    excluded_at = models.DateTimeField(_("移出时间"), null=True, blank=True)
    application = models.OneToOneField(
        "subsidies.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entitlement_line",
        verbose_name=_("发放记录"),
    )

    objects = TownScopedManager("batch__jurisdiction")

    class Meta:
        ordering = ["batch", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, enterprise__isnull=True)
                | Q(person__isnull=True, enterprise__isnull=False),
                name="entitlement_line_one_subject",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="entitlement_line_amount_not_negative"),
            models.UniqueConstraint(
                fields=["policy", "period", "person"],
                condition=Q(person__isnull=False),
                name="entitlement_once_per_person_cycle",
            ),
            models.UniqueConstraint(
                fields=["policy", "period", "enterprise"],
                condition=Q(enterprise__isnull=False),
                name="entitlement_once_per_enterprise_cycle",
            ),
        ]
        verbose_name = _("免申即享名单条目")
        verbose_name_plural = _("免申即享名单条目")

    def __str__(self):
        return f"{self.batch.number} · {self.subject}"

    @property
    def subject(self):
        return self.person if self.person_id else self.enterprise

    def _worded(self, key: str, kept: str) -> str:
        language = (translation.get_language() or settings.LANGUAGE_CODE).lower()
        for code, worded in (self.i18n or {}).items():
            if (language == code or language.startswith(f"{code}-")) and worded.get(key):
                return worded[key]
        return kept

    @property
    def basis_text(self) -> str:
        """How the amount was computed, in the active language (the source language's wording for a
        line built before other languages were kept)."""
        return self._worded("basis", self.basis)

    @property
    def exclusion_text(self) -> str:
        """Why the line is left out, in the active language when the system gave the reason; a
        reviewer's reason as they wrote it."""
        return self._worded("exclusion_reason", self.exclusion_reason) if self.exclusion_reason else ""

    @property
    def conditions(self) -> list[dict]:
        """The explanation worded in the active language ({"text", "status", "actual"}); a line
        built before other languages were kept shows the source language's wording."""
        language = (translation.get_language() or settings.LANGUAGE_CODE).lower()
        shown = []
        for c in self.explanation:
            worded = next(
                (v for code, v in (c.get("i18n") or {}).items() if language == code or language.startswith(f"{code}-")),
                {},
            )
            shown.append(
                {
                    "text": worded.get("text", c["text"]),
                    "status": c["status"],
                    "actual": worded.get("actual", c["actual"]),
                }
            )
        return shown
