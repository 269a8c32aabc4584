"""The activity lifecycle, declared once:

    草稿 → 已发布 → 报名中 → 报名截止 → 进行中 → 已结束 → 已总结,   and 已取消 from any live state.

Staff fire the transitions from the activity page; the clock fires the time-driven ones
(open and close registration, start, finish) through ``SYSTEM``, from a periodic task and
lazily when an activity is read. Registration states (confirmed, waiting list, offer …) are
not a lifecycle of their own: they follow from seats and are changed only by the capacity
rules in ``services.registrations``, under the activity's row lock.
"""
from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Role
from chuangfu.core.workflow import State, StateMachine, Transition

from .models import Activity, ActivityStatus

S = ActivityStatus

# Who runs activities: the desk, unit liaisons (co-organisers), carrier operators (hosts),
# the leadership and the admin.
MANAGER_ROLES = frozenset(
    {Role.DESK_STAFF, Role.UNIT_LIAISON, Role.CARRIER_OPERATOR, Role.LEADER, Role.ADMIN}
)
SYSTEM_ROLE = "system"


class SystemActor:
    """The clock: fires time-driven transitions and expires offers. Audited as 系统."""

    is_superuser = False
    is_authenticated = False
    role = SYSTEM_ROLE
    pk = None

    def __str__(self):
        return "系统"


SYSTEM = SystemActor()
STAFF_AND_CLOCK = MANAGER_ROLES | {SYSTEM_ROLE}


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
        Transition("open_registration", _("开始报名"), {S.PUBLISHED}, S.REGISTRATION_OPEN, STAFF_AND_CLOCK, public=True),
        Transition(
            "close_registration", _("截止报名"), {S.PUBLISHED, S.REGISTRATION_OPEN}, S.REGISTRATION_CLOSED,
            STAFF_AND_CLOCK, public=True,
        ),
        Transition(
            "start", _("开始活动"), {S.PUBLISHED, S.REGISTRATION_OPEN, S.REGISTRATION_CLOSED}, S.IN_PROGRESS,
            STAFF_AND_CLOCK, public=True,
        ),
        Transition("finish", _("结束活动"), {S.IN_PROGRESS}, S.FINISHED, STAFF_AND_CLOCK, public=True),
        Transition("summarise", _("完成总结"), {S.FINISHED}, S.SUMMARISED, MANAGER_ROLES, guard=_summary_written),
        Transition(
            "cancel", _("取消活动"),
            {S.DRAFT, S.PUBLISHED, S.REGISTRATION_OPEN, S.REGISTRATION_CLOSED, S.IN_PROGRESS},
            S.CANCELLED, MANAGER_ROLES, public=True, note_required=True,
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
