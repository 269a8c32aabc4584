"""Who does what in governance. The leadership group and its office act under the role
``leader`` (DESIGN.md), the admin too; a unit's liaison (``unit_liaison`` with a unit) works on
their own unit's tasks and agenda items. Everyone else on the staff sees nothing here."""

from chuangfu.core.models import Role
from chuangfu.core.roles import ANYONE, operation, page

OFFICE_ROLES = frozenset({Role.LEADER, Role.ADMIN})
UNIT_ROLES = frozenset({Role.UNIT_LIAISON})
GOVERNANCE_ROLES = OFFICE_ROLES | UNIT_ROLES


def _authenticated(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def is_office(actor) -> bool:
    return _authenticated(actor) and (actor.is_superuser or actor.role in OFFICE_ROLES)


def is_unit_liaison(actor) -> bool:
    return _authenticated(actor) and not actor.is_superuser and actor.role in UNIT_ROLES and actor.unit_id is not None


def can_use(actor) -> bool:
    return is_office(actor) or is_unit_liaison(actor)


# --- the role table's rows (``chuangfu.core.roles``) ----------------------------------------------

ROWS = [
    *(
        page(f"governance:{name}", GOVERNANCE_ROLES)
        for name in (
            "ledger",
            "ledger_export",
            "plans",
            "plan",
            "task",
            "report_submit",
            "task_transition",
            "evidence",
            "meetings",
            "meeting",
            "agenda_item_submit",
            "minutes",
            "bodies",
            "body",
            "document",
            "document_acknowledge",
            "plan_items",
            "plan_item_add",
        )
    ),
    *(
        page(f"governance:{name}", OFFICE_ROLES)
        for name in (
            "decisions",
            "plan_create",
            "task_create",
            "milestone_add",
            "meeting_transition",
            "agenda_item_decide",
            "attendance",
            "minutes_save",
            "minutes_transition",
            "decision_create",
            "briefing",
            "term_add",
            "member_add",
            "member_end",
            "member_replace",
            "document_publish",
            "plan_item_import",
            "task_public",
            "agenda_item_move",
        )
    ),
    # The work plan's progress, public: only the tasks the office has made public (issue 15).
    page(
        "progress:plans",
        ANYONE,
        why="the public work-plan progress shows only tasks marked public",
        every_town="the tasks each town has made public",
    ),
    operation("governance.task_list", GOVERNANCE_ROLES),
    operation("governance.task_detail", GOVERNANCE_ROLES),
    operation("governance.report_create", UNIT_ROLES, why="progress is reported by the units"),
    operation("governance.report_create_with_files", UNIT_ROLES),
    operation("governance.plan_rollup", GOVERNANCE_ROLES),
    operation("governance.decision_list", OFFICE_ROLES),
]
