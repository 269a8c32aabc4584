"""Role-table rows of activities, jobs, mentoring and competitions (see ``chuangfu.core.roles``).

Activities are run by the desk, the units, the carriers' operators, the leadership and the
administrator (the selectors narrow a unit or an operator to its own). Mentoring requests and
competition judging are also open to mentors (as mentors and judges). The public pages are open
to anyone; what a person does as themself (their registrations, a job posting, a mentoring
request, a competition entry) needs an account.
"""

from chuangfu.core.roles import ANYONE, SIGNED_IN, STAFF, operation, page

from .workflows import MANAGER_ROLES as MANAGERS

_MANAGED = [
    "list",
    "create",
    "figures",
    "detail",
    "edit",
    "transition",
    "clone",
    "series",
    "question_add",
    "question_remove",
    "registration_add",
    "registration_action",
    "consultation_add",
    "summary",
    "photo_add",
    "export",
    "checkin",
    "checkin_scan",
    "checkin_search",
    "checkin_walk_in",
    "checkin_consultation",
    "checkin_mark",
    "jobs",
    "job_create",
    "job_detail",
    "job_hire",
    "job_close",
    "mentoring_detail",
    "mentoring_book",
    "competition",
    "criterion_add",
    "entry_add",
    "judges_assign",
    "entry_nominate",
    "scoring_close",
    "competition_export",
]

# What the public pages read (core.scopes): published activities and job postings of every town;
# a registration's own pages by the key in their link; a resident's own registrations, requests
# for mentoring and job postings, selected by the account.
PUBLISHED = "published activities and job postings of every town"
BY_KEY = "one registration, found by the key its link carries"
OWN = "the account's own registrations, mentoring requests and postings"

ROWS = [
    *(page(f"activities:{name}", MANAGERS) for name in _MANAGED),
    page("activities:mentoring", STAFF, why="mentors see the requests they may take"),
    page("activities:mentoring_session", STAFF),
    page("activities:judging", STAFF, why="judges (often mentors) score the entries assigned to them"),
    page("activities:judging_score", STAFF),
    page("events:list", ANYONE, every_town=PUBLISHED),
    page("events:detail", ANYONE, every_town=PUBLISHED),
    page("events:register", ANYONE, why="a mobile proven by an SMS code", every_town=PUBLISHED),
    page("events:send_code", ANYONE, every_town=PUBLISHED),
    page("events:ticket", ANYONE, why="the registration's key is the credential", every_town=BY_KEY),
    page("events:ticket_qr", ANYONE, every_town=BY_KEY),
    page("events:ticket_ics", ANYONE, every_town=BY_KEY),
    page("events:ticket_cancel", ANYONE, every_town=BY_KEY),
    page("events:ticket_accept", ANYONE, every_town=BY_KEY),
    page("events:feedback", ANYONE, every_town=BY_KEY),
    page("events:jobs", ANYONE, every_town=PUBLISHED),
    page("events:job_interest", ANYONE, every_town=PUBLISHED),
    page("events:mine", SIGNED_IN, own_records=OWN),
    page("events:job_post", SIGNED_IN, own_records=OWN),
    page("events:mentoring", SIGNED_IN, own_records=OWN),
    page("events:mentoring_rate", SIGNED_IN, own_records=OWN),
    page(
        "events:competition_enter",
        SIGNED_IN,
        scoped=False,
        why="a published competition is open to all",
        every_town=PUBLISHED,
    ),
    operation("activities.public_list", ANYONE, every_town=PUBLISHED),
    operation("activities.activity_list", MANAGERS),
    operation("activities.figures", MANAGERS),
    operation("activities.activity_detail", MANAGERS),
    operation("activities.activity_transition", MANAGERS),
    operation("activities.registration_list", MANAGERS),
    operation("activities.checkin", MANAGERS),
    operation("activities.consultation_list", MANAGERS),
    operation("activities.consultation_create", MANAGERS),
]
