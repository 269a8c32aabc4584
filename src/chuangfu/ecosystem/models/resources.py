"""Resources and linkage (资源对接): what the town's partners offer, what entrepreneurs need, and
each 对接 between a need and a resource with its outcome."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction, Unit
from chuangfu.core.scopes import TownScopedManager
from chuangfu.registry.models import Carrier, Enterprise, Person


class ResourceKind(models.TextChoices):
    SPACE = "space", _("空间场地")
    INVESTOR = "investor", _("投资机构")
    FUND = "fund", _("基金")
    LEGAL = "legal", _("法律服务")
    FINANCE = "finance", _("财税服务")
    IP = "ip", _("知识产权服务")
    HR = "hr", _("人力资源服务")
    MENTOR = "mentor", _("创业导师")
    TRAINING = "training", _("培训")
    UPSTREAM = "upstream", _("上游企业")
    DOWNSTREAM = "downstream", _("下游企业")


class Resource(models.Model):
    """Something a carrier, a unit, an enterprise or an outside party offers, with who holds it."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属镇"))
    kind = models.CharField(_("资源类型"), max_length=16, choices=ResourceKind.choices)
    name = models.CharField(_("名称"), max_length=128)
    offer = models.TextField(_("可提供的内容"))
    keywords = models.CharField(
        _("关键词"), max_length=255, blank=True, help_text=_("用逗号或空格分隔，如：融资 天使轮 电子商务")
    )
    holder_carrier = models.ForeignKey(
        Carrier, null=True, blank=True, on_delete=models.PROTECT, related_name="resources", verbose_name=_("持有载体")
    )
    holder_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("持有单位"))
    holder_enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("持有企业")
    )
    holder_name = models.CharField(_("其他持有方"), max_length=128, blank=True)
    contact = models.CharField(_("联系方式"), max_length=128, blank=True)
    active = models.BooleanField(_("可用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "kind", "name"], name="resource_unique_name")]
        verbose_name = _("资源")
        verbose_name_plural = _("资源")

    def __str__(self):
        return self.name

    @property
    def holder(self):
        return self.holder_carrier or self.holder_unit or self.holder_enterprise or self.holder_name

    @property
    def keyword_list(self) -> list[str]:
        return [w for w in self.keywords.replace("，", " ").replace(",", " ").replace("、", " ").split() if w]


class NeedSource(models.TextChoices):
    TICKET = "ticket", _("工单")
    VISIT = "visit", _("走访")
    MENTORING = "mentoring", _("导师辅导")
    STAFF = "staff", _("工作人员登记")


class Need(models.Model):
    """What a person or an enterprise needs, and where the need came from."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属镇"))
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="ecosystem_needs", verbose_name=_("人员")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ecosystem_needs",
        verbose_name=_("企业"),
    )
    kinds = models.JSONField(_("需要的资源类型"), default=list)
    description = models.TextField(_("需求"))
    source = models.CharField(_("来源"), max_length=16, choices=NeedSource.choices, default=NeedSource.STAFF)
    origin_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    origin_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(enterprise__isnull=False), name="need_has_subject"
            )
        ]
        verbose_name = _("需求")
        verbose_name_plural = _("需求")

    def __str__(self):
        return f"{self.subject} · {self.description[:30]}"

    def get_absolute_url(self):
        return reverse("ecosystem:need_detail", args=[self.pk])

    @property
    def subject(self):
        return self.enterprise or self.person

    @property
    def origin(self):
        if not self.origin_type_id:
            return None
        return self.origin_type.model_class()._default_manager.filter(pk=self.origin_id).first()


def reason_text(reason) -> str:
    """One reason a resource was matched to a need, in the user's language. Reasons are stored
    as data (``{"code": "kind", "kind": "investor"}``) so a linkage made on a Chinese page reads
    in English on an English one; an older row's plain text is shown as it was written."""
    from django.utils.translation import gettext

    from chuangfu.registry.industry import SECTIONS

    if not isinstance(reason, dict):
        return str(reason)
    code = reason.get("code")
    if code == "kind":
        kind = reason.get("kind", "")
        return gettext("类型符合：%(kind)s") % {"kind": dict(ResourceKind.choices).get(kind, kind)}
    if code == "keywords":
        return gettext("关键词：%(words)s") % {"words": gettext("、").join(reason.get("words", []))}
    if code == "industry":
        section = reason.get("section", "")
        label = SECTIONS[section][0] if section in SECTIONS else section
        return gettext("行业相符：%(industry)s") % {"industry": label}
    if code == "carrier":
        return gettext("企业所在载体的资源")
    if code == "staff":
        return gettext("工作人员选定")
    return str(code)


def reasons_display(reasons) -> str:
    from django.utils.translation import gettext

    return gettext("；").join(reason_text(r) for r in reasons)


class LinkageStatus(models.TextChoices):
    PENDING = "pending", _("对接中")
    MET = "met", _("已对接成功")
    FAILED = "failed", _("未成功")


class Linkage(models.Model):
    """One 对接: a need put in touch with a resource, and how it ended."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="linkages")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="linkages")
    reasons = models.JSONField(_("匹配理由"), default=list)
    status = models.CharField(_("结果"), max_length=16, choices=LinkageStatus.choices, default=LinkageStatus.PENDING)
    outcome_note = models.CharField(_("结果说明"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = TownScopedManager("need__jurisdiction")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["need", "resource"], name="linkage_once_per_pair")]
        verbose_name = _("资源对接")
        verbose_name_plural = _("资源对接")

    def __str__(self):
        return f"{self.need.subject} ↔ {self.resource}"

    @property
    def reasons_display(self) -> str:
        return reasons_display(self.reasons)

    @property
    def jurisdiction_id(self):
        return self.need.jurisdiction_id
