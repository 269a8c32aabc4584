"""Activities (活动承载): service days, trainings, recruitment fairs and competitions; their
registrations, waiting list, check-ins and ratings; job postings; mentoring; competition scoring.

Rows hold data and their own invariants only. Every write and every state change goes through
``services.py``; the activity's lifecycle is the state machine in ``workflows.py``.
"""
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.crypto import EncryptedCharField, LookupHashField, mask_mobile, mask_name
from chuangfu.core.models import Jurisdiction, Unit
from chuangfu.registry.industry import SECTION_CHOICES
from chuangfu.registry.models import Carrier, Enterprise, Mentor, Person


def new_token() -> str:
    """An opaque random token: carries no personal data and cannot be guessed."""
    return secrets.token_urlsafe(18)


class ActivityType(models.Model):
    """A kind of activity, configurable by the admin (服务日, 创业培训, 招聘会 …)."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    is_competition = models.BooleanField(_("比赛类"), default=False, help_text=_("路演/创业大赛：接受参赛项目并由评委打分。"))
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
        Carrier, null=True, blank=True, on_delete=models.PROTECT, related_name="activities_held",
        verbose_name=_("活动地点（载体）"),
    )
    address = models.CharField(_("活动地址"), max_length=255, blank=True, help_text=_("不在载体内举办时填写。"))
    host_carrier = models.ForeignKey(
        Carrier, null=True, blank=True, on_delete=models.PROTECT, related_name="activities_hosted",
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
        _("递补名额保留时长（小时）"), default=12, help_text=_("候补者获得空出的名额后，在此时长内确认，否则顺延给下一位。")
    )
    series = models.ForeignKey(
        ActivitySeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities",
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

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["jurisdiction", "status", "starts_at"]), models.Index(fields=["status", "starts_at"])]
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


class RegistrationQuestion(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("文本")
        CHOICE = "choice", _("单选")
        NUMBER = "number", _("数字")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    text = models.CharField(_("问题"), max_length=200)
    kind = models.CharField(_("题型"), max_length=8, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(_("选项"), blank=True, help_text=_("单选题每行一个选项"))
    required = models.BooleanField(_("必答"), default=False)
    show_if_question = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="dependents",
        verbose_name=_("仅当此问题"),
    )
    show_if_answer = models.CharField(_("的回答为"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("报名问题")
        verbose_name_plural = _("报名问题")

    def __str__(self):
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.splitlines() if c.strip()]

    def applies_to(self, answers: dict) -> bool:
        """Whether the question is shown, given the other answers (conditional questions)."""
        if self.show_if_question_id is None:
            return True
        return str(answers.get(str(self.show_if_question_id), "")).strip() == self.show_if_answer.strip()


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    CONFIRMED = "confirmed", _("已确认")
    WAITLISTED = "waitlisted", _("候补中")
    OFFERED = "offered", _("递补待确认")  # a freed seat is held for this person until offer_expires_at
    CANCELLED = "cancelled", _("已取消")
    REJECTED = "rejected", _("未通过审核")
    EXPIRED = "expired", _("递补已过期")  # did not confirm a held seat in time; the seat passed on


# A person holds at most one registration in these states per activity.
ACTIVE_REGISTRATION_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.OFFERED,
)
# States that occupy one of the activity's seats.
SEAT_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)


class Registration(models.Model):
    class Source(models.TextChoices):
        ONLINE = "online", _("网上报名")
        STAFF = "staff", _("工作人员代报")
        WALK_IN = "walk_in", _("现场登记")

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="activity_registrations"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="activity_registrations")
    name = models.CharField(_("姓名"), max_length=64)
    mobile = EncryptedCharField(_("手机号"))
    mobile_hash = LookupHashField(source="mobile", db_index=True)
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.SET_NULL, related_name="activity_registrations",
        verbose_name=_("代表企业"),
    )
    enterprise_name = models.CharField(_("代表企业"), max_length=255, blank=True)
    answers = models.JSONField(_("报名问题回答"), default=dict, blank=True)
    source = models.CharField(_("报名方式"), max_length=16, choices=Source.choices, default=Source.ONLINE)
    status = models.CharField(_("状态"), max_length=16, choices=RegistrationStatus.choices)
    waitlist_position = models.PositiveIntegerField(_("候补顺序"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("递补保留至"), null=True, blank=True)
    qr_token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    manage_key = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    feedback_invited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["activity", "status", "waitlist_position"]),
            models.Index(fields=["activity", "checked_in_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "mobile_hash"], condition=Q(status__in=ACTIVE_REGISTRATION_STATUSES),
                name="registration_one_active_per_mobile",
            ),
            models.UniqueConstraint(
                fields=["activity", "person"], condition=Q(status__in=ACTIVE_REGISTRATION_STATUSES, person__isnull=False),
                name="registration_one_active_per_person",
            ),
            models.UniqueConstraint(
                fields=["activity", "user"], condition=Q(status__in=ACTIVE_REGISTRATION_STATUSES, user__isnull=False),
                name="registration_one_active_per_user",
            ),
        ]
        verbose_name = _("报名")
        verbose_name_plural = _("报名")

    def __str__(self):
        return f"{self.activity} · {mask_name(self.name)}"

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_REGISTRATION_STATUSES


class Grade(models.TextChoices):
    """The five grades of 政务服务"好差评", the same as the desk's."""

    VERY_SATISFIED = "very_satisfied", _("非常满意")
    SATISFIED = "satisfied", _("满意")
    BASIC = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    VERY_DISSATISFIED = "very_dissatisfied", _("非常不满意")


