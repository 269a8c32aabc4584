"""Registrations, the waiting list with timed offers, walk-ins and reminders (check-in: ``checkins``).

The capacity rule: seats taken (confirmed + offered) never exceed the activity's capacity.
Every change that can take or free a seat runs in one transaction that first locks the
activity row (``lock_activity``: ``select_for_update`` on PostgreSQL; on SQLite the
IMMEDIATE transaction holds the database write lock from BEGIN), so registrations for one
activity are serialised and the seats are counted under the lock. The order of the waiting
list is the order in which registrations took that lock.

A registration's status changes only through ``workflows.REGISTRATION``
(``_common.registration_fire``); the status a new registration starts in is decided here, from
the seats.
"""

import datetime
import decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.crypto import lookup_hash
from chuangfu.core.errors import DomainError
from chuangfu.core.scopes import every_town
from chuangfu.core.workflow import SYSTEM
from chuangfu.registry.models import Enterprise, Person

from ..models import (
    ACTIVE_REGISTRATION_STATUSES,
    SEAT_STATUSES,
    Activity,
    ActivityStatus,
    Audience,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
)
from ..selectors import seats_taken, waitlist, waitlist_rank
from ..workflows import ACTIVITY, registrant_actor
from ._common import account_of, clean_mobile, clean_text, notify_registrant, registration_fire, when_text
from .checkins import refuse_checkin_closed

RS = RegistrationStatus


# Statuses in which seats may still be offered from the waiting list (before the start).
OFFERING_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.REGISTRATION_OPEN, ActivityStatus.REGISTRATION_CLOSED)


def lock_activity(activity: Activity) -> Activity:
    """Lock the activity row for the rest of the transaction and return it fresh."""
    return Activity.objects.select_for_update().get(pk=activity.pk)


def clean_answers(questions, raw: dict) -> dict:
    """Validate answers to the activity's questions, in order; a conditional question counts
    only when the answer it depends on matches. Returns ``{question_id: answer}``."""
    answers: dict[str, str] = {}
    for question in questions:
        key = str(question.pk)
        if not question.applies_to(answers):
            continue
        value = str(raw.get(key, "") or "").strip()
        if not value:
            if question.required:
                raise DomainError("answer_required", _("请回答：%(q)s") % {"q": question.text})
            continue
        if len(value) > 500:
            raise DomainError("answer_too_long", _("回答不能超过 500 字：%(q)s") % {"q": question.text})
        if question.kind == RegistrationQuestion.Kind.CHOICE and value not in question.choice_list:
            raise DomainError("answer_not_a_choice", _("请从选项中选择：%(q)s") % {"q": question.text})
        if question.kind == RegistrationQuestion.Kind.NUMBER:
            try:
                number = decimal.Decimal(value)
            except decimal.InvalidOperation:
                number = None
            if number is None or not number.is_finite():
                raise DomainError("answer_not_a_number", _("请填写数字：%(q)s") % {"q": question.text})
            value = str(number.normalize()) if number == number.to_integral() else str(number)
            if "E" in value:
                value = f"{number:f}"
        answers[key] = value
    return answers


def _refuse_outside_window(activity: Activity, source: str, now: datetime.datetime) -> None:
    if activity.status == ActivityStatus.CANCELLED:
        raise DomainError("activity_cancelled", _("活动已取消，不能报名。"), status=409)
    if activity.status == ActivityStatus.DRAFT:
        raise DomainError("activity_not_published", _("活动尚未发布，不能报名。"), status=409)
    if source == Registration.Source.WALK_IN:
        refuse_checkin_closed(activity, now)
        return
    if source == Registration.Source.STAFF:
        if activity.status not in (*OFFERING_STATUSES, ActivityStatus.IN_PROGRESS) or now >= activity.ends_at:
            raise DomainError("activity_over", _("活动已结束，不能再代为报名。"), status=409)
        return
    if activity.status not in (ActivityStatus.PUBLISHED, ActivityStatus.REGISTRATION_OPEN):
        raise DomainError("registration_closed", _("报名已截止。"), status=409)
    if now >= activity.registration_closes_at:
        raise DomainError(
            "registration_closed",
            _("报名已于 %(when)s 截止。") % {"when": when_text(activity.registration_closes_at)},
            status=409,
        )
    if now < activity.registration_opens_at:
        raise DomainError(
            "registration_not_open",
            _("报名尚未开始，将于 %(when)s 开始。") % {"when": when_text(activity.registration_opens_at)},
            status=409,
        )


