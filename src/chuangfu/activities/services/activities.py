"""Creating and running an activity: details, questions, clones and series, the lifecycle,
the clock's transitions, the summary and its photos."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chuangfu.core.audit import diff, log_action, snapshot
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Jurisdiction, Unit
from chuangfu.core.workflow import SYSTEM, fire

from ..models import (
    ACTIVE_REGISTRATION_STATUSES,
    Activity,
    ActivityPhoto,
    ActivitySeries,
    ActivityStatus,
    ActivityType,
    Audience,
    CompetitionCriterion,
    DayService,
    RegistrationQuestion,
    RegistrationStatus,
)
from ..selectors import seats_taken
from ..workflows import ACTIVITY, SCHEDULED_TRANSITIONS
from ._common import clean_text, notify_registrant
from .registrations import activity_fill_free_seats, lock_activity

# Fields of an activity a manager edits; co_units and services are many-to-many.
DETAIL_FIELDS = [
    "jurisdiction",
    "type",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "place_carrier",
    "address",
    "host_carrier",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "audience",
    "needs_approval",
    "offer_hold_hours",
]
SERIES_STEPS = {"week": datetime.timedelta(weeks=1), "fortnight": datetime.timedelta(weeks=2)}


def _validate_details(values: dict) -> dict:
    """Check an activity's details together; return them cleaned. Raises DomainError."""
    values = dict(values)
    values["title"] = clean_text(values.get("title"), label=_("活动名称"), max_length=128)
    values["description"] = clean_text(values.get("description"), label=_("活动介绍"), max_length=5000, required=False)
    values["address"] = clean_text(values.get("address"), label=_("活动地址"), max_length=255, required=False)
    for key, label in (
        ("starts_at", _("开始时间")),
        ("ends_at", _("结束时间")),
        ("registration_opens_at", _("报名开始时间")),
        ("registration_closes_at", _("报名截止时间")),
    ):
        if values.get(key) is None:
            raise DomainError("required", _("请填写%(label)s。") % {"label": label})
    if not isinstance(values.get("type"), ActivityType):
        raise DomainError("required", _("请选择活动类型。"))
    if values["ends_at"] <= values["starts_at"]:
        raise DomainError("bad_schedule", _("结束时间必须晚于开始时间。"))
    if values["registration_closes_at"] <= values["registration_opens_at"]:
        raise DomainError("bad_window", _("报名截止时间必须晚于报名开始时间。"))
    if values["registration_closes_at"] > values["ends_at"]:
        raise DomainError("bad_window", _("报名截止时间不能晚于活动结束时间。"))
    capacity = values.get("capacity")
    if capacity is None or int(capacity) < 1:
        raise DomainError("bad_capacity", _("名额至少为 1 人。"))
    values["capacity"] = capacity = int(capacity)
    if capacity > 100_000:
        raise DomainError("bad_capacity", _("名额不能超过 100000 人。"))
    hold = values.get("offer_hold_hours")
    if hold is None or not 1 <= int(hold) <= 168:
        raise DomainError("bad_hold", _("递补名额保留时长应在 1 到 168 小时之间。"))
    if not values.get("place_carrier") and not values["address"]:
        raise DomainError("place_required", _("请选择活动地点所在的载体，或填写活动地址。"))
    if values.get("audience") not in Audience.values:
        raise DomainError("bad_audience", _("请选择面向对象。"))
    jurisdiction = values.get("jurisdiction")
    if not isinstance(jurisdiction, Jurisdiction) or jurisdiction.level == Jurisdiction.Level.DISTRICT:
        raise DomainError("bad_jurisdiction", _("请选择活动所属的镇（街道）或村居。"))
    for key in ("place_carrier", "host_carrier"):
        carrier = values.get(key)
        if carrier is not None and not carrier.jurisdiction.path.startswith(_town_path(jurisdiction)):
            raise DomainError("carrier_elsewhere", _("所选载体不在本活动所属的镇（街道）。"))
    return values


def _town_path(jurisdiction: Jurisdiction) -> str:
    town = jurisdiction.town or jurisdiction
    return town.path


def activity_create(
    *,
    actor,
    details: dict,
    co_units: Iterable[Unit] = (),
    services: Iterable[DayService] = (),
    series: ActivitySeries | None = None,
) -> Activity:
    """Create an activity as a draft (草稿). ``details`` holds the fields in ``DETAIL_FIELDS``."""
    values = _validate_details(details)
    with transaction.atomic():
        activity = Activity(**{k: values.get(k) for k in DETAIL_FIELDS}, series=series, created_by=actor)
        activity.save()
        activity.co_units.set(co_units)
        activity.services.set(services)
        log_action(actor=actor, action="activities.activity.created", obj=activity, after=_snapshot(activity))
    return activity