SATISFIED_GRADES = (Grade.VERY_SATISFIED, Grade.SATISFIED, Grade.BASIC)


class Feedback(models.Model):
    """An attendee's rating of an activity: one per registration (一次一评)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback")
    grade = models.CharField(_("评价"), max_length=24, choices=Grade.choices)
    comment = models.TextField(_("意见建议"), blank=True)
    created_at = models.DateTimeField(_("评价时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("活动评价")
        verbose_name_plural = _("活动评价")

    def __str__(self):
        return self.get_grade_display()


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="activities/photos/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=128, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")


# --- job postings (企业招聘) ---------------------------------------------------------------------


class JobPosting(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="job_postings", verbose_name=_("招聘企业"))
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="job_postings",
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

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(headcount__gte=1), name="job_posting_headcount_positive"),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True) | Q(salary_max__isnull=True) | Q(salary_max__gte=models.F("salary_min")),
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
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="job_interests")
    name = models.CharField(_("姓名"), max_length=64)
    mobile = EncryptedCharField(_("手机号"))
    mobile_hash = LookupHashField(source="mobile", db_index=True)
    note = models.CharField(_("留言"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

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

    class Meta:
        ordering = ["-hired_on", "-id"]
        verbose_name = _("录用记录")
        verbose_name_plural = _("录用记录")

    def __str__(self):
        return mask_name(self.name)


# --- mentoring (创业导师指导工作站) ---------------------------------------------------------------


class MentoringRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待安排")
        BOOKED = "booked", _("已预约")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentoring_requests"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("企业"))
    name = models.CharField(_("姓名"), max_length=64)
    mobile = EncryptedCharField(_("手机号"))
    mobile_hash = LookupHashField(source="mobile", db_index=True)
    topic = models.CharField(_("咨询主题"), max_length=64, help_text=_("如：融资、财税、电子商务、股权"))
    industry_section = models.CharField(_("所属行业"), max_length=1, choices=SECTION_CHOICES, blank=True)
    preferred_mode = models.CharField(_("希望的服务方式"), max_length=16, choices=Mentor.Mode.choices, blank=True)
    description = models.TextField(_("具体问题"))
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentoring_requests",
        verbose_name=_("导师辅导日"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导师辅导申请")
        verbose_name_plural = _("导师辅导申请")

    def __str__(self):
        return f"{mask_name(self.name)} · {self.topic}"

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class MentoringSession(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("已预约")
        RECORDED = "recorded", _("已记录")
        CANCELLED = "cancelled", _("已取消")

    request = models.ForeignKey(MentoringRequest, on_delete=models.CASCADE, related_name="sessions")
    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("导师"))
    scheduled_at = models.DateTimeField(_("辅导时间"))
    mode = models.CharField(_("服务方式"), max_length=16, choices=Mentor.Mode.choices)
    place = models.CharField(_("地点/方式说明"), max_length=128, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    notes = models.TextField(_("辅导记录"), blank=True)
    follow_ups = models.TextField(_("后续跟进事项"), blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    grade = models.CharField(_("评价"), max_length=24, choices=Grade.choices, blank=True)
    rating_comment = models.TextField(_("评价意见"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        verbose_name = _("导师辅导")
        verbose_name_plural = _("导师辅导")

    def __str__(self):
        return f"{self.mentor} · {self.scheduled_at:%Y-%m-%d}"


# --- competitions (路演/创业大赛) -----------------------------------------------------------------


class CompetitionCriterion(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("评分项"), max_length=32)
    max_score = models.PositiveSmallIntegerField(_("满分"))
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "name"], name="criterion_unique_name"),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="criterion_max_positive"),
        ]
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")

    def __str__(self):
        return f"{self.name}（{self.max_score}）"


class NominationChannel(models.TextChoices):
    INCUBATION_BASE = "incubation_base", _("孵化基地推荐")
    GUIDANCE_STATION = "guidance_station", _("创业指导站推荐")
    COMMUNITY = "community", _("社区推荐")
    SELF = "self", _("自主报名")


class CompetitionEntry(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="entries")
    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("参赛企业"))
    team_name = models.CharField(_("企业/团队名称"), max_length=128)
    project_title = models.CharField(_("项目名称"), max_length=128)
    summary = models.TextField(_("项目简介"))
    materials = models.FileField(_("参赛材料"), upload_to="activities/entries/%Y/%m/", blank=True)
    channel = models.CharField(_("推荐渠道"), max_length=24, choices=NominationChannel.choices)
    contact_name = models.CharField(_("联系人"), max_length=64)
    contact_mobile = EncryptedCharField(_("联系电话"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    nominated_at = models.DateTimeField(_("推荐参加区赛时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "team_name", "project_title"], name="entry_unique_per_activity"),
        ]
        verbose_name = _("参赛项目")
        verbose_name_plural = _("参赛项目")

    def __str__(self):
        return f"{self.team_name} · {self.project_title}"

    @property
    def masked_contact_mobile(self) -> str:
        return mask_mobile(self.contact_mobile)


class JudgeAssignment(models.Model):
    entry = models.ForeignKey(CompetitionEntry, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="judge_assignments")
    submitted_at = models.DateTimeField(_("提交评分时间"), null=True, blank=True)
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entry_id", "id"]
        constraints = [models.UniqueConstraint(fields=["entry", "judge"], name="judge_assignment_unique")]
        verbose_name = _("评委分配")
        verbose_name_plural = _("评委分配")


class Score(models.Model):
    assignment = models.ForeignKey(JudgeAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(CompetitionCriterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique_per_criterion")]
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