def _refuse_duplicate(activity: Activity, *, mobile_hash: str, person: Person | None, user) -> None:
    match = Q(mobile_hash=mobile_hash)
    if person is not None:
        match |= Q(person=person)
    if user is not None:
        match |= Q(user=user)
    existing = (
        Registration.objects.filter(activity=activity, status__in=ACTIVE_REGISTRATION_STATUSES).filter(match).first()
    )
    if existing is not None:
        raise _duplicate(existing)


def _duplicate(existing: Registration | None) -> DomainError:
    status = existing.get_status_display() if existing else _("已报名")
    return DomainError(
        "duplicate_registration",
        _("您已报名本活动（当前状态：%(status)s），无需重复报名。同一人或同一手机号只能报名一次。")
        % {"status": status},
        status=409,
        details={"manage_key": existing.manage_key} if existing else {},
    )


def registration_create(
    *,
    activity: Activity,
    name: str,
    mobile: str,
    user=None,
    actor=None,
    person: Person | None = None,
    enterprise: Enterprise | None = None,
    enterprise_name: str = "",
    answers: dict | None = None,
    source: str = Registration.Source.ONLINE,
    now: datetime.datetime | None = None,
) -> Registration:
    """Register one person (``user`` when logged in) for ``activity``.

    Online registrations must fall inside the registration window; staff may add people
    until the end; walk-ins only while check-in is open. The result is 已确认 when a seat is
    free and nobody waits, 候补中 at the end of the waiting list otherwise, or 待审核 when the
    activity needs approval. Refuses duplicates (same person, account or mobile).
    """
    clock_given = now is not None
    now = now or timezone.now()
    name = clean_text(name, label=_("姓名"), max_length=64)
    mobile = clean_mobile(mobile)
    mobile_hash = lookup_hash(mobile)
    enterprise_name = clean_text(
        enterprise.name if enterprise else enterprise_name, label=_("企业名称"), max_length=255, required=False
    )
    if person is None:
        person = _person_for(user, mobile_hash)
    # Questions cannot change once anyone has registered, so answers are checked before the lock.
    cleaned = clean_answers(list(activity.questions.all()), answers or {})
    with transaction.atomic():
        locked = lock_activity(activity)
        if not clock_given:
            now = timezone.now()  # arrival order is the order in which registrations take the lock
        _refuse_outside_window(locked, source, now)
        if locked.audience == Audience.ENTERPRISES and not enterprise_name:
            raise DomainError("enterprise_required", _("本活动面向企业，请填写您代表的企业。"))
        if locked.audience == Audience.PEOPLE:
            enterprise, enterprise_name = None, ""
        _refuse_duplicate(locked, mobile_hash=mobile_hash, person=person, user=user)
        registration = Registration(
            activity=locked,
            user=user,
            person=person,
            name=name,
            mobile=mobile,
            enterprise=enterprise,
            enterprise_name=enterprise_name,
            answers=cleaned,
            source=source,
            created_at=now,
        )
        taken, waiting, last_position = _queue_state(locked)
        free = taken < locked.capacity and not waiting
        if source == Registration.Source.WALK_IN:
            if not free:
                raise DomainError(
                    "activity_full",
                    _("名额已满（%(n)d 人）。如现场还有座位，请先提高名额再登记。") % {"n": locked.capacity},
                    status=409,
                )
            registration.status = RS.CONFIRMED
            registration.checked_in_at, registration.checked_in_by = now, account_of(actor)
        elif locked.needs_approval and source == Registration.Source.ONLINE:
            registration.status = RS.PENDING
        elif free:
            registration.status = RS.CONFIRMED
        else:
            registration.status, registration.waitlist_position = RS.WAITLISTED, last_position + 1
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:  # the partial unique constraints: a duplicate that slipped past the check
            raise _duplicate(None) from None
        log_action(
            actor=actor or user,
            action="activities.registration.created",
            obj=registration,
            jurisdiction=locked.jurisdiction_id,
            after={
                "status": registration.status,
                "source": source,
                "waitlist_position": registration.waitlist_position,
            },
        )
        _notify_registered(registration, rank=waiting + 1)
    return registration


