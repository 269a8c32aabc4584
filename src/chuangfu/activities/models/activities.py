"""Activities (活动承载): service days, trainings, recruitment fairs and competitions, their
configurable types and on-the-day services, series of repeating activities, and photos.

``ActivityStatus`` is the activity's lifecycle; its transitions are the state machine in
``workflows.py`` and every write goes through ``services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Jurisdiction, Unit
from chuangfu.core.scopes import TownScopedManager
from chuangfu.registry.models import Carrier


class ActivityType(models.Model):
    """A kind of activity, configurable by the admin (服务日, 创业培训, 招聘会 …)."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    is_competition = models.BooleanField(
        _("比赛类"), default=False, help_text=_("路演/创业大赛：接受参赛项目并由评委打分。")
    )
    is_recruitment = models.BooleanField(_("招聘类"), default=False, help_text=_("招聘会：可挂接企业岗位。"))
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("活动类型")
        verbose_name_plural = _("活动类型")

    def __str__(self):
        return self.name


class DayService(models.Model):
    """A service offered on the day of an activity (招聘, 信息咨询, 技能培训, 补贴申请 …)."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("现场服务项目")
        verbose_name_plural = _("现场服务项目")

    def __str__(self):
        return self.name


class ActivitySeries(models.Model):
    """Activities that repeat (e.g. a monthly service day); each is a full activity of its own."""

    name = models.CharField(_("系列名称"), max_length=128)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-id"]
        verbose_name = _("活动系列")
        verbose_name_plural = _("活动系列")

    def __str__(self):
        return self.name


class Audience(models.TextChoices):
    PEOPLE = "people", _("个人")
    ENTERPRISES = "enterprises", _("企业")
    BOTH = "both", _("个人和企业")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    REGISTRATION_OPEN = "registration_open", _("报名中")
    REGISTRATION_CLOSED = "registration_closed", _("报名截止")
    IN_PROGRESS = "in_progress", _("进行中")
    FINISHED = "finished", _("已结束")
    SUMMARISED = "summarised", _("已总结")
    CANCELLED = "cancelled", _("已取消")


# States in which the public sees the activity (a cancelled one stays visible to say so).
PUBLIC_STATUSES = frozenset(ActivityStatus.values) - {ActivityStatus.DRAFT}
# States in which registrations, offers and check-ins may still change.
LIVE_STATUSES = frozenset(
    {
        ActivityStatus.PUBLISHED,
        ActivityStatus.REGISTRATION_OPEN,
        ActivityStatus.REGISTRATION_CLOSED,
        ActivityStatus.IN_PROGRESS,
    }
)


class Activity(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, verbose_name=_("活动类型"))
    title = models.CharField(_("活动名称"), max_length=128)
    description = models.TextField(_("活动介绍"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place_carrier = models.ForeignKey(
        Carrier,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities_held",
        verbose_name=_("活动地点（载体）"),
    )
    address = models.CharField(_("活动地址"), max_length=255, blank=True, help_text=_("不在载体内举办时填写。"))
    host_carrier = models.ForeignKey(
        Carrier,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities_hosted",
        verbose_name=_("承办载体"),
    )
    co_units = models.ManyToManyField(Unit, blank=True, related_name="activities", verbose_name=_("协办单位"))
    capacity = models.PositiveIntegerField(_("名额"))
    registration_opens_at = models.DateTimeField(_("报名开始"))
    registration_closes_at = models.DateTimeField(_("报名截止"))
    audience = models.CharField(_("面向对象"), max_length=16, choices=Audience.choices, default=Audience.BOTH)
    services = models.ManyToManyField(DayService, blank=True, verbose_name=_("现场服务"))
    needs_approval = models.BooleanField(_("报名需审核"), default=False)
    offer_hold_hours = models.PositiveSmallIntegerField(
        _("递补名额保留时长（小时）"),
        default=12,
        help_text=_("候补者获得空出的名额后，在此时长内确认，否则顺延给下一位。"),
    )
    series = models.ForeignKey(
        ActivitySeries,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("所属系列"),
    )
    status = models.CharField(_("状态"), max_length=24, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    summary = models.TextField(_("活动总结"), blank=True)
    outcomes = models.TextField(_("活动成效"), blank=True, help_text=_("如：达成意向、解决问题、后续跟进事项"))
    summarised_at = models.DateTimeField(_("总结时间"), null=True, blank=True)
    scoring_closed_at = models.DateTimeField(_("评分截止时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction", "status", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="activity_registration_window_ordered",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="activity_capacity_positive"),
        ]
        verbose_name = _("活动")
        verbose_name_plural = _("活动")

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    @property
    def place_display(self) -> str:
        if self.place_carrier_id:
            address = self.place_carrier.address
            return f"{self.place_carrier.name}（{address}）" if address else self.place_carrier.name
        return self.address

    @property
    def is_competition(self) -> bool:
        return self.type.is_competition


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="activities/photos/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=128, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = TownScopedManager("activity__jurisdiction")

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
