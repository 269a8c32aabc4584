"""Governance (组织领导与工作协同): the bodies that run the work plan and their members.

Rows hold data and their own invariants only; every write goes through ``services``. Split by entity:

- ``bodies``  the leadership group, its office, the joint meeting, working groups; terms and members
- ``ledger``  the task ledger: plans, tasks, milestones, progress reports with evidence, 督办
- ``unit_plans`` the member units' own annual plan items, which overlay tasks build on; the plan
  document published to units and their acknowledgements (签收)
- ``meetings`` series, meetings, agenda items, attendance, minutes in versions, decisions (议定事项)

Import from this package (``from chuangfu.governance.models import Body``), not from the modules.
"""

from .bodies import POSITION_ORDER, Body, BodyKind, Membership, Position, Term
from .ledger import (
    CYCLE_DAYS,
    OPEN_STATUSES,
    RUNNING_STATUSES,
    Evidence,
    Milestone,
    Plan,
    ProgressReport,
    ReportCycle,
    Supervision,
    Task,
    TaskStatus,
)
from .meetings import (
    AgendaItem,
    AgendaStatus,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    SeriesKind,
)
from .unit_plans import Acknowledgement, PlanDocument, UnitPlanItem

__all__ = [
    "CYCLE_DAYS",
    "OPEN_STATUSES",
    "POSITION_ORDER",
    "RUNNING_STATUSES",
    "AgendaItem",
    "AgendaStatus",
    "Attendance",
    "AttendanceStatus",
    "Body",
    "BodyKind",
    "Decision",
    "Evidence",
    "Meeting",
    "MeetingSeries",
    "MeetingStatus",
    "Membership",
    "Milestone",
    "Minutes",
    "MinutesStatus",
    "Plan",
    "Position",
    "ProgressReport",
    "ReportCycle",
    "SeriesKind",
    "Supervision",
    "Task",
    "TaskStatus",
    "Term",
    "UnitPlanItem",
]
