"""Role-table rows of the ecosystem app (see ``chuangfu.core.roles``).

The carrier network and the visits (走访) are the town office's (desk, leadership, administrator)
and each carrier's operator's (its own carriers: they propose changes the town reviews, and see
the visits to them); the 15-minute circle map is public.
"""

from chuangfu.core.models import Role
from chuangfu.core.roles import ANYONE, operation, page

from .workflows import CARRIER_REVIEWER_ROLES, OFFICE_ROLES

USERS = (*OFFICE_ROLES, Role.CARRIER_OPERATOR)

# The public map and directory read published carriers of every town (core.scopes).
PUBLISHED = "published carriers of every town and their sites"

ROWS = [
    page("ecosystem:carrier_list", USERS),
    page("ecosystem:carrier_detail", USERS),
    page("ecosystem:carrier_propose", USERS),
    page("ecosystem:change_list", USERS),
    page("ecosystem:change_detail", USERS),
    page("ecosystem:change_transition", USERS, why="the change's machine decides who may decide"),
    page(
        "ecosystem:carrier_site",
        CARRIER_REVIEWER_ROLES,
        why="the registry's carrier editors; an operator proposes a change",
    ),
    page("ecosystem:carrier_photo", CARRIER_REVIEWER_ROLES),
    page("ecosystem:coverage", OFFICE_ROLES),
    page("ecosystem:visit_list", USERS, why="an operator sees the visits to its own carriers"),
    page("ecosystem:visit_detail", USERS),
    page("ecosystem:visit_plan", OFFICE_ROLES),
    page("ecosystem:visit_record", OFFICE_ROLES),
    page("ecosystem:visit_cancel", OFFICE_ROLES),
    page("ecosystem:problem_ticket", OFFICE_ROLES),
    page(
        "ecosystem:problem_send",
        Role.LEADER,
        Role.ADMIN,
        why="the one destination (governance's ledger) takes tasks from the leadership office; desk staff open a ticket",
    ),
    page("ecosystem:incubation_admit", USERS, why="an operator admits enterprises to its own carriers"),
    page("ecosystem:quarterly_import", USERS),
    page("ecosystem:quarterly_import_status", USERS, why="the uploader follows the import of their own carrier"),
    page("ecosystem:incubation_detail", USERS),
    page("ecosystem:incubation_step", USERS),
    page("ecosystem:incubation_figures", OFFICE_ROLES),
    page("ecosystem:resource_list", OFFICE_ROLES),
    page("ecosystem:resource_toggle", OFFICE_ROLES),
    page("ecosystem:need_list", OFFICE_ROLES),
    page("ecosystem:need_detail", OFFICE_ROLES),
    page("ecosystem:linkage_create", OFFICE_ROLES),
    page("ecosystem:linkage_outcome", OFFICE_ROLES),
    page("ecosystem:linkage_figures", OFFICE_ROLES),
    page("ecosystem:case_list", OFFICE_ROLES),
    page("ecosystem:case_detail", OFFICE_ROLES),
    page("ecosystem:followup_plan", OFFICE_ROLES),
    page("ecosystem:followup_done", OFFICE_ROLES),
    page("ecosystem:export_carriers", USERS),
    page("ecosystem:export_visits", USERS),
    page("ecosystem:export_linkages", OFFICE_ROLES),
    # Industry focus (issue 14.5): the town's chains, innovation scores and nominations are the office's.
    page("ecosystem:export_chain", OFFICE_ROLES),
    page("ecosystem:export_nominations", OFFICE_ROLES),
    page("ecosystem:chain_overview", OFFICE_ROLES),
    page("ecosystem:chain_segment", OFFICE_ROLES),
    page("ecosystem:chain_segment_delete", OFFICE_ROLES),
    page("ecosystem:chain_tag", OFFICE_ROLES),
    page("ecosystem:chain_untag", OFFICE_ROLES),
    page("ecosystem:innovation_overview", OFFICE_ROLES),
    page("ecosystem:enterprise_innovation", OFFICE_ROLES),
    page("ecosystem:nomination_detail", OFFICE_ROLES),
    page("ecosystem:nomination_step", OFFICE_ROLES, why="the nomination's machine decides which step"),
    page("ecosystem:export_cases", OFFICE_ROLES),
    page("nearby:nearby", ANYONE, every_town=PUBLISHED),
    page("nearby:directory", ANYONE, why="the public directory of published carriers", every_town=PUBLISHED),
    page(
        "nearby:carrier",
        ANYONE,
        scoped=False,
        why="a published carrier is public, whichever town",
        every_town=PUBLISHED,
    ),
    operation("ecosystem.nearby", ANYONE, every_town=PUBLISHED),
    operation("ecosystem.carrier_list", USERS),
    operation("ecosystem.visit_list", USERS),
    operation("ecosystem.incubation_list", USERS),
    operation("ecosystem.quarterly_report", USERS),
    operation(
        "ecosystem.coverage", OFFICE_ROLES, scoped=False, why="a town outside the account's is refused as input (422)"
    ),
    operation("ecosystem.chain_tree", OFFICE_ROLES),
    operation("ecosystem.segment_enterprises", OFFICE_ROLES),
    operation("ecosystem.enterprise_innovation", OFFICE_ROLES),
    operation("ecosystem.nomination_list", OFFICE_ROLES),
    operation("ecosystem.resource_list", OFFICE_ROLES),
    operation("ecosystem.need_matches", OFFICE_ROLES),
    operation("ecosystem.linkage_create", OFFICE_ROLES),
    operation("ecosystem.linkage_outcome", OFFICE_ROLES),
    operation("ecosystem.linkage_counts", OFFICE_ROLES),
    operation("ecosystem.case_figures", OFFICE_ROLES),
]
