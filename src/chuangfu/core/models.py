"""Who is who and where: jurisdictions, units, accounts; plus the platform's shared records
(audit log, working-day calendar, notifications, background jobs, SMS codes, daily counters)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .crypto import EncryptedCharField, LookupHashField, mask_mobile
from .scopes import TownScopedManager
from .storage import encrypted_storage


class Jurisdiction(models.Model):
    """区 → 镇/街道 → 村/居委. ``path`` is the chain of codes, so a subtree is one prefix."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("区")
        TOWN = "town", _("镇/街道")
        VILLAGE = "village", _("村/居委")

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, db_index=True, editable=False)
    is_demo = models.BooleanField(_("演示数据"), default=False, help_text=_("虚构的区划，仅用于演示。"))

    class Meta:
        ordering = ["path"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self):
        return gettext("%(name)s（演示）") % {"name": self.name} if self.is_demo else self.name

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path}/{self.code}" if self.parent_id else self.code
        super().save(*args, **kwargs)

    @property
    def town(self) -> "Jurisdiction | None":
        """The town this jurisdiction belongs to (itself for a town, None for a district)."""
        if self.level == self.Level.TOWN:
            return self
        if self.level == self.Level.VILLAGE:
            return self.parent
        return None


class Unit(models.Model):
    """A government unit or partner of the leadership group, in one town (or the district)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府部门")
        SERVICE_CENTRE = "service_centre", _("社区事务受理服务中心")
        MASS_ORGANISATION = "mass_org", _("群团组织")
        ENTERPRISE = "enterprise", _("国有企业")
        CARRIER = "carrier", _("园区/孵化器")
        THIRD_PARTY = "third_party", _("第三方机构")

    name = models.CharField(_("名称"), max_length=64)
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices, default=Kind.GOVERNMENT)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区划"))
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["jurisdiction__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="unit_unique_name_per_jurisdiction")
        ]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    ENTREPRENEUR = "entrepreneur", _("创业者")
    DESK_STAFF = "desk_staff", _("受理窗口")
    UNIT_LIAISON = "unit_liaison", _("单位联络员")
    REVIEWER = "reviewer", _("审核人员")
    CARRIER_OPERATOR = "carrier_operator", _("载体运营方")
    MENTOR = "mentor", _("创业导师")
    LEADER = "leader", _("领导小组")
    ADMIN = "admin", _("平台管理员")


STAFF_ROLES = frozenset(Role.values) - {Role.ENTREPRENEUR}
# Roles that see personal identifiers unmasked (each full view is still audited).
FULL_PERSONAL_DATA_ROLES = frozenset({Role.DESK_STAFF, Role.REVIEWER, Role.ADMIN})


class User(AbstractUser):
    """An account. Staff carry a role, a unit and a jurisdiction; entrepreneurs a verified mobile."""

    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.ENTREPRENEUR)
    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("单位"))
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("管辖区划"),
        help_text=_("账号能看到的范围：镇账号看本镇，区账号看全区。"),
    )
    mobile = EncryptedCharField(_("手机号"), blank=True, default="")
    mobile_hash = LookupHashField(source="mobile", null=True, blank=True, unique=True)
    mobile_verified_at = models.DateTimeField(_("手机验证时间"), null=True, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self):
        return self.display_name or self.username

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class AuditEntry(models.Model):
    """One thing that happened: who, when, what, to which record, before and after."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("操作人")
    )
    actor_repr = models.CharField(_("操作人"), max_length=128, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(pgettext_lazy("audit", "对象"), max_length=255, blank=True)
    jurisdiction = models.ForeignKey(Jurisdiction, null=True, blank=True, on_delete=models.SET_NULL)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"


class TimelineEvent(models.Model):
    """One step on a record's timeline as its people see it (a ticket, a subsidy application).

    Written by ``core.timeline.record`` only: by ``core.workflow.fire`` for every transition of a
    machine that keeps a timeline, and by services for steps that are no transition (received,
    rated, a file uploaded, deemed accepted). ``public`` steps, worded by ``public_note``, are what
    the requester or applicant sees; the rest (and ``note``) are for staff. The audit log keeps who
    changed what; this keeps the story told on the record's page.
    """

    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    jurisdiction = models.ForeignKey(Jurisdiction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_repr = models.CharField(max_length=128)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=32)
    label = models.CharField(max_length=64)
    note = models.TextField(blank=True)  # for staff
    public = models.BooleanField(default=False)  # shown to the requester / applicant
    public_note = models.TextField(blank=True)  # what they read (blank: the label alone)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"], name="core_event_subject_at")]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self):
        return f"{self.subject_type_id}:{self.subject_id} {self.label}"


class CalendarDay(models.Model):
    """A date whose status differs from Monday–Friday: a holiday on a weekday or a 补班 weekend."""

    date = models.DateField(_("日期"), unique=True)
    is_working = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("说明"), max_length=64, blank=True, help_text=_("如：春节、国庆节补班"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日/调休")
        verbose_name_plural = _("节假日/调休")

    def __str__(self):
        return f"{self.date} {'补班' if self.is_working else '放假'} {self.name}"


class CalendarYear(models.Model):
    """A year whose holidays are known. Years without a row fall back to Monday–Friday."""

    class Source(models.TextChoices):
        PACKAGE = "chinesecalendar", _("chinesecalendar 软件包")
        ADMIN = "admin", _("管理员录入")

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=32, choices=Source.choices)
    note = models.CharField(_("依据"), max_length=255, blank=True, help_text=_("如：国务院办公厅通知文号"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("已发布节假日安排的年份")
        verbose_name_plural = _("已发布节假日安排的年份")

    def __str__(self):
        return str(self.year)


class Notification(models.Model):
    """An in-app message. SMS and e-mail go through their adapters and leave an audit entry."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("标题"), max_length=128)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")

    def __str__(self):
        return self.title


class ApiToken(models.Model):
    """A service account's key to the API (another system: the district's, 一网通办).

    Only a keyed hash of the token is stored; the token is shown once when issued. A token acts
    as its service account (a ``User`` with a role and a jurisdiction) and only for the API
    operations listed in ``operations``; it expires and can be revoked (``core.api_tokens``).
    """

    name = models.CharField(_("名称"), max_length=64, help_text=_("调用方系统，如：区级平台、一网通办"))
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("服务账号")
    )
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("管辖区划"))
    operations = models.JSONField(_("允许的接口"), default=list)
    prefix = models.CharField(_("令牌前缀"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("签发人")
    )
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("到期时间"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("吊销人")
    )
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("最近使用地址"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("使用次数"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class OutgoingSms(models.Model):
    """A text message waiting for (or past) delivery. The queue carries only this row's id, so
    mobiles and verification codes never sit in the queue's storage; the text is wiped once sent."""

    mobile = EncryptedCharField(_("手机号"))
    text = EncryptedCharField(_("内容"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("短信")
        verbose_name_plural = _("短信")

    def __str__(self):
        return f"{mask_mobile(self.mobile)} {self.created_at:%Y-%m-%d %H:%M}"


class SmsCode(models.Model):
    """A one-time verification code sent to a mobile. Only hashes are stored."""

    mobile_hash = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    purpose = models.CharField(max_length=32)
    # Who asked, as keyed hashes (never the address itself): codes are limited per client address
    # and per device as well as per mobile.
    client_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    device_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)


class Job(models.Model):
    """A long piece of work run on the task queue, with progress a page can poll."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=64)
    title = models.CharField(_("名称"), max_length=255)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    # Encrypted at rest (core.storage); an input file is deleted when its job is done (core.jobs).
    input_file = models.FileField(upload_to="jobs/in/%Y/%m/", blank=True, storage=encrypted_storage)
    output_file = models.FileField(upload_to="jobs/out/%Y/%m/", blank=True, storage=encrypted_storage)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    jurisdiction = models.ForeignKey(Jurisdiction, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0


class PublicVersion(models.Model):
    """The version of what public pages show, bumped whenever a record they show is saved or
    deleted (``core.public_cache``). Kept in the database so every web process sees a bump the
    moment its transaction commits, whatever cache backend each process has."""

    name = models.CharField(_("名称"), max_length=32, primary_key=True)
    counter = models.PositiveBigIntegerField(_("版本号"), default=0)

    class Meta:
        verbose_name = _("公开内容版本")
        verbose_name_plural = _("公开内容版本")

    def __str__(self):
        return f"{self.name}: {self.counter}"


class DailyCounter(models.Model):
    """The last sequence number issued on a day, for numbers such as 2026112700001 (a ticket) or
    BT202611270001 (an application): each kind of number subclasses it and keeps its own table.
    One upsert per number keeps numbers unique and gap-free under concurrency — the increment and
    the read are one statement, atomic on SQLite and PostgreSQL."""

    day = models.DateField(primary_key=True)
    seq = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @classmethod
    def next_seq(cls, day) -> int:
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (day, seq) VALUES (%s, 1) "
                f"ON CONFLICT (day) DO UPDATE SET seq = {table}.seq + 1 RETURNING seq",
                [day.isoformat()],
            )
            return cursor.fetchone()[0]
