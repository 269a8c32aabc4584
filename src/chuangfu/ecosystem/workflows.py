"""The ecosystem's state machines, declared once as data (``core.workflow``)."""

from django.utils.translation import gettext_lazy as _

from chuangfu.core.models import Role
from chuangfu.core.workflow import State, StateMachine, Transition

from .models import (
    CarrierChange,
    CarrierChangeStatus,
    Incubation,
    IncubationStatus,
    Linkage,
    LinkageStatus,
    Nomination,
    NominationStatus,
    Visit,
    VisitStatus,
)

# The town's office: who reviews carriers' changes, plans visits, links resources and keeps case files.
OFFICE_ROLES = frozenset({Role.DESK_STAFF, Role.LEADER, Role.ADMIN})
# Who may change the registry's carrier rows (the registry's own editors).
CARRIER_REVIEWER_ROLES = frozenset({Role.DESK_STAFF, Role.ADMIN})


def _own_carrier(change, actor):
    if actor.is_superuser or actor.role != Role.CARRIER_OPERATOR:
        return None
    if actor.unit_id is None or change.carrier.operator_unit_id != actor.unit_id:
        return _("只能撤回本载体的变更申请。")
    return None


CARRIER_CHANGE = StateMachine(
    name="ecosystem.carrier_change",
    model=CarrierChange,
    states=[State(code, label, terminal=code != "submitted") for code, label in CarrierChangeStatus.choices],
    transitions=[
        Transition("approve", _("通过并生效"), sources={"submitted"}, target="approved", roles=CARRIER_REVIEWER_ROLES),
        Transition(
            "reject",
            _("退回"),
            sources={"submitted"},
            target="rejected",
            roles=CARRIER_REVIEWER_ROLES,
            note_required=True,
        ),
        Transition(
            "withdraw",
            _("撤回"),
            sources={"submitted"},
            target="withdrawn",
            roles={Role.CARRIER_OPERATOR},
            guard=_own_carrier,
        ),
    ],
)


VISIT = StateMachine(
    name="ecosystem.visit",
    model=Visit,
    states=[State(code, label, terminal=code != "planned") for code, label in VisitStatus.choices],
    transitions=[
        Transition("record", _("记录走访"), sources={"planned"}, target="recorded", roles=OFFICE_ROLES),
        Transition(
            "cancel", _("取消"), sources={"planned"}, target="cancelled", roles=OFFICE_ROLES, note_required=True
        ),
    ],
)


LINKAGE = StateMachine(
    name="ecosystem.linkage",
    model=Linkage,
    states=[State(code, label, terminal=code != "pending") for code, label in LinkageStatus.choices],
    transitions=[
        Transition("meet", _("对接成功"), sources={"pending"}, target="met", roles=OFFICE_ROLES),
        Transition("fail", _("未成功"), sources={"pending"}, target="failed", roles=OFFICE_ROLES, note_required=True),
    ],
)


def _operator_of_carrier(incubation, actor):
    if actor.is_superuser or actor.role != Role.CARRIER_OPERATOR:
        return None
    if actor.unit_id is None or incubation.carrier.operator_unit_id != actor.unit_id:
        return _("只能处理本载体的在孵企业。")
    return None


INCUBATION_ROLES = OFFICE_ROLES | {Role.CARRIER_OPERATOR}
_LEAVE = {"admitted", "incubating"}
INCUBATION = StateMachine(
    name="ecosystem.incubation",
    model=Incubation,
    states=[
        State(code, label, terminal=code not in ("admitted", "incubating")) for code, label in IncubationStatus.choices
    ],
    transitions=[
        Transition(
            "start",
            _("开始在孵"),
            sources={"admitted"},
            target="incubating",
            roles=INCUBATION_ROLES,
            guard=_operator_of_carrier,
        ),
        Transition(
            "graduate",
            _("毕业"),
            sources={"incubating"},
            target="graduated",
            roles=INCUBATION_ROLES,
            guard=_operator_of_carrier,
        ),
        Transition(
            "move_out",
            _("迁出"),
            sources=_LEAVE,
            target="moved_out",
            roles=INCUBATION_ROLES,
            guard=_operator_of_carrier,
            note_required=True,
        ),
        Transition(
            "deregister",
            _("注销"),
            sources=_LEAVE,
            target="deregistered",
            roles=INCUBATION_ROLES,
            guard=_operator_of_carrier,
        ),
    ],
)


_RUNNING = {"nominated", "advanced", "finalist"}
# A nomination's later stages come back from the competition's organiser; the office records them.
NOMINATION = StateMachine(
    name="ecosystem.nomination",
    model=Nomination,
    states=[
        State(code, label, terminal=code in ("awarded", "eliminated", "withdrawn"))
        for code, label in NominationStatus.choices
    ],
    transitions=[
        Transition("advance", _("晋级复赛"), sources={"nominated"}, target="advanced", roles=OFFICE_ROLES),
        Transition("reach_final", _("进入决赛"), sources={"advanced"}, target="finalist", roles=OFFICE_ROLES),
        Transition("award", _("记录获奖"), sources={"advanced", "finalist"}, target="awarded", roles=OFFICE_ROLES),
        Transition(
            "eliminate", _("未晋级"), sources=_RUNNING, target="eliminated", roles=OFFICE_ROLES, note_required=True
        ),
        Transition(
            "withdraw", _("撤回推荐"), sources={"nominated"}, target="withdrawn", roles=OFFICE_ROLES, note_required=True
        ),
    ],
)
