"""Role-table rows of the service desk (see ``chuangfu.core.roles``).

Staff pages: the desk, the units' liaisons (their units' tickets), the leadership and the
administrator. Requests are taken in by desk staff only. The public pages are open to anyone;
a requester's own list needs an account.
"""

from chuangfu.core.models import Role
from chuangfu.core.roles import ANYONE, SIGNED_IN, operation, page

DESK = (Role.DESK_STAFF, Role.UNIT_LIAISON, Role.LEADER, Role.ADMIN)
INTAKE = (Role.DESK_STAFF,)
REVEAL = (Role.DESK_STAFF, Role.ADMIN)

ROWS = [
    page("desk:queue", DESK),
    page("desk:export", DESK),
    page("desk:bulk_dispatch", DESK),
    page("desk:intake", INTAKE),
    page("desk:intake_suggest", INTAKE),
    page("desk:figures", DESK),
    page("desk:ticket_detail", DESK),
    page("desk:ticket_act", DESK, why="the ticket's machine decides which transitions the role may fire"),
    page("desk:reveal_mobile", REVEAL, why="a full view of the requester's mobile, audited"),
    page("desk:attachment", DESK),
    page("service:submit", ANYONE),
    page("service:done", ANYONE),
    page("service:lookup", ANYONE),
    page("service:rate", ANYONE, why="the link in the text message carries its own token"),
    page("service:attachment", ANYONE, why="the link carries its own token"),
    page("service:mine", SIGNED_IN),
    page("service:mine_detail", SIGNED_IN),
    operation("desk.public_categories", ANYONE),
    operation("desk.public_create", ANYONE),
    operation("desk.public_create_with_files", ANYONE),
    operation("desk.public_status", ANYONE),
    operation("desk.ticket_list", DESK),
    operation("desk.ticket_detail", DESK),
    operation("desk.ticket_transitions", DESK),
    operation("desk.ticket_fire", DESK),
]
