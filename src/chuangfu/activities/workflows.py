"""The state machines of the activities app, declared once:

- ``ACTIVITY``: 草稿 → 已发布 → 报名中 → 报名截止 → 进行中 → 已结束 → 已总结, and 已取消 from any
  live state. Staff fire the transitions from the activity page; the clock fires the
  time-driven ones (open and close registration, start, finish) through ``SYSTEM``, from a
  periodic task and lazily when an activity is read.
- ``REGISTRATION``: 待审核 / 已确认 / 候补中 → 递补待确认 → 已确认, and the ends 已取消, 未通过审核,
  递补已过期; check-in is a recorded action on a confirmed registration. Which of these a new
  registration starts in, and when a freed seat is offered, follows from the seats: the
  capacity rules in ``services.registrations`` fire these transitions under the activity's
  row lock.
- ``MENTORING_REQUEST``: 待安排 → 已预约 → 已完成 (or 已取消); mentors are proposed (a read) while
  it waits. ``MENTORING_SESSION``: 已预约 → 已记录 (or 已取消), then rated once by the requester.
"""

from django.utils.translation import gettext_lazy as _

from chuangfu.core.crypto import mask_name
from chuangfu.core.models import Role
from chuangfu.core.workflow import SYSTEM_ROLE, State, StateMachine, Transition

from .models import (
    ACTIVE_REGISTRATION_STATUSES,
    Activity,
    ActivityStatus,
    MentoringRequest,
    MentoringSession,
    Registration,
    RegistrationStatus,
)

S = ActivityStatus

# Who runs activities: the desk, unit liaisons (co-organisers), carrier operators (hosts),
# the leadership and the admin.
MANAGER_ROLES = frozenset({Role.DESK_STAFF, Role.UNIT_LIAISON, Role.CARRIER_OPERATOR, Role.LEADER, Role.ADMIN})
STAFF_AND_CLOCK = MANAGER_ROLES | {SYSTEM_ROLE}
REGISTRANT_ROLE = "registrant"


class RegistrantActor:
    """Whoever holds a registration's ticket link without being logged in: the link (its
    opaque manage key) is their proof. Audited as 报名人 with the name masked."""

    is_superuser = False
    is_authenticated = False
    role = REGISTRANT_ROLE
    pk = None

    def __init__(self, registration):
        self.name = mask_name(registration.name)

    def __str__(self):
        return f"报名人 {self.name}"


def registrant_actor(registration, user=None):
    """The actor for what a registrant does through their ticket page: their account when it
    is the one that registered, else the holder of the link."""
    if getattr(user, "is_authenticated", False) and user.pk == registration.user_id:
        return user
    return RegistrantActor(registration)


# A registrant acts through their ticket page whatever role their account has, or without one
# (the guards check it is their own registration).
REGISTRANT_ROLES = frozenset(Role.values) | {REGISTRANT_ROLE}


def _summary_written(activity, actor):
    if not (activity.summary or "").strip():
        return str(_("请先填写活动总结。"))
    return None


ACTIVITY = StateMachine(
    name="activities.activity",
    model=Activity,
    states=[
        State(S.DRAFT, _("草稿")),
        State(S.PUBLISHED, _("已发布")),
        State(S.REGISTRATION_OPEN, _("报名中")),
        State(S.REGISTRATION_CLOSED, _("报名截止")),
        State(S.IN_PROGRESS, _("进行中")),
        State(S.FINISHED, _("已结束")),
        State(S.SUMMARISED, _("已总结"), terminal=True),
        State(S.CANCELLED, _("已取消"), terminal=True),
    ],
    transitions=[
        Transition("publish", _("发布"), {S.DRAFT}, S.PUBLISHED, MANAGER_ROLES, public=True),
        Transition(
            "open_registration", _("开始报名"), {S.PUBLISHED}, S.REGISTRATION_OPEN, STAFF_AND_CLOCK, public=True
        ),
        Transition(
            "close_registration",
            _("截止报名"),
            {S.PUBLISHED, S.REGISTRATION_OPEN},
            S.REGISTRATION_CLOSED,
            STAFF_AND_CLOCK,
            public=True,
        ),
        Transition(
            "start",
            _("开始活动"),
            {S.PUBLISHED, S.REGISTRATION_OPEN, S.REGISTRATION_CLOSED},
            S.IN_PROGRESS,
            STAFF_AND_CLOCK,
            public=True,
        ),
        Transition("finish", _("结束活动"), {S.IN_PROGRESS}, S.FINISHED, STAFF_AND_CLOCK, public=True),
        Transition("summarise", _("完成总结"), {S.FINISHED}, S.SUMMARISED, MANAGER_ROLES, guard=_summary_written),
        Transition(
            "cancel",
            _("取消活动"),
            {S.DRAFT, S.PUBLISHED, S.REGISTRATION_OPEN, S.REGISTRATION_CLOSED, S.IN_PROGRESS},
            S.CANCELLED,
            MANAGER_ROLES,
            public=True,
            note_required=True,
        ),
    ],
)

# Transitions the clock fires when their time has come, in lifecycle order: (transition, the
# activity's time field that triggers it).
SCHEDULED_TRANSITIONS = (
    ("open_registration", "registration_opens_at"),
    ("close_registration", "registration_closes_at"),
    ("start", "starts_at"),
    ("finish", "ends_at"),
)


