"""The machines of life after payment, declared as data (fired only through ``core.workflow.fire``).

Obligation (履约义务)::

    待履行 ─认定已履行→ 已履行          待履行 ─认定未履行→ 未履行 ─更正误判→ 待履行

  fired by the daily check (``SYSTEM``) from what it read, or by a reviewer of the town who checks
  by hand (with a reason: the service requires one from a person). 更正误判 (a reviewer or the
  office, with the reason) only while the grant's recovery waits for the decision: once the
  leadership has decided, the breach stands (a waiver is the way out).

Recovery (追回), opened by a breach::

    待决定 ─决定追回→ 追回中 ─追回完毕→ 已追回
    待决定 ─免予追回→ 免予追回
    待决定 ─误判撤销→ 误判撤销 ─再次立案→ 待决定
    待决定: 调整追回金额 (a reviewer or a leader, with the reason; no change of state)
    追回中: 登记还款 (a reviewer; no change of state until the amount is repaid)

  The decision (追回 or 免予追回) is the leadership's (领导小组 / 办公室), not the reviewer who recorded
  the amount; 追回完毕 is fired by the repayment that repays the last of the amount owed. 误判撤销
  is fired by the correction of the last breach the recovery stands on (a reviewer or the office,
  with the reason); 再次立案 by a later breach of the same grant (one recovery per application).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangfu.core.models import Role
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.core.workflow import SYSTEM, SYSTEM_ROLE, State, StateMachine, Transition, all_of

from .models import Obligation, ObligationStatus, Recovery, RecoveryStatus

REVIEWER = frozenset({Role.REVIEWER})
LEADER = frozenset({Role.LEADER})
OS = ObligationStatus
R = RecoveryStatus


def _in_scope(record, actor):
    if actor is SYSTEM:
        return None
    ids = visible_jurisdiction_ids(actor)
    if ids is not None and record.jurisdiction_id not in ids:
        return _("该记录不在您的管辖范围内。")
    return None


def _recovery_undecided(obligation, actor):
    recovery = Recovery.objects.filter(application_id=obligation.application_id).first()
    if recovery is not None and recovery.status not in (R.OPEN, R.ANNULLED):
        return _("追回 %(number)s 已决定为“%(state)s”，误判只能在追回决定前更正。") % {
            "number": recovery.number,
            "state": recovery.get_status_display(),
        }
    return None


def _owed_nothing(recovery, actor):
    if recovery.outstanding > 0:
        return _("尚欠 %(amount)s 元，还清后才能办结追回。") % {"amount": recovery.outstanding}
    return None


OBLIGATION = StateMachine(
    name="subsidies.obligation",
    model=Obligation,
    states=[State(s.value, s.label, terminal=s == OS.MET) for s in ObligationStatus],
    transitions=[
        Transition(
            "meet",
            gettext_lazy("认定已履行"),
            {OS.PENDING},
            OS.MET,
            REVIEWER | {SYSTEM_ROLE},
            public=True,
            guard=_in_scope,
        ),
        Transition(
            "breach",
            gettext_lazy("认定未履行"),
            {OS.PENDING},
            OS.BREACHED,
            REVIEWER | {SYSTEM_ROLE},
            public=True,
            guard=_in_scope,
        ),
        Transition(
            "reopen",
            gettext_lazy("更正误判"),
            {OS.BREACHED},
            OS.PENDING,
            REVIEWER | LEADER,
            public=True,
            note_required=True,
            guard=all_of(_in_scope, _recovery_undecided),
        ),
    ],
)

RECOVERY = StateMachine(
    name="subsidies.recovery",
    model=Recovery,
    timeline=True,
    note_required_message=gettext_lazy("“%(action)s”需要填写理由。"),
    states=[State(s.value, s.label, terminal=s in (R.SETTLED, R.WAIVED)) for s in RecoveryStatus],
    transitions=[
        Transition(
            "set_amount",
            gettext_lazy("调整追回金额"),
            {R.OPEN},
            None,
            REVIEWER | LEADER,
            note_required=True,
            guard=_in_scope,
        ),
        Transition("recover", gettext_lazy("决定追回"), {R.OPEN}, R.RECOVERING, LEADER, public=True, guard=_in_scope),
        Transition(
            "waive",
            gettext_lazy("免予追回"),
            {R.OPEN},
            R.WAIVED,
            LEADER,
            public=True,
            note_required=True,
            guard=_in_scope,
        ),
        Transition(
            "annul",
            gettext_lazy("误判撤销"),
            {R.OPEN},
            R.ANNULLED,
            REVIEWER | LEADER,
            public=True,
            note_required=True,
            guard=_in_scope,
        ),
        Transition(
            "reopen",
            gettext_lazy("再次立案"),
            {R.ANNULLED},
            R.OPEN,
            REVIEWER | {SYSTEM_ROLE},
            public=True,
            guard=_in_scope,
        ),
        Transition("repay", gettext_lazy("登记还款"), {R.RECOVERING}, None, REVIEWER, public=True, guard=_in_scope),
        Transition(
            "settle",
            gettext_lazy("追回完毕"),
            {R.RECOVERING},
            R.SETTLED,
            REVIEWER | {SYSTEM_ROLE},
            public=True,
            guard=all_of(_in_scope, _owed_nothing),
        ),
    ],
)

# Transitions the recovery page shows as buttons with a note (the rest have their own forms or are
# fired by the services).
RECOVERY_DECISIONS = ("recover", "waive")
