"""Reads shared by the pages and the API, scoped by the actor.

The office (role ``leader``) and the admin see their jurisdiction's bodies, meetings and tasks; a
unit liaison sees the bodies of their town and the tasks their unit leads or co-handles. Anything
outside is "not found". Split by entity:

- ``bodies``    bodies, their terms and members
- ``tasks``     plans, plan items, tasks, evidence, reports, history, what needs a decision, plan documents
- ``ledger``    the task ledger (工作台账): filters, choices, rows and the ledger page's read in plain SQL
- ``rollup``    a plan's roll-up by unit and weight; the public progress
- ``meetings``  meeting series, meetings, agenda items, minutes, attendance and decisions

The names below are the package's surface: ``from chuangfu.governance import selectors`` then
``selectors.ledger(...)``.
"""

from .bodies import bodies_for, current_members, get_body_for, get_member_for, get_term_for, terms_of
from .ledger import (
    LedgerFilters,
    LedgerPage,
    LedgerRow,
    ledger,
    ledger_choices,
    ledger_rows,
    task_percent,
    with_progress,
)
from .meetings import (
    attendance_sheet,
    decisions_for,
    decisions_of,
    get_agenda_item_for,
    get_meeting_for,
    get_minutes_for,
    get_series_for,
    meeting_members,
    meetings_for,
    series_for,
)
from .rollup import PublicPlan, Rollup, UnitFigure, UnitRef, plan_rollup, public_progress
from .tasks import (
    documents_of,
    get_document_for,
    get_evidence_for,
    get_plan_for,
    get_plan_ref_for,
    get_task_for,
    needs_decision,
    plan_items_for,
    plans_for,
    reports_of,
    task_history,
    tasks_for,
    timeline,
    unit_task_ids,
)
