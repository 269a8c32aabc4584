"""The state machines of the governance app, declared once.

``TASK`` (工作台账的任务): 未启动 → 推进中 → 待销号 → 已销号, with 延期 (a unit asks, a leader approves;
the due date moves and the task reads 已延期) and 暂缓 (a leader pauses it, then resumes it). 督办 is
a recorded action that keeps the state. The lead unit's liaison starts, reports, asks for an
extension and asks to close; the office (role ``leader``) decides. Asking to close needs evidence
on file: 销号 is the office's review of it.

``MEETING``: 已安排 → 征集议题 (units are called for agenda items until the cut-off) → 议程已定 (the
members are sent the notice) → 已召开; 已取消 before it is held. ``AGENDA_ITEM``: 已提交 → 已列入议程 or
未列入. ``MINUTES``: 草稿 → 已审定 → 已印发 (numbered); nothing leaves 已印发: a change is a new version.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangfu.core.models import Role
from chuangfu.core.workflow import State, StateMachine, Transition

from .access import OFFICE_ROLES
from .models import AgendaItem, AgendaStatus, Evidence, Meeting, MeetingStatus, Minutes, MinutesStatus, Task, TaskStatus

S = TaskStatus
UNIT = frozenset({Role.UNIT_LIAISON})
OFFICE = OFFICE_ROLES
RUNNING = {S.NOT_STARTED, S.IN_PROGRESS, S.POSTPONED}


def lead_unit_only(task, actor):
    """A unit liaison acts only on the tasks their unit leads; the office on every task it sees."""
    if actor.role == Role.UNIT_LIAISON and actor.unit_id != task.lead_unit_id:
        return _("只有牵头单位可以执行此操作。")
    return None


def has_evidence(task, actor):
    refusal = lead_unit_only(task, actor)
    if refusal:
        return refusal
    if not Evidence.objects.filter(report__task=task).exists():
        return _("申请销号前，请先在进展报告中上传佐证材料。")
    return None


def extension_pending(task, actor):
    return None if task.extension_until else _("没有待审批的延期申请。")


def no_extension_pending(task, actor):
    refusal = lead_unit_only(task, actor)
    if refusal:
        return refusal
    return _("已有待审批的延期申请。") if task.extension_until else None


TASK = StateMachine(
    name="governance.task",
    model=Task,
    states=[
        State(S.NOT_STARTED, gettext_lazy("未启动")),
        State(S.IN_PROGRESS, gettext_lazy("推进中")),
        State(S.PENDING_CLOSE, gettext_lazy("待销号")),
        State(S.CLOSED, gettext_lazy("已销号"), terminal=True),
        State(S.POSTPONED, gettext_lazy("已延期")),
        State(S.SUSPENDED, gettext_lazy("暂缓")),
    ],
    transitions=[
        Transition("start", gettext_lazy("启动"), {S.NOT_STARTED}, S.IN_PROGRESS, UNIT | OFFICE, guard=lead_unit_only),
        Transition(
            "request_close",
            gettext_lazy("申请销号"),
            {S.IN_PROGRESS, S.POSTPONED},
            S.PENDING_CLOSE,
            UNIT | OFFICE,
            guard=has_evidence,
        ),
        Transition("approve_close", gettext_lazy("同意销号"), {S.PENDING_CLOSE}, S.CLOSED, OFFICE),
        Transition(
            "reject_close", gettext_lazy("退回销号"), {S.PENDING_CLOSE}, S.IN_PROGRESS, OFFICE, note_required=True
        ),
        Transition(
            "request_extension",
            gettext_lazy("申请延期"),
            RUNNING,
            None,
            UNIT | OFFICE,
            note_required=True,
            guard=no_extension_pending,
        ),
        Transition(
            "approve_extension", gettext_lazy("批准延期"), RUNNING, S.POSTPONED, OFFICE, guard=extension_pending
        ),
        Transition(
            "reject_extension",
            gettext_lazy("不予延期"),
            RUNNING,
            None,
            OFFICE,
            note_required=True,
            guard=extension_pending,
        ),
        Transition("suspend", gettext_lazy("暂缓"), RUNNING, S.SUSPENDED, OFFICE, note_required=True),
        Transition("resume", gettext_lazy("恢复推进"), {S.SUSPENDED}, S.IN_PROGRESS, OFFICE),
        Transition("supervise", gettext_lazy("督办"), {*RUNNING, S.PENDING_CLOSE}, None, OFFICE, note_required=True),
    ],
)

# Transitions with a page form of their own (an extra field, or a record besides the audit entry).
FORM_TRANSITIONS = frozenset({"request_extension", "supervise"})

M = MeetingStatus
MEETING = StateMachine(
    name="governance.meeting",
    model=Meeting,
    states=[
        State(M.PLANNED, gettext_lazy("已安排")),
        State(M.CALLING, gettext_lazy("征集议题")),
        State(M.AGENDA_SET, gettext_lazy("议程已定")),
        State(M.HELD, gettext_lazy("已召开"), terminal=True),
        State(M.CANCELLED, gettext_lazy("已取消"), terminal=True),
    ],
    transitions=[
        Transition("call_agenda", gettext_lazy("征集议题"), {M.PLANNED}, M.CALLING, OFFICE),
        Transition("set_agenda", gettext_lazy("确定议程并发通知"), {M.PLANNED, M.CALLING}, M.AGENDA_SET, OFFICE),
        Transition("hold", gettext_lazy("会议已召开"), {M.AGENDA_SET}, M.HELD, OFFICE),
        Transition(
            "cancel",
            gettext_lazy("取消会议"),
            {M.PLANNED, M.CALLING, M.AGENDA_SET},
            M.CANCELLED,
            OFFICE,
            note_required=True,
        ),
    ],
)

A = AgendaStatus
AGENDA_ITEM = StateMachine(
    name="governance.agenda_item",
    model=AgendaItem,
    states=[
        State(A.SUBMITTED, gettext_lazy("已提交")),
        State(A.ACCEPTED, gettext_lazy("已列入议程")),
        State(A.DECLINED, gettext_lazy("未列入")),
    ],
    transitions=[
        Transition("accept", gettext_lazy("列入议程"), {A.SUBMITTED, A.DECLINED}, A.ACCEPTED, OFFICE),
        Transition("decline", gettext_lazy("不列入"), {A.SUBMITTED, A.ACCEPTED}, A.DECLINED, OFFICE),
    ],
)

N = MinutesStatus
MINUTES = StateMachine(
    name="governance.minutes",
    model=Minutes,
    states=[
        State(N.DRAFT, gettext_lazy("草稿")),
        State(N.APPROVED, gettext_lazy("已审定")),
        State(N.ISSUED, gettext_lazy("已印发"), terminal=True),
    ],
    transitions=[
        Transition("approve", gettext_lazy("审定"), {N.DRAFT}, N.APPROVED, OFFICE),
        Transition("reopen", gettext_lazy("退回修改"), {N.APPROVED}, N.DRAFT, OFFICE, note_required=True),
        Transition("issue", gettext_lazy("印发"), {N.APPROVED}, N.ISSUED, OFFICE),
    ],
)