def activity_update(
    *,
    activity: Activity,
    actor,
    details: dict,
    co_units: Iterable[Unit] = (),
    services: Iterable[DayService] = (),
    now: datetime.datetime | None = None,
) -> Activity:
    """Change an activity's details. Capacity may not drop below the seats already taken
    (confirmed and offered); raising it offers the new seats to the waiting list at once."""
    now = now or timezone.now()
    values = _validate_details(details)
    with transaction.atomic():
        locked = lock_activity(activity)
        if locked.status in (ActivityStatus.SUMMARISED, ActivityStatus.CANCELLED):
            raise DomainError(
                "activity_closed", _("活动已%(state)s，不能再修改。") % {"state": ACTIVITY.label(locked.status)}
            )
        taken = seats_taken(locked)
        confirmed = locked.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        if values["capacity"] < taken:
            raise DomainError(
                "capacity_below_confirmed",
                _("名额不能少于已占用的 %(taken)d 个（已确认 %(confirmed)d 人，递补待确认 %(offered)d 人）。")
                % {"taken": taken, "confirmed": confirmed, "offered": taken - confirmed},
            )
        before = _snapshot(locked)
        for key in DETAIL_FIELDS:
            setattr(locked, key, values.get(key))
        locked.save()
        locked.co_units.set(co_units)
        locked.services.set(services)
        old, new = diff(before, _snapshot(locked))
        if new:
            log_action(actor=actor, action="activities.activity.changed", obj=locked, before=old, after=new)
        activity_fill_free_seats(locked, now=now)
    return locked


def _snapshot(activity: Activity) -> dict:
    data = snapshot(activity, fields=DETAIL_FIELDS)
    if activity.pk:
        data["co_units"] = sorted(activity.co_units.values_list("pk", flat=True))
        data["services"] = sorted(activity.services.values_list("pk", flat=True))
    return data


def activity_clone(
    *, activity: Activity, actor, starts_at: datetime.datetime, series: ActivitySeries | None = None, title: str = ""
) -> Activity:
    """A new draft with the same details, questions and criteria, moved to ``starts_at``
    (the end and the registration window keep their distance from the start)."""
    shift = starts_at - activity.starts_at
    details = {k: getattr(activity, k) for k in DETAIL_FIELDS}
    for key in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        details[key] = getattr(activity, key) + shift
    if title:
        details["title"] = title
    with transaction.atomic():
        copy = activity_create(
            actor=actor,
            details=details,
            co_units=activity.co_units.all(),
            services=activity.services.all(),
            series=series,
        )
        mapping = {}
        for question in activity.questions.order_by("position", "id"):
            old_pk = question.pk
            depends_on = question.show_if_question_id
            question.pk = None
            question.activity = copy
            question.show_if_question_id = mapping.get(depends_on)
            question.save()
            mapping[old_pk] = question.pk
        for criterion in activity.criteria.all():
            CompetitionCriterion.objects.create(
                activity=copy, name=criterion.name, max_score=criterion.max_score, position=criterion.position
            )
        log_action(actor=actor, action="activities.activity.cloned", obj=copy, after={"source": activity.pk})
    return copy


def series_create(*, activity: Activity, actor, name: str, step: str, count: int) -> ActivitySeries:
    """Make ``activity`` the first of a series and add ``count - 1`` drafts after it, one
    every week, fortnight or month (same weekday and time)."""
    name = clean_text(name, label=_("系列名称"), max_length=128)
    if step not in (*SERIES_STEPS, "month"):
        raise DomainError("bad_step", _("请选择重复周期。"))
    if not 2 <= count <= 24:
        raise DomainError("bad_count", _("系列活动场次应在 2 到 24 之间。"))
    if activity.series_id:
        raise DomainError("already_in_series", _("本活动已属于系列“%(name)s”。") % {"name": activity.series.name})
    with transaction.atomic():
        series = ActivitySeries.objects.create(name=name, jurisdiction=activity.jurisdiction, created_by=actor)
        Activity.objects.filter(pk=activity.pk).update(series=series)
        log_action(
            actor=actor,
            action="activities.series.created",
            obj=series,
            jurisdiction=activity.jurisdiction,
            after={"first": activity.pk, "step": step, "count": count},
        )
        for n in range(1, count):
            activity_clone(
                activity=activity, actor=actor, starts_at=_nth_start(activity.starts_at, step, n), series=series
            )
    return series


