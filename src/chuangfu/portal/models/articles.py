from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction
from chuangfu.core.scopes import TownScopedManager

from .publication import Publication


class Article(models.Model):
    """News and articles (新闻动态 / 政策解读 / 活动回顾): written, reviewed, published on a schedule."""

    class Kind(models.TextChoices):
        NEWS = "news", _("新闻动态")
        EXPLAINER = "explainer", _("政策解读")
        REVIEW = "review", _("活动回顾")
        NOTICE = "notice", _("通知公告")

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    kind = models.CharField(_("栏目"), max_length=16, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("标题"), max_length=80)
    summary = models.CharField(_("摘要"), max_length=200)
    body = models.TextField(_("正文"), max_length=50000)
    cover = models.ImageField(_("题图"), upload_to="portal/articles/%Y/%m/", blank=True)
    cover_alt = models.CharField(_("题图说明"), max_length=120, blank=True, help_text=_("供读屏软件朗读的文字说明。"))
    source = models.CharField(_("来源"), max_length=60, blank=True)
    publish_at = models.DateTimeField(_("定时发布"), null=True, blank=True, help_text=_("留空则审核通过后立即发布。"))
    status = models.CharField(_("状态"), max_length=16, choices=Publication.choices, default=Publication.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("新闻文章")
        verbose_name_plural = _("新闻文章")
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self):
        return self.title


class MediaCoverage(models.Model):
    """A report about the community in the media (媒体报道), counted as 氛围营造 evidence."""

    class Kind(models.TextChoices):
        PRINT = "print", _("报刊")
        ONLINE = "online", _("网络媒体")
        TV = "tv", _("广播电视")
        SOCIAL = "social", _("政务新媒体")

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    outlet = models.CharField(_("媒体"), max_length=60)
    title = models.CharField(_("报道标题"), max_length=120)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    published_on = models.DateField(_("报道日期"))
    url = models.URLField(_("链接"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("媒体报道")
        verbose_name_plural = _("媒体报道")

    def __str__(self):
        return f"{self.outlet}：{self.title}"


class Campaign(models.Model):
    """One of the town's own publicity campaigns (宣传活动): where, when, how many it reached."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    title = models.CharField(_("名称"), max_length=80)
    channel = models.CharField(_("渠道"), max_length=60, help_text=_("如：社区宣传栏、公众号、现场宣讲"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    reach = models.PositiveIntegerField(_("覆盖人次"), default=0, validators=[MaxValueValidator(10_000_000)])
    description = models.TextField(_("内容"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("宣传活动")
        verbose_name_plural = _("宣传活动")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="portal_campaign_dates"
            ),
        ]

    def __str__(self):
        return self.title