def _queue_state(activity: Activity) -> tuple[int, int, int]:
    """Seats taken, people waiting and the last waiting-list position, in one query."""
    state = Registration.objects.filter(activity=activity).aggregate(
        taken=Count("id", filter=Q(status__in=SEAT_STATUSES)),
        waiting=Count("id", filter=Q(status=RS.WAITLISTED)),
        last=Max("waitlist_position", filter=Q(status=RS.WAITLISTED)),
    )
    return state["taken"], state["waiting"], state["last"] or 0


@every_town("a registrant is the one registry person with that mobile, wherever registered")
def _person_for(user, mobile_hash: str) -> Person | None:
    person = getattr(user, "person", None) if user is not None else None
    if person is not None:
        return person
    matches = list(Person.objects.filter(mobile_hash=mobile_hash)[:2])
    return matches[0] if len(matches) == 1 else None


def _notify_registered(registration: Registration, *, rank: int | None = None) -> None:
    activity = registration.activity
    texts = {
        RS.CONFIRMED: (_("报名成功"), _("您已报名“%(title)s”，%(when)s，凭电子票二维码签到。")),
        RS.WAITLISTED: (
            _("已进入候补名单"),
            _("“%(title)s”名额已满，您在候补名单第 %(position)d 位；有空位时我们会通知您。"),
        ),
        RS.PENDING: (_("报名待审核"), _("您报名的“%(title)s”需要审核，结果将另行通知。")),
    }
    if registration.status not in texts or registration.source == Registration.Source.WALK_IN:
        return
    title, body = texts[registration.status]
    notify_registrant(
        registration,
        title=title,
        body=body
        % {
            "title": activity.title,
            "when": when_text(activity.starts_at),
            "position": rank or waitlist_rank(registration) or 0,
        },
    )


