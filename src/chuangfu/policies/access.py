"""Role-table rows of policies (see ``chuangfu.core.roles``).

Every staff role reads the town's policy library; every staff role but mentors its matches and rates; desk staff and
the administrator edit drafts and start a match; the desk, the leadership and the administrator
run 政策找人 outreach. The published library and the self-check are public.
"""

from chuangfu.core.models import Role
from chuangfu.core.roles import ANYONE, SIGNED_IN, STAFF, operation, page

from .permissions import EDITOR_ROLES as EDITORS
from .permissions import OUTREACH_ROLES as OUTREACH
from .permissions import VIEWER_ROLES as VIEWERS

# The public policy pages read published policies of every town and what they link to
# (application forms, activities) (core.scopes).
PUBLISHED = "published policies of every town and what they link to"
# Drafting a town's own policy: the office drafts and answers, the leadership approves, the member
# units' liaisons comment.
DRAFTING = EDITORS | {Role.LEADER, Role.UNIT_LIAISON}

ROWS = [
    page("policies:policy_list", STAFF, why="mentors read the library to advise; who matches is not shown to them"),
    page("policies:policy_detail", STAFF),
    page("policies:version_detail", STAFF),
    page("policies:match_list", VIEWERS),
    page("policies:outreach", VIEWERS, why="the page shows the campaigns; starting one needs an outreach role"),
    page("policies:campaign_detail", VIEWERS),
    page("policies:grants", VIEWERS),
    page("policies:rates", VIEWERS),
    page("policies:rates_policy", VIEWERS),
    page("policies:subject_panel", VIEWERS),
    page("policies:job_status", EDITORS, why="the job of the account that started the match"),
    page("policies:policy_create", EDITORS),
    page("policies:policy_edit", EDITORS),
    page("policies:policy_amend", EDITORS),
    page("policies:version_edit", EDITORS),
    page("policies:rule_edit", EDITORS),
    page("policies:version_publish", EDITORS),
    page("policies:case_create", EDITORS),
    page("policies:case_edit", EDITORS),
    page("policies:case_delete", EDITORS),
    page("policies:match_start", EDITORS),
    page("policies:outreach_export", OUTREACH),
    page("policies:contact_update", OUTREACH),
    page("policies:drafting", DRAFTING, why="the rounds of 征求意见 the account takes part in"),
    page("policies:consultation", DRAFTING, why="a liaison only for a round that asks its unit"),
    page("policies:consultation_start", EDITORS),
    page("policies:consultation_comment", {Role.UNIT_LIAISON}),
    page("policies:consultation_reply", {Role.UNIT_LIAISON}),
    page("policies:comment_respond", EDITORS),
    page("policies:version_revise", EDITORS),
    page("policies:version_approve", {Role.LEADER, Role.ADMIN}),
    page("policies:version_issue", EDITORS),
    page("policy:list", ANYONE, every_town=PUBLISHED),
    page("policy:detail", ANYONE, every_town=PUBLISHED),
    page("policy:version", ANYONE, every_town=PUBLISHED),
    page("policy:self_check", ANYONE, every_town=PUBLISHED),
    page("policy:self_check_mine", SIGNED_IN, own_records="the resident's own person and enterprise records"),
    operation("policies.list_policies", ANYONE, every_town=PUBLISHED),
    operation("policies.get_policy", ANYONE, every_town=PUBLISHED),
    operation("policies.check", ANYONE, every_town=PUBLISHED),
    operation("policies.subject_policies", VIEWERS),
    operation("policies.policy_matches", VIEWERS),
    operation("policies.policy_outreach", VIEWERS),
]
