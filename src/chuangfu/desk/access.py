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

# What the public pages read (core.scopes): the categories of the town the requester chooses;
# one ticket by its number with the requester's mobile, or by the token of its link; a
# requester's own tickets, selected by the account.
TOWN_CHOSEN = "a request to the town the requester chooses, with that town's categories"
BY_NUMBER = "one ticket, found by its number and the requester's mobile or its link's token"
OWN = "the account's own requests"

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
    page("service:submit", ANYONE, every_town=TOWN_CHOSEN),
    page("service:done", ANYONE, every_town=BY_NUMBER),
    page("service:lookup", ANYONE, every_town=BY_NUMBER),
    page("service:rate", ANYONE, why="the link in the text message carries its own token", every_town=BY_NUMBER),
    page("service:attachment", ANYONE, why="the link carries its own token", every_town=BY_NUMBER),
    page("service:mine", SIGNED_IN, own_records=OWN),
    page("service:mine_detail", SIGNED_IN, own_records=OWN),
    operation("desk.public_categories", ANYONE, every_town=TOWN_CHOSEN),
    operation("desk.public_create", ANYONE, every_town=TOWN_CHOSEN),
    operation("desk.public_create_with_files", ANYONE, every_town=TOWN_CHOSEN),
    operation("desk.public_status", ANYONE, every_town=BY_NUMBER),
    operation("desk.ticket_list", DESK),
    operation("desk.ticket_detail", DESK),
    operation("desk.ticket_transitions", DESK),
    operation("desk.ticket_fire", DESK),
]
