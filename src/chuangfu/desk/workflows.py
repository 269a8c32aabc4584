"""The ticket's one state machine, declared as data.

    已受理 → 已派单 → 已签收 → 办理中 → 已答复 → 已办结 → 已回访

plus 直接答复 (desk), 退单 → desk review (改派 or 驳回), 转派, 延期 (ask / approve / refuse),
a co-handler's own 退单 (协办退回, with a reason; the desk may add it or another unit again),
挂起 / 恢复 (clock paused), 督办 (leader), 主办/协办 (co-handlers accept and report on their own;
the lead cannot answer and the desk cannot close while one is open), 并单, 差评整改, 申诉复核,
public replies and internal notes. Transitions with ``target=None`` record an action without
changing the status. Guards say, in the user's words, why an allowed role still may not act.

Every transition is fired through ``services`` (which call ``core.workflow.fire``); pages and the
API offer ``TICKET.available(ticket, actor)`` only.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangfu.core.models import Role
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.core.workflow import State, StateMachine, Transition, transitions_checking

from .models import Rectification, Status, Ticket, TicketAssignment

DESK = {Role.DESK_STAFF}
LIAISON = {Role.UNIT_LIAISON}
LEADER = {Role.LEADER}

S = Status
BEFORE_DISPATCH = {S.RECEIVED, S.RETURNED}
AT_UNIT = {S.DISPATCHED, S.ACCEPTED, S.IN_PROGRESS}
WORKING = {S.ACCEPTED, S.IN_PROGRESS}
NOT_FINISHED = {S.RECEIVED, S.DISPATCHED, S.ACCEPTED, S.IN_PROGRESS, S.RETURNED, S.SUSPENDED, S.ANSWERED}
RATEABLE = {S.ANSWERED, S.CLOSED, S.REVISITED}
EVERY = set(Status.values)


# --- guards: (ticket, actor) -> None when allowed, else the reason -------------------------------


def _in_scope(ticket, actor):
    ids = visible_jurisdiction_ids(actor)
    if ids is not None and ticket.jurisdiction_id not in ids:
        return _("该工单不在您的管辖范围内。")
    return None


T = transitions_checking(_in_scope)


def _lead_liaison(ticket, actor):
    """A liaison acts only for their own unit; other roles pass."""
    if actor.role == Role.UNIT_LIAISON and (actor.unit_id is None or actor.unit_id != ticket.lead_unit_id):
        return _("只有主办单位的联络员可以执行此操作。")
    return None


def _co_assignment(ticket, actor, state):
    if actor.unit_id is None:
        return None
    return ticket.assignments.filter(unit_id=actor.unit_id, role=TicketAssignment.Role.CO, state=state).first()


def _co_pending(ticket, actor):
    if _co_assignment(ticket, actor, TicketAssignment.State.PENDING) is None:
        return _("您的单位没有待签收的协办任务。")
    return None


def _co_accepted(ticket, actor):
    if _co_assignment(ticket, actor, TicketAssignment.State.ACCEPTED) is None:
        return _("您的单位没有已签收、待反馈的协办任务。")
    return None


def _co_open(ticket, actor):
    if (
        actor.unit_id is None
        or not ticket.assignments.filter(
            unit_id=actor.unit_id,
            role=TicketAssignment.Role.CO,
            state__in=[TicketAssignment.State.PENDING, TicketAssignment.State.ACCEPTED],
        ).exists()
    ):
        return _("您的单位没有未完成的协办任务。")
    return None


def _lead_pending(ticket, actor):
    if not ticket.assignments.filter(role=TicketAssignment.Role.LEAD, state=TicketAssignment.State.PENDING).exists():
        return _("没有待签收的主办任务。")
    return None


def open_co_units(ticket) -> list[str]:
    return [
        a.unit.name
        for a in ticket.assignments.select_related("unit").filter(
            role=TicketAssignment.Role.CO, state__in=[TicketAssignment.State.PENDING, TicketAssignment.State.ACCEPTED]
        )
    ]


def _no_open_co(ticket, actor):
    names = open_co_units(ticket)
    if names:
        return _("协办单位（%(units)s）尚未反馈，主办单位暂不能答复或办结。") % {"units": "、".join(names)}
    return None


def _has_lead_unit(ticket, actor):
    if ticket.lead_unit_id is None:
        return _("该工单由窗口直接答复，没有承办单位可以重办；请用“进展回复”补充答复。")
    return None


def _extension_pending(ticket, actor):
    if not ticket.extension_pending_days:
        return _("没有待审批的延期申请。")
    return None


def _no_extension_pending(ticket, actor):
    if ticket.extension_pending_days:
        return _("已有一项延期申请等待审批。")
    return None


def _rectification(ticket):
    return getattr(ticket, "rectification", None)


def _rectification_open(ticket, actor):
    r = _rectification(ticket)
    if r is None or r.state != r.State.OPEN:
        return _("没有待整改的差评。")
    if actor.role == Role.UNIT_LIAISON and (actor.unit_id is None or actor.unit_id != r.unit_id):
        return _("只有被评价的单位可以反馈整改情况。")
    return None


def _revisit_allowed(ticket, actor):
    r = _rectification(ticket)
    if r is not None and r.state == r.State.OPEN:
        return _("差评整改尚未完成，整改单位反馈后才能回访。")
    if ticket.status == Status.REVISITED and (r is None or r.state != r.State.RECTIFIED):
        return _("该工单已回访。")
    return None


def _rating_obj(ticket):
    return getattr(ticket, "rating", None)


def _can_appeal(ticket, actor):
    rating = _rating_obj(ticket)
    if rating is None or not rating.is_negative:
        return _("只有差评可以申诉。")
    if rating.excluded or rating.appealed_at:
        return _("该评价已经申诉过。")
    if actor.role == Role.UNIT_LIAISON and (actor.unit_id is None or actor.unit_id != rating.unit_id):
        return _("只有被评价的单位可以申诉。")
    return None


def _rating_excludable(ticket, actor):
    rating = _rating_obj(ticket)
    if rating is None:
        return _("该工单尚无评价。")
    if rating.excluded:
        return _("该评价已被剔除。")
    return None


def _appeal_pending(ticket, actor):
    rating = _rating_obj(ticket)
    if rating is None or not rating.appeal_pending:
        return _("没有待复核的申诉。")
    return None


def _participant(ticket, actor):
    """Internal notes: desk, leaders, and the liaisons of units taking part."""
    if actor.role != Role.UNIT_LIAISON:
        return None
    if actor.unit_id and (
        actor.unit_id == ticket.lead_unit_id
        or ticket.assignments.filter(unit_id=actor.unit_id, state__in=TicketAssignment.ACTIVE).exists()
    ):
        return None
    return _("只有参与办理的单位可以添加备注。")


TICKET = StateMachine(
    name="desk.ticket",
    model=Ticket,
    timeline=True,
    lock_related=("category", "jurisdiction"),
    states=[State(s.value, s.label, terminal=s in (S.REVISITED, S.MERGED)) for s in Status],
    transitions=[
        # the desk
        T("dispatch", gettext_lazy("派单"), BEFORE_DISPATCH, S.DISPATCHED, DESK, public=True),
        T("answer_directly", gettext_lazy("直接答复"), BEFORE_DISPATCH, S.ANSWERED, DESK, public=True, note=True),
        T(
            "return_reject",
            gettext_lazy("驳回退单"),
            {S.RETURNED},
            S.DISPATCHED,
            DESK,
            note=True,
            guards=[_has_lead_unit],
        ),
        T("reassign", gettext_lazy("转派"), AT_UNIT, S.DISPATCHED, DESK, note=True),
        T("co_assign", gettext_lazy("增加协办单位"), AT_UNIT, None, DESK),
        T("merge", gettext_lazy("并单"), BEFORE_DISPATCH | {S.DISPATCHED}, S.MERGED, DESK, public=True),
        T("close", gettext_lazy("办结"), {S.ANSWERED}, S.CLOSED, DESK, public=True, guards=[_no_open_co]),
        T("reopen", gettext_lazy("退回重办"), {S.ANSWERED}, S.IN_PROGRESS, DESK, note=True, guards=[_has_lead_unit]),
        T(
            "revisit",
            gettext_lazy("回访"),
            {S.CLOSED, S.REVISITED},
            S.REVISITED,
            DESK,
            public=True,
            guards=[_revisit_allowed],
        ),
        # the lead unit
        T(
            "accept",
            gettext_lazy("签收"),
            {S.DISPATCHED},
            S.ACCEPTED,
            LIAISON,
            public=True,
            guards=[_lead_liaison, _lead_pending],
        ),
        T(
            "return",
            gettext_lazy("退单"),
            {S.DISPATCHED, S.ACCEPTED},
            S.RETURNED,
            LIAISON,
            note=True,
            guards=[_lead_liaison],
        ),
        T("start", gettext_lazy("开始办理"), {S.ACCEPTED}, S.IN_PROGRESS, LIAISON, public=True, guards=[_lead_liaison]),
        T(
            "answer",
            gettext_lazy("答复"),
            WORKING,
            S.ANSWERED,
            LIAISON,
            public=True,
            note=True,
            guards=[_lead_liaison, _no_open_co],
        ),
        T(
            "request_extension",
            gettext_lazy("申请延期"),
            WORKING,
            None,
            LIAISON,
            note=True,
            guards=[_lead_liaison, _no_extension_pending],
        ),
        T(
            "suspend",
            gettext_lazy("挂起"),
            WORKING,
            S.SUSPENDED,
            LIAISON | DESK,
            public=True,
            note=True,
            guards=[_lead_liaison],
        ),
        T(
            "resume",
            gettext_lazy("恢复办理"),
            {S.SUSPENDED},
            S.IN_PROGRESS,
            LIAISON | DESK,
            public=True,
            guards=[_lead_liaison],
        ),
        # co-handling units
        T("co_accept", gettext_lazy("协办签收"), AT_UNIT | {S.SUSPENDED}, None, LIAISON, guards=[_co_pending]),
        T(
            "co_answer",
            gettext_lazy("协办反馈"),
            AT_UNIT | {S.SUSPENDED},
            None,
            LIAISON,
            note=True,
            guards=[_co_accepted],
        ),
        T("co_return", gettext_lazy("协办退回"), AT_UNIT | {S.SUSPENDED}, None, LIAISON, note=True, guards=[_co_open]),
        # desk or leader
        T(
            "approve_extension",
            gettext_lazy("批准延期"),
            WORKING,
            None,
            DESK | LEADER,
            public=True,
            guards=[_extension_pending],
        ),
        T(
            "reject_extension",
            gettext_lazy("不批准延期"),
            WORKING,
            None,
            DESK | LEADER,
            note=True,
            guards=[_extension_pending],
        ),
        # leaders
        T("supervise", gettext_lazy("督办"), NOT_FINISHED, None, LEADER, note=True),
        # 差评: rectification, appeal and review
        T(
            "rectify",
            gettext_lazy("反馈整改情况"),
            RATEABLE,
            None,
            LIAISON | DESK,
            note=True,
            guards=[_rectification_open],
        ),
        T("appeal", gettext_lazy("申诉"), RATEABLE, None, LIAISON, note=True, guards=[_can_appeal]),
        T(
            "exclude_rating",
            gettext_lazy("复核：剔除评价"),
            RATEABLE,
            None,
            LEADER,
            note=True,
            guards=[_rating_excludable],
        ),
        T(
            "dismiss_appeal",
            gettext_lazy("复核：维持评价"),
            RATEABLE,
            None,
            LEADER,
            note=True,
            guards=[_appeal_pending],
        ),
        # replies and notes
        T(
            "reply",
            gettext_lazy("进展回复"),
            NOT_FINISHED - {S.RECEIVED},
            None,
            DESK | LIAISON,
            public=True,
            note=True,
            guards=[_lead_liaison],
        ),
        T("comment", gettext_lazy("内部备注"), EVERY, None, DESK | LIAISON | LEADER, note=True, guards=[_participant]),
    ],
)


# --- a unit's part in a ticket ------------------------------------------------------------------
# Fired by the ticket's services, inside the ticket's transition (whose guards already decided who
# may act): one audit entry per assignment that changes, no timeline of its own (the ticket's
# event tells the story).

AS = TicketAssignment.State


def _own_unit(assignment, actor):
    if actor.role == Role.UNIT_LIAISON and (actor.unit_id is None or actor.unit_id != assignment.unit_id):
        return _("只有该单位的联络员可以执行此操作。")
    return None


ASSIGNMENT = StateMachine(
    name="desk.assignment",
    model=TicketAssignment,
    field="state",
    states=[State(s.value, s.label, terminal=s in (AS.RETURNED, AS.WITHDRAWN)) for s in AS],
    transitions=[
        Transition("accept", gettext_lazy("签收"), {AS.PENDING}, AS.ACCEPTED, LIAISON, guard=_own_unit),
        Transition("answer", gettext_lazy("答复"), {AS.ACCEPTED}, AS.ANSWERED, LIAISON, guard=_own_unit),
        Transition("return", gettext_lazy("退回"), {AS.PENDING, AS.ACCEPTED}, AS.RETURNED, LIAISON, guard=_own_unit),
        # 退回重办: the desk sends the lead's answer back; the unit answers again
        Transition("reopen", gettext_lazy("退回重办"), {AS.ANSWERED}, AS.ACCEPTED, DESK),
        # the desk takes the ticket away from the unit (转派, 改派 after 退单, 并单)
        Transition("withdraw", gettext_lazy("撤回"), set(TicketAssignment.ACTIVE), AS.WITHDRAWN, DESK),
    ],
)

# --- the closed loop of a 差评 -----------------------------------------------------------------
# Fired inside the ticket's 反馈整改情况 and 回访 (whose guards check the unit and the order).

RS = Rectification.State

RECTIFICATION = StateMachine(
    name="desk.rectification",
    model=Rectification,
    field="state",
    states=[State(s.value, s.label, terminal=s == RS.CLOSED) for s in RS],
    transitions=[
        Transition("rectify", gettext_lazy("反馈整改情况"), {RS.OPEN}, RS.RECTIFIED, LIAISON | DESK),
        Transition("revisit", gettext_lazy("回访"), {RS.RECTIFIED}, RS.CLOSED, DESK),
    ],
)

# What a transition needs besides the note, so pages and the API ask for exactly that.
TRANSITION_INPUTS: dict[str, tuple[str, ...]] = {
    "dispatch": ("unit", "co_units"),
    "reassign": ("unit",),
    "co_assign": ("co_units",),
    "merge": ("target_number",),
    "request_extension": ("days",),
    "revisit": ("outcome",),
}

# Transitions whose note may carry attachments (the same checks as the public intake); a file on an
# internal note stays internal, one on a public reply or answer is shown to the requester.
ATTACHABLE = frozenset({"reply", "comment", "answer", "answer_directly", "co_answer"})

# Transitions shown with a warning colour in the UI.
CAUTION = {
    "return",
    "co_return",
    "reassign",
    "merge",
    "suspend",
    "reject_extension",
    "reopen",
    "exclude_rating",
    "supervise",
}