# --- registrations -----------------------------------------------------------------------------

R = RegistrationStatus


def _not_checked_in(registration, actor):
    if registration.checked_in_at is not None:
        return str(_("该报名已于 %(when)s 签到。") % {"when": registration.checked_in_at.strftime("%H:%M:%S")})
    return None


def _the_registrant(registration, actor):
    if isinstance(actor, RegistrantActor) or (actor.pk is not None and actor.pk == registration.user_id):
        return None
    return str(_("只有报名人本人可以这样做。"))


def _withdrawable(registration, actor):
    return _the_registrant(registration, actor) or _checked_in_cannot_cancel(registration, actor)


def _checked_in_cannot_cancel(registration, actor):
    if registration.checked_in_at is not None:
        return str(_("已签到的报名不能取消。"))
    return None


REGISTRATION = StateMachine(
    name="activities.registration",
    model=Registration,
    states=[
        State(R.PENDING, _("待审核")),
        State(R.CONFIRMED, _("已确认")),
        State(R.WAITLISTED, _("候补中")),
        State(R.OFFERED, _("递补待确认")),
        State(R.CANCELLED, _("已取消"), terminal=True),
        State(R.REJECTED, _("未通过审核"), terminal=True),
        State(R.EXPIRED, _("递补已过期"), terminal=True),
    ],
    transitions=[
        Transition("approve", _("审核通过"), {R.PENDING}, R.CONFIRMED, MANAGER_ROLES),
        # approved while every seat is taken or people wait: to the end of the waiting list
        Transition("approve_waitlisted", _("审核通过（候补）"), {R.PENDING}, R.WAITLISTED, MANAGER_ROLES),
        Transition("reject", _("审核不通过"), {R.PENDING}, R.REJECTED, MANAGER_ROLES, note_required=True),
        Transition(
            "cancel",
            _("取消报名"),
            set(ACTIVE_REGISTRATION_STATUSES),
            R.CANCELLED,
            MANAGER_ROLES,
            note_required=True,
            guard=_checked_in_cannot_cancel,
        ),
        Transition(
            "withdraw",
            _("本人取消报名"),
            set(ACTIVE_REGISTRATION_STATUSES),
            R.CANCELLED,
            REGISTRANT_ROLES,
            guard=_withdrawable,
        ),
        # a freed seat held for the first in line until offer_expires_at
        Transition("offer", _("递补名额"), {R.WAITLISTED}, R.OFFERED, {SYSTEM_ROLE}),
        Transition(
            "accept_offer", _("确认递补名额"), {R.OFFERED}, R.CONFIRMED, REGISTRANT_ROLES, guard=_the_registrant
        ),
        Transition("expire_offer", _("递补过期"), {R.OFFERED}, R.EXPIRED, {SYSTEM_ROLE}),
        Transition("check_in", _("签到"), {R.CONFIRMED}, None, MANAGER_ROLES, guard=_not_checked_in),
    ],
)


# --- mentoring ---------------------------------------------------------------------------------

MR = MentoringRequest.Status
MS = MentoringSession.Status
MENTORING_STAFF = MANAGER_ROLES | {Role.MENTOR}

MENTORING_REQUEST = StateMachine(
    name="activities.mentoring_request",
    model=MentoringRequest,
    states=[
        State(MR.OPEN, _("待安排")),
        State(MR.BOOKED, _("已预约")),
        State(MR.DONE, _("已完成"), terminal=True),
        State(MR.CANCELLED, _("已取消"), terminal=True),
    ],
    transitions=[
        # from 待安排 after looking at the proposed mentors; again for a further session
        Transition("book", _("预约导师"), {MR.OPEN, MR.BOOKED}, MR.BOOKED, MANAGER_ROLES),
        # when the last booked session has been recorded
        Transition("complete", _("辅导完成"), {MR.BOOKED}, MR.DONE, MENTORING_STAFF),
        Transition("cancel", _("取消申请"), {MR.OPEN, MR.BOOKED}, MR.CANCELLED, MANAGER_ROLES, note_required=True),
    ],
)


def _the_requester_once(session, actor):
    if session.request.requester_id is None or session.request.requester_id != getattr(actor, "pk", None):
        return str(_("只有提出申请的人可以评价。"))
    if session.grade:
        return str(_("您已评价过本次辅导：%(g)s。") % {"g": session.get_grade_display()})
    return None


MENTORING_SESSION = StateMachine(
    name="activities.mentoring_session",
    model=MentoringSession,
    states=[
        State(MS.SCHEDULED, _("已预约")),
        State(MS.RECORDED, _("已记录")),
        State(MS.CANCELLED, _("已取消"), terminal=True),
    ],
    transitions=[
        Transition("record", _("记录辅导"), {MS.SCHEDULED}, MS.RECORDED, MENTORING_STAFF),
        # the requester's 好差评 of a recorded session, once
        Transition("rate", _("评价辅导"), {MS.RECORDED}, None, frozenset(Role.values), guard=_the_requester_once),
        Transition("cancel", _("取消辅导"), {MS.SCHEDULED}, MS.CANCELLED, MANAGER_ROLES, note_required=True),
    ],
)
