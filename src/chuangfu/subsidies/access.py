"""Role-table rows of subsidies (see ``chuangfu.core.roles``).

Applicants (and desk staff applying for someone at the window) use the application pages. The
staff queue is the reviewers', the desk's (it takes applications in), the leadership's and the
administrator's. 公示, 拨付 and the reports show applicants' names and amounts: reviewers run them,
the leadership and the administrator read them; mentors, carrier operators and unit liaisons
have no part in them (issue 12.3). The published notices are public.
"""

from chuangfu.core.models import Role
from chuangfu.core.roles import ANYONE, operation, page

APPLICANTS = (Role.ENTREPRENEUR, Role.DESK_STAFF)
QUEUE = (Role.REVIEWER, Role.DESK_STAFF, Role.LEADER, Role.ADMIN)
RELEASE = (Role.REVIEWER, Role.LEADER, Role.ADMIN)
# Running 公示 and 拨付 (batches, publishing, payments) is the reviewers' own work.
REVIEWERS = (Role.REVIEWER,)
FORM_EDITORS = (Role.DESK_STAFF, Role.ADMIN)
# A recovery's amount is set by reviewers or the leadership; recover/waive is the leadership's.
DECIDERS = (Role.REVIEWER, Role.LEADER)
BENEFICIARIES = (Role.ENTREPRENEUR,)

_APPLICANT_PAGES = ["mine", "apply", "my_detail", "save", "upload", "remove", "submit", "withdraw"]
_NOTICE_PAGES = ["batch_list", "batch_detail", "batch_export", "objection_record"]
_NOTICE_ACTIONS = ["batch_create", "batch_publish", "batch_finalise", "batch_discard", "objection_resolve"]
_DISBURSEMENT_PAGES = ["home", "batch_detail", "batch_export", "payments"]
_DISBURSEMENT_ACTIONS = ["batch_create", "pay", "import_start", "import_status"]

# What applicants and the public read (core.scopes): an applicant's own applications, selected by
# the account (desk staff applying for someone keep their town's scope); published notices.
OWN = "the applicant's own applications"
PUBLISHED = "the public notices every town has published"

ROWS = [
    *(page(f"subsidies:{name}", APPLICANTS, own_records=OWN) for name in _APPLICANT_PAGES if name != "apply"),
    page(
        "subsidies:apply",
        APPLICANTS,
        scoped=False,
        why="any published policy open for applications",
        own_records=OWN,
    ),
    page(
        "subsidies:material",
        (*APPLICANTS, *QUEUE),
        why="the applicant's or the reviewing staff's file",
        own_records=OWN,
    ),
    page("subsidies:staff_queue", QUEUE),
    page("subsidies:staff_detail", QUEUE),
    page("subsidies:staff_act", QUEUE, why="the application's machine decides which transitions the role may fire"),
    page("subsidies:forms_list", FORM_EDITORS),
    page("subsidies:form_edit", FORM_EDITORS),
    *(page(f"notices:{name}", RELEASE) for name in _NOTICE_PAGES),
    *(page(f"notices:{name}", REVIEWERS) for name in _NOTICE_ACTIONS),
    *(page(f"disbursements:{name}", RELEASE) for name in _DISBURSEMENT_PAGES),
    *(page(f"disbursements:{name}", REVIEWERS) for name in _DISBURSEMENT_ACTIONS),
    # 免申即享: names and amounts like 公示; reviewers build and review, the leadership approves
    page("subsidies:entitlement_list", RELEASE),
    page("subsidies:entitlement_detail", RELEASE),
    page("subsidies:entitlement_build", REVIEWERS),
    page("subsidies:entitlement_line", REVIEWERS),
    page(
        "subsidies:entitlement_act",
        (Role.REVIEWER, Role.LEADER),
        why="the batch's machine decides which transitions the role may fire",
    ),
    page("subsidies:entitlement_cycle", FORM_EDITORS),
    page("subsidy_reports:figures", RELEASE),
    page("subsidy_reports:applications", RELEASE, why="names and amounts, with the .xlsx export"),
    # life after payment: obligations (the queue's roles; desk staff hand in a report at the window)
    # and recoveries (names and amounts owed, like 拨付); reviewers check and record repayments, the
    # leadership decides (the machine says who fires what); the beneficiary reads their own and
    # submits their report
    *(page(f"aftercare:{name}", QUEUE) for name in ("obligations", "obligation")),
    page(
        "aftercare:report_on_behalf", (Role.DESK_STAFF,), why="desk staff hand in a beneficiary's report at the window"
    ),
    *(page(f"aftercare:{name}", RELEASE) for name in ("recoveries", "recovery")),
    page("aftercare:obligation_check", REVIEWERS),
    page("aftercare:obligation_mark", REVIEWERS, why="the obligation's machine decides which transitions may be fired"),
    page(
        "aftercare:obligation_correct",
        DECIDERS,
        why="a breach found wrong is corrected by a reviewer or the office before the recovery is decided",
    ),
    page("aftercare:recovery_act", DECIDERS, why="the recovery's machine decides which transitions the role may fire"),
    page("aftercare:repay", REVIEWERS),
    page("aftercare:terms", FORM_EDITORS),
    *(page(f"aftercare:{name}", BENEFICIARIES, own_records=OWN) for name in ("mine", "my_obligation", "report")),
    page("public_notices:list", ANYONE, every_town=PUBLISHED),
    page("public_notices:detail", ANYONE, every_town=PUBLISHED),
    operation("subsidies.mine", APPLICANTS, own_records=OWN),
    operation("subsidies.mine_detail", APPLICANTS, own_records=OWN),
    operation("subsidies.application_list", QUEUE),
    operation("subsidies.application_detail", QUEUE),
    operation("subsidies.application_fire", QUEUE),
    operation("subsidies.public_notices", ANYONE, every_town=PUBLISHED),
    operation("subsidies.public_objection", ANYONE, every_town=PUBLISHED),
    operation("subsidies.notice_list", RELEASE),
    operation("subsidies.notice_detail", RELEASE),
    operation("subsidies.notice_finalise", REVIEWERS),
    operation("subsidies.disbursement_list", RELEASE),
    operation("subsidies.entitlement_list", RELEASE),
    operation("subsidies.entitlement_detail", RELEASE),
    # life after payment, read as its pages are: obligations by the queue's roles, recoveries by 公示's
    operation("subsidies.obligation_list", QUEUE),
    operation("subsidies.obligation_detail", QUEUE),
    operation("subsidies.recovery_list", RELEASE),
    operation("subsidies.recovery_detail", RELEASE),
    # ... and written as its pages write: the same roles as the pages' rows above
    operation("subsidies.obligation_check", REVIEWERS),
    operation("subsidies.obligation_mark", REVIEWERS, why="a reviewer's decision by hand, with the reason"),
    operation(
        "subsidies.obligation_correct",
        DECIDERS,
        why="a breach found wrong is corrected by a reviewer or the office before the recovery is decided",
    ),
    operation(
        "subsidies.obligation_report", (Role.DESK_STAFF,), why="desk staff hand in a beneficiary's report at the window"
    ),
    operation(
        "subsidies.recovery_act", DECIDERS, why="the recovery's machine decides which transitions the role may fire"
    ),
    operation("subsidies.repayment_record", REVIEWERS),
]
