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

ROWS = [
    *(page(f"activities:{name}", MANAGERS) for name in _MANAGED),
    page("activities:mentoring", STAFF, why="mentors see the requests they may take"),
    page("activities:mentoring_session", STAFF),
    page("activities:judging", STAFF, why="judges (often mentors) score the entries assigned to them"),
    page("activities:judging_score", STAFF),
    page("events:list", ANYONE),
    page("events:detail", ANYONE),
    page("events:register", ANYONE, why="a mobile proven by an SMS code"),
    page("events:send_code", ANYONE),
    page("events:ticket", ANYONE, why="the registration's key is the credential"),
    page("events:ticket_qr", ANYONE),
    page("events:ticket_ics", ANYONE),
    page("events:ticket_cancel", ANYONE),
    page("events:ticket_accept", ANYONE),
    page("events:feedback", ANYONE),
    page("events:jobs", ANYONE),
    page("events:job_interest", ANYONE),
    page("events:mine", SIGNED_IN),
    page("events:job_post", SIGNED_IN),
    page("events:mentoring", SIGNED_IN),
    page("events:mentoring_rate", SIGNED_IN),
    page("events:competition_enter", SIGNED_IN, scoped=False, why="a published competition is open to all"),
    operation("activities.public_list", ANYONE),
    operation("activities.activity_list", MANAGERS),
    operation("activities.figures", MANAGERS),
    operation("activities.activity_detail", MANAGERS),
    operation("activities.activity_transition", MANAGERS),
    operation("activities.registration_list", MANAGERS),
    operation("activities.checkin", MANAGERS),
    operation("activities.consultation_list", MANAGERS),
    operation("activities.consultation_create", MANAGERS),
]
