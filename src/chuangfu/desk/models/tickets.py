"""Tickets, their numbering, each unit's part (assignment) and the files given with them."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.crypto import EncryptedCharField, LookupHashField, mask_mobile, mask_name
from chuangfu.core.models import DailyCounter, Jurisdiction, Unit
from chuangfu.core.scopes import TownScopedManager

from .categories import Category

DESCRIPTION_MAX_LENGTH = 2000


class Channel(models.TextChoices):
    WEB = "web", _("网上提交")
    WALK_IN = "walk_in", _("窗口来访")
    PHONE = "phone", _("来电")
    HOTLINE = "12345", _("12345 转办")
    ACTIVITY = "activity", _("活动现场")  # raised at an activity; the ticket's origin links to it
    VISIT = "visit", _("走访发现")  # a problem found on a visit to a carrier (ecosystem); the origin links to the visit


# Channels desk staff record at the window; web requests come from the public page and activity
# ones from the activity's own page (with the activity as the ticket's origin).
STAFF_CHANNELS = (Channel.WALK_IN, Channel.PHONE, Channel.HOTLINE)


class Status(models.TextChoices):
    RECEIVED = "received", _("已受理")
    DISPATCHED = "dispatched", _("已派单")  # sent to a lead unit, waiting for it to accept
    ACCEPTED = "accepted", _("已签收")
    IN_PROGRESS = "in_progress", _("办理中")
    ANSWERED = "answered", _("已答复")  # the requester has an answer; the desk reviews and closes
    CLOSED = "closed", _("已办结")
    REVISITED = "revisited", _("已回访")
    RETURNED = "returned", _("已退单")  # a unit sent it back with a reason; the desk reviews
    SUSPENDED = "suspended", _("已挂起")  # waiting for the requester; the clock is paused
    MERGED = "merged", _("已并单")  # a duplicate, handled in the ticket it was merged into


# Statuses in which someone still owes the requester an answer.
OPEN_STATUSES = (
    Status.RECEIVED,
    Status.DISPATCHED,
    Status.ACCEPTED,
    Status.IN_PROGRESS,
    Status.RETURNED,
    Status.SUSPENDED,
)
# Statuses in which the requester has an answer and may rate it.
RATEABLE_STATUSES = (Status.ANSWERED, Status.CLOSED, Status.REVISITED)
FINISHED_STATUSES = (Status.CLOSED, Status.REVISITED)


class TicketCounter(DailyCounter):
    """The last ticket number issued on a day."""

    @classmethod
    def next_number(cls, day) -> str:
        """``YYYYMMDD`` + a five-digit sequence, e.g. 2026112700001."""
        return f"{day:%Y%m%d}{cls.next_seq(day):05d}"


class Ticket(models.Model):
    """A request and its handling. A unit's part lives on its ``TicketAssignment`` (one per time the
    ticket was put to a unit: its accept deadline, acceptance, answer, return). A few of those facts
    are also kept here as caches of the current lead assignment, written only by the services in the
    same ``fire`` as the assignment, because the queues filter and sort on them over a million rows:
    ``lead_unit``, ``accept_due``, ``accepted_at`` and ``return_count`` (how many lead assignments
    were returned). ``answer``, ``answered_at``, ``answered_by_unit`` and ``answered_in_time`` are the
    answer the requester got (from the lead unit, or the desk directly)."""

    number = models.CharField(_("工单编号"), max_length=20, unique=True)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属镇/街道"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, verbose_name=_("类别"))
    channel = models.CharField(_("来源渠道"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    hotline_order_no = models.CharField(_("12345 工单号"), max_length=32, blank=True, db_index=True)

    requester_name = models.CharField(_("诉求人"), max_length=64)
    requester_mobile = EncryptedCharField(_("联系手机"))
    requester_mobile_hash = LookupHashField(source="requester_mobile", null=True, db_index=True)
    requester_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    requester_enterprise_name = models.CharField(_("企业名称"), max_length=255, blank=True)
    requester_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="desk_requests",
        verbose_name=_("提交账号"),
    )
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="desk_tickets",
        verbose_name=_("名录人员"),
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="desk_tickets",
        verbose_name=_("名录企业"),
    )
    description = models.TextField(_("诉求内容"), max_length=DESCRIPTION_MAX_LENGTH)
    # Where the request was raised, when that is a record of another app (an activity, …). A
    # generic link, so the desk knows no app above it: the origin shows itself by ``str()`` and
    # ``get_absolute_url()``.
    origin_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("来源类型")
    )
    origin_id = models.PositiveBigIntegerField(_("来源编号"), null=True, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    content_hash = models.CharField(max_length=64, editable=False)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    lead_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="desk_tickets", verbose_name=_("主办单位")
    )
    suggested_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("建议承办单位")
    )
    suggestion_reason = models.CharField(_("建议理由"), max_length=255, blank=True)
    first_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("首问负责人"),
    )
    answered_by_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("答复单位")
    )
    answer = models.TextField(_("答复内容"), blank=True)

    received_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    received_on = models.DateField(_("受理日期"))
    accept_due = models.DateField(_("签收时限"))
    answer_due = models.DateField(_("答复时限"))
    dispatched_at = models.DateTimeField(_("首次派单时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    revisited_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    answered_in_time = models.BooleanField(_("按时答复"), null=True, blank=True)
    answer_working_days = models.PositiveSmallIntegerField(_("答复用时（工作日）"), null=True, blank=True)

    paused_since = models.DateField(_("挂起日期"), null=True, blank=True)
    paused_days = models.PositiveSmallIntegerField(_("累计挂起工作日"), default=0)
    extension_days = models.PositiveSmallIntegerField(_("已批准延期工作日"), default=0)
    extension_pending_days = models.PositiveSmallIntegerField(_("申请延期工作日"), null=True, blank=True)
    extension_reason = models.CharField(_("延期理由"), max_length=500, blank=True)
    return_count = models.PositiveSmallIntegerField(_("退单次数"), default=0)
    supervised = models.BooleanField(_("督办中"), default=False)
    supervised_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_tickets",
        verbose_name=_("并入工单"),
    )
    revisit_outcome = models.CharField(_("回访结果"), max_length=16, blank=True)
    # A 回访 is owed by this date (1 working day after 办结, or after a 差评 is rectified); cleared when done.
    revisit_due = models.DateField(_("回访时限"), null=True, blank=True)
    revisited_in_time = models.BooleanField(_("按时回访"), null=True, blank=True)
    rating_reminded_at = models.DateTimeField(_("评价提醒时间"), null=True, blank=True)
    # the timeline (core.TimelineEvent, written by core.workflow.fire and the intake)
    events = GenericRelation("core.TimelineEvent", content_type_field="subject_type", object_id_field="subject_id")

    objects = TownScopedManager("jurisdiction")

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["jurisdiction", "-id"], name="desk_ticket_town_recent"),
            models.Index(fields=["jurisdiction", "status", "-id"], name="desk_ticket_town_status"),
            models.Index(
                fields=["jurisdiction", "-id"], condition=models.Q(supervised=True), name="desk_ticket_town_supervised"
            ),
            models.Index(fields=["lead_unit", "status"], name="desk_ticket_unit_status"),
            # 我首问的 (first handler, a few statuses): the first handler's own index made SQLite read
            # every ticket a clerk ever took in (desk-queue benchmark, decisions.md 34)
            models.Index(fields=["first_handler", "status"], name="desk_ticket_handler_status"),
            models.Index(fields=["status", "answer_due"], name="desk_ticket_status_due"),
            models.Index(fields=["jurisdiction", "received_on"], name="desk_ticket_town_day"),
            models.Index(fields=["closed_at"], name="desk_ticket_closed_at"),  # figures by the day closed
            # the extensions waiting for a decision (the leadership dashboard): a handful among a million
            models.Index(
                fields=["jurisdiction"],
                condition=models.Q(extension_pending_days__isnull=False),
                name="desk_ticket_extension_asked",
            ),
            models.Index(fields=["requester_mobile_hash", "content_hash"], name="desk_ticket_dedupe"),
            models.Index(fields=["origin_type", "origin_id"], name="desk_ticket_origin"),
            models.Index(
                fields=["revisit_due"], condition=models.Q(revisit_due__isnull=False), name="desk_ticket_revisit_due"
            ),
        ]
        verbose_name = _("工单")
        verbose_name_plural = _("工单")

    annex_label = ("number",)  # what the assessment annex prints for a ticket (its ``str``), read as one column

    def __str__(self):
        return self.number

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.requester_mobile)

    @property
    def masked_name(self) -> str:
        return mask_name(self.requester_name)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def summary(self) -> str:
        text = " ".join(self.description.split())
        return text if len(text) <= 60 else text[:60] + "…"


class TicketAssignment(models.Model):
    """A unit's part in a ticket: the lead (主办) or a co-handler (协办), each with its own state."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("协办")

    class State(models.TextChoices):
        PENDING = "pending", _("待签收")
        ACCEPTED = "accepted", _("已签收")
        ANSWERED = "answered", _("已反馈")
        RETURNED = "returned", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")

    ACTIVE = (State.PENDING, State.ACCEPTED, State.ANSWERED)
    OPEN = (State.PENDING, State.ACCEPTED)  # the unit still owes its part

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="desk_assignments", verbose_name=_("单位"))
    role = models.CharField(_("角色"), max_length=8, choices=Role.choices)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.PENDING)
    accept_due = models.DateField(_("签收时限"))
    dispatched_at = models.DateTimeField(default=timezone.now)
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_in_time = models.BooleanField(_("及时签收"), null=True, blank=True)  # accepted by ``accept_due``
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_in_time = models.BooleanField(_("按时答复"), null=True, blank=True)  # by the ticket's answer due then
    answer = models.TextField(_("反馈意见"), blank=True)

    objects = TownScopedManager("ticket__jurisdiction")

    class Meta:
        ordering = ["ticket", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "unit"],
                condition=models.Q(state__in=["pending", "accepted", "answered"]),
                name="desk_assignment_one_active_per_unit",
            )
        ]
        indexes = [models.Index(fields=["unit", "state"], name="desk_assignment_unit_state")]
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")

    def __str__(self):
        return f"{self.ticket} {self.get_role_display()} {self.unit}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN


def _attachment_path(instance, filename):
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"desk/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class Attachment(models.Model):
    """A file given with the request (no ``event``) or with a reply or note (its ``event``): a file on
    an internal note is internal like the note; one on a public reply is shown to the requester."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        "core.TimelineEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=_attachment_path)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TownScopedManager("ticket__jurisdiction")

    class Meta:
        ordering = ["id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.original_name