def registration_approve(*, registration: Registration, actor, now: datetime.datetime | None = None) -> Registration:
    """Approve a pending registration: a seat when one is free and nobody waits, else the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_activity(registration.activity)
        registration = Registration.objects.select_related("activity").get(pk=registration.pk)
        if registration.status != RS.PENDING:
            raise DomainError(
                "not_pending",
                _("该报名不是待审核状态（当前：%(s)s）。") % {"s": registration.get_status_display()},
                status=409,
            )
        if locked.status not in (*OFFERING_STATUSES, ActivityStatus.IN_PROGRESS):
            raise DomainError(
                "activity_closed",
                _("活动已%(state)s，不能再审核报名。") % {"state": ACTIVITY.label(locked.status)},
                status=409,
            )
        taken, waiting, last_position = _queue_state(locked)
        if taken < locked.capacity and not waiting:
            registration = registration_fire(registration, "approve", actor=actor)
        else:
            registration = registration_fire(
                registration, "approve_waitlisted", actor=actor, waitlist_position=last_position + 1
            )
        _notify_registered(registration, rank=waiting + 1)
    return registration


def registration_reject(*, registration: Registration, actor, reason: str) -> Registration:
    reason = clean_text(reason, label=_("不通过的原因"), max_length=255)
    with transaction.atomic():
        lock_activity(registration.activity)
        registration = Registration.objects.select_related("activity").get(pk=registration.pk)
        if registration.status != RS.PENDING:
            raise DomainError(
                "not_pending",
                _("该报名不是待审核状态（当前：%(s)s）。") % {"s": registration.get_status_display()},
                status=409,
            )
        registration = registration_fire(registration, "reject", actor=actor, note=reason)
        notify_registrant(
            registration,
            title=_("报名未通过审核"),
            body=_("您报名的“%(title)s”未通过审核：%(reason)s")
            % {"title": registration.activity.title, "reason": reason},
        )
    return registration


def registration_cancel(
    *,
    registration: Registration,
    actor=None,
    reason: str = "",
    by_staff: bool = False,
    now: datetime.datetime | None = None,
) -> Registration:
    """Cancel a registration: the registrant through their ticket page (``actor`` is their
    account, or None when not logged in: 本人取消), or staff with a reason (``by_staff``).
    Leaving the waiting list is the same act. A freed seat goes at once to the next person in
    line as a timed offer."""
    now = now or timezone.now()
    if by_staff:
        reason = clean_text(reason, label=_("取消原因"), max_length=255)
    with transaction.atomic():
        locked = lock_activity(registration.activity)
        registration = Registration.objects.select_related("activity").get(pk=registration.pk)
        if not registration.is_active:
            raise DomainError(
                "not_active",
                _("该报名已是“%(s)s”状态，无需取消。") % {"s": registration.get_status_display()},
                status=409,
            )
        if registration.checked_in_at:
            raise DomainError("checked_in", _("已签到的报名不能取消。"), status=409)
        if locked.status not in OFFERING_STATUSES:
            raise DomainError(
                "activity_started",
                _("活动已%(state)s，不能再取消报名。") % {"state": ACTIVITY.label(locked.status)},
                status=409,
            )
        name, actor = ("cancel", actor) if by_staff else ("withdraw", registrant_actor(registration, actor))
        registration = registration_fire(
            registration,
            name,
            actor=actor,
            note=reason,
            cancelled_at=now,
            waitlist_position=None,
            offer_expires_at=None,
        )
        activity_fill_free_seats(locked, now=now)
    return registration


def activity_fill_free_seats(activity: Activity, *, now: datetime.datetime) -> list[Registration]:
    """Offer every free seat to the next people on the waiting list, each held until
    ``now + offer_hold_hours`` (at most until the start). Caller holds the activity lock."""
    if activity.status not in OFFERING_STATUSES or now >= activity.starts_at:
        return []
    free = activity.capacity - seats_taken(activity)
    if free <= 0:
        return []
    expires = min(now + datetime.timedelta(hours=activity.offer_hold_hours), activity.starts_at)
    offered = []
    for registration in waitlist(activity).select_related("activity", "user")[:free]:
        registration = registration_fire(
            registration, "offer", actor=SYSTEM, waitlist_position=None, offer_expires_at=expires
        )
        notify_registrant(
            registration,
            title=_("候补递补：请确认名额"),
            body=_("“%(title)s”有空出的名额为您保留至 %(until)s，请在此之前打开电子票页面确认，逾期将顺延给下一位。")
            % {"title": activity.title, "until": when_text(expires)},
        )
        offered.append(registration)
    return offered


def registration_accept_offer(*, registration: Registration, now: datetime.datetime | None = None) -> Registration:
    """The registrant confirms a seat offered to them, before the hold runs out."""
    now = now or timezone.now()
    registration_expire_offers(activity=registration.activity, now=now)
    with transaction.atomic():
        lock_activity(registration.activity)
        registration = Registration.objects.select_related("activity").get(pk=registration.pk)
        if registration.status == RS.EXPIRED:
            raise DomainError(
                "offer_expired",
                _("名额保留已于 %(when)s 过期，已顺延给下一位。") % {"when": when_text(registration.offer_expires_at)},
                status=409,
            )
        if registration.status != RS.OFFERED:
            raise DomainError(
                "no_offer",
                _("目前没有为您保留的名额（当前状态：%(s)s）。") % {"s": registration.get_status_display()},
                status=409,
            )
        registration = registration_fire(
            registration, "accept_offer", actor=registrant_actor(registration, registration.user), offer_expires_at=None
        )
        _notify_registered(registration)
    return registration


def registration_expire_offers(*, activity: Activity, now: datetime.datetime | None = None) -> int:
    """Let offers whose hold has run out pass on to the next in line. Cheap when nothing is
    due (no lock taken), so pages call it on read as well as the periodic task."""
    now = now or timezone.now()
    due = Registration.objects.filter(activity=activity, status=RS.OFFERED, offer_expires_at__lte=now)
    if not due.exists():
        return 0
    with transaction.atomic():
        locked = lock_activity(activity)
        expired = list(due.select_related("activity", "user"))
        for registration in expired:
            registration = registration_fire(registration, "expire_offer", actor=SYSTEM)
            notify_registrant(
                registration,
                title=_("递补名额已过期"),
                body=_("您未在 %(until)s 前确认“%(title)s”的递补名额，名额已顺延给下一位。")
                % {"title": locked.title, "until": when_text(registration.offer_expires_at)},
            )
        activity_fill_free_seats(locked, now=now)
    return len(expired)


def offers_expire_due(*, now: datetime.datetime | None = None) -> int:
    """The periodic sweep over every activity with an offer past its hold."""
    now = now or timezone.now()
    ids = (
        Registration.objects.filter(status=RS.OFFERED, offer_expires_at__lte=now)
        .values_list("activity_id", flat=True)
        .distinct()
    )
    return sum(registration_expire_offers(activity=a, now=now) for a in Activity.objects.filter(pk__in=list(ids)))


def waitlist_move(*, registration: Registration, position: int, actor, reason: str) -> Registration:
    """Staff put someone at ``position`` (1 = first) of the waiting list; the reason is required
    and logged. Everyone else keeps their relative order."""
    reason = clean_text(reason, label=_("调整候补顺序的原因"), max_length=255)
    with transaction.atomic():
        locked = lock_activity(registration.activity)
        queue = list(waitlist(locked))
        current = next((r for r in queue if r.pk == registration.pk), None)
        if current is None:
            raise DomainError("not_waitlisted", _("该报名不在候补名单中。"), status=409)
        if not 1 <= position <= len(queue):
            raise DomainError("bad_position", _("候补位置应在 1 到 %(n)d 之间。") % {"n": len(queue)})
        old_rank = queue.index(current) + 1
        queue.remove(current)
        queue.insert(position - 1, current)
        for rank, entry in enumerate(queue, start=1):
            if entry.waitlist_position != rank:
                Registration.objects.filter(pk=entry.pk).update(waitlist_position=rank)
        log_action(
            actor=actor,
            action="activities.registration.waitlist_moved",
            obj=current,
            jurisdiction=locked.jurisdiction_id,
            before={"rank": old_rank},
            after={"rank": position},
            note=reason,
        )
        current.refresh_from_db()
    return current


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind everyone with a seat of an activity that starts tomorrow (local date). Once each."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    due = Registration.objects.filter(
        status=RS.CONFIRMED,
        reminded_at__isnull=True,
        activity__status__in=OFFERING_STATUSES,
        activity__starts_at__gte=start,
        activity__starts_at__lt=start + datetime.timedelta(days=1),
    ).select_related("activity", "user")
    sent = 0
    for registration in due.iterator():
        with transaction.atomic():
            if not Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            activity = registration.activity
            notify_registrant(
                registration,
                title=_("活动提醒"),
                body=_("您报名的“%(title)s”将于明天 %(when)s 在 %(place)s 举行，请携带电子票二维码签到。")
                % {
                    "title": activity.title,
                    "when": date_format(timezone.localtime(activity.starts_at), "H:i"),
                    "place": activity.place_display,
                },
            )
            sent += 1
    return sent