def _nth_start(start: datetime.datetime, step: str, n: int) -> datetime.datetime:
    if step in SERIES_STEPS:
        return start + SERIES_STEPS[step] * n
    local = timezone.localtime(start)
    month_index = local.month - 1 + n
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, 28)  # every month has a 28th
    return local.replace(year=year, month=month, day=day)


# --- registration questions ----------------------------------------------------------------


def question_add(
    *,
    activity: Activity,
    actor,
    text: str,
    kind: str,
    choices: str = "",
    required: bool = False,
    show_if_question: RegistrationQuestion | None = None,
    show_if_answer: str = "",
) -> RegistrationQuestion:
    text = clean_text(text, label=_("问题"), max_length=200)
    if kind not in RegistrationQuestion.Kind.values:
        raise DomainError("bad_kind", _("请选择题型。"))
    choice_list = [c.strip() for c in (choices or "").splitlines() if c.strip()]
    if kind == RegistrationQuestion.Kind.CHOICE and len(choice_list) < 2:
        raise DomainError("choices_required", _("单选题至少需要两个选项，每行一个。"))
    if show_if_question is not None:
        if show_if_question.activity_id != activity.pk:
            raise DomainError("bad_condition", _("条件问题必须属于本活动。"))
        if not (show_if_answer or "").strip():
            raise DomainError("bad_condition", _("请填写触发此问题的回答。"))
        if (
            show_if_question.kind == RegistrationQuestion.Kind.CHOICE
            and show_if_answer.strip() not in show_if_question.choice_list
        ):
            raise DomainError("bad_condition", _("触发回答必须是条件问题的选项之一。"))
    with transaction.atomic():
        if activity.registrations.exists():
            raise DomainError("has_registrations", _("已有人报名，不能再增加报名问题。"))
        position = (activity.questions.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        question = RegistrationQuestion.objects.create(
            activity=activity,
            position=position,
            text=text,
            kind=kind,
            choices="\n".join(choice_list),
            required=required,
            show_if_question=show_if_question,
            show_if_answer=(show_if_answer or "").strip() if show_if_question else "",
        )
        log_action(actor=actor, action="activities.question.added", obj=activity, after=snapshot(question))
    return question


def question_remove(*, question: RegistrationQuestion, actor) -> None:
    activity = question.activity
    with transaction.atomic():
        if activity.registrations.exists():
            raise DomainError("has_registrations", _("已有人报名，不能再删除报名问题。"))
        before = snapshot(question)
        question.delete()
        log_action(actor=actor, action="activities.question.removed", obj=activity, before=before)


# --- lifecycle -----------------------------------------------------------------------------


def activity_transition(
    *, activity: Activity, actor, name: str, note: str = "", now: datetime.datetime | None = None
) -> Activity:
    """Fire lifecycle transition ``name`` (see ``workflows.ACTIVITY``) with its side effects."""
    now = now or timezone.now()
    if name == "summarise":
        raise DomainError("use_summary", _("请在总结页面填写总结后完成总结。"))
    effects = []
    if name == "cancel":
        effects.append(_notify_cancelled)
    elif name == "finish":
        effects.append(lambda a: _invite_feedback(a))
    with transaction.atomic():
        activity = fire(
            ACTIVITY,
            activity,
            name,
            actor=actor,
            note=note,
            changes={"cancel_reason": note.strip()} if name == "cancel" else None,
            effects=effects,
        )
        if name == "publish":
            activity = activity_advance_schedule(activity=activity, now=now)
    return activity


def _notify_cancelled(activity: Activity) -> None:
    registrations = activity.registrations.filter(status__in=ACTIVE_REGISTRATION_STATUSES)
    when = date_format(timezone.localtime(activity.starts_at), "Y-m-d H:i")
    for registration in registrations.select_related("user"):
        notify_registrant(
            registration,
            title=_("活动已取消"),
            body=_("您报名的“%(title)s”（%(when)s）已取消。原因：%(reason)s")
            % {
                "title": activity.title,
                "when": when,
                "reason": activity.cancel_reason,
            },
        )


def _invite_feedback(activity: Activity) -> None:
    from .feedback import feedback_invite_attendees

    feedback_invite_attendees(activity=activity)


def activity_advance_schedule(*, activity: Activity, now: datetime.datetime | None = None) -> Activity:
    """Fire, as the clock, every time-driven transition whose time has come (registration
    opens and closes, the activity starts and finishes). Safe to call any number of times."""
    now = now or timezone.now()
    for name, time_field in SCHEDULED_TRANSITIONS:
        transition = ACTIVITY.transition(name)
        if activity.status in transition.sources and getattr(activity, time_field) <= now:
            activity = activity_transition(activity=activity, actor=SYSTEM, name=name, now=now)
    return activity


def activities_advance_due(*, now: datetime.datetime | None = None) -> int:
    """The periodic sweep: advance every live activity whose next scheduled time has passed."""
    now = now or timezone.now()
    advanced = 0
    due = Activity.objects.filter(
        status__in=[
            ActivityStatus.PUBLISHED,
            ActivityStatus.REGISTRATION_OPEN,
            ActivityStatus.REGISTRATION_CLOSED,
            ActivityStatus.IN_PROGRESS,
        ],
    ).filter(_due_q(now))
    for activity in due.iterator():
        before = activity.status
        if activity_advance_schedule(activity=activity, now=now).status != before:
            advanced += 1
    return advanced


def _due_q(now):
    from django.db.models import Q

    S = ActivityStatus
    return (
        Q(status=S.PUBLISHED, registration_opens_at__lte=now)
        | Q(status=S.REGISTRATION_OPEN, registration_closes_at__lte=now)
        | Q(status=S.REGISTRATION_CLOSED, starts_at__lte=now)
        | Q(status=S.IN_PROGRESS, ends_at__lte=now)
    )


def activity_advance_if_due(activity: Activity, now: datetime.datetime | None = None) -> Activity:
    """Lazily, when a page reads ``activity``: catch up with the clock if a time has passed
    (no query at all when nothing is due)."""
    now = now or timezone.now()
    for name, time_field in SCHEDULED_TRANSITIONS:
        if activity.status in ACTIVITY.transition(name).sources and getattr(activity, time_field) <= now:
            return activity_advance_schedule(activity=activity, now=now)
    return activity


# --- summary -------------------------------------------------------------------------------


def activity_summarise(
    *,
    activity: Activity,
    actor,
    summary: str,
    outcomes: str = "",
    complete: bool = False,
    now: datetime.datetime | None = None,
) -> Activity:
    """Save the summary and outcomes of a finished activity; with ``complete`` also move it to
    已总结. Attendance in the summary is always the count of check-ins, never typed in."""
    now = now or timezone.now()
    summary = clean_text(summary, label=_("活动总结"), max_length=5000, required=complete)
    outcomes = clean_text(outcomes, label=_("活动成效"), max_length=5000, required=False)
    with transaction.atomic():
        locked = lock_activity(activity)
        if locked.status != ActivityStatus.FINISHED:
            raise DomainError(
                "not_finished",
                _("活动结束后才能填写总结（当前状态：%(state)s）。") % {"state": ACTIVITY.label(locked.status)},
            )
        before = snapshot(locked, fields=["summary", "outcomes"])
        locked.summary, locked.outcomes = summary, outcomes
        locked.save(update_fields=["summary", "outcomes", "updated_at"])
        old, new = diff(before, snapshot(locked, fields=["summary", "outcomes"]))
        if new:
            log_action(actor=actor, action="activities.activity.summary_saved", obj=locked, before=old, after=new)
        if complete:
            attendance = locked.registrations.filter(checked_in_at__isnull=False).count()
            locked = fire(
                ACTIVITY,
                locked,
                "summarise",
                actor=actor,
                changes={"summarised_at": now},
                audit_extra={"attendance": attendance},
            )
    return locked


def activity_photo_add(*, activity: Activity, actor, image, caption: str = "") -> ActivityPhoto:
    caption = clean_text(caption, label=_("照片说明"), max_length=128, required=False)
    if activity.status not in (ActivityStatus.IN_PROGRESS, ActivityStatus.FINISHED):
        raise DomainError("photos_closed", _("活动开始后、完成总结前才能上传照片。"))
    with transaction.atomic():
        photo = ActivityPhoto.objects.create(activity=activity, image=image, caption=caption, uploaded_by=actor)
        log_action(
            actor=actor,
            action="activities.activity.photo_added",
            obj=activity,
            after={"photo": photo.pk, "caption": caption},
        )
    return photo
