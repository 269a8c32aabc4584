"""Reads shared by the pages, the API and the services, scoped by the actor.

Staff see the activities of their jurisdiction; a unit liaison only those their unit
co-organises (or they created); a carrier operator only those hosted or held at a carrier
their unit operates (or they created). Anything else is "not found". The public sees every
activity that is not a draft. Split by entity:

- ``activities``     activities for staff and for the public, their filters and choices
- ``registrations``  registrations, check-in search, seats taken, the waiting list and its ranks
- ``consultations``  consultations raised at an activity (desk tickets; none without the desk)
- ``figures``        an activity's figures and figures by carrier, type or month
- ``jobs``           job postings and jobs created
- ``mentoring``      mentoring requests and sessions; mentors proposed for a request
- ``competitions``   judges' assignments, scores, progress and ranking

The names below are the package's surface: ``from chuangfu.activities import selectors`` then
``selectors.activity_list(...)``.
"""

from .activities import (
    RS,
    ActivityFilters,
    PublicFilters,
    activities_for,
    activity_list,
    can_manage,
    carriers_for,
    get_activity_for,
    get_public_activity,
    public_activities,
    public_filter_choices,
    public_upcoming_at_carrier,
    staff_users_for,
)
from .competitions import (
    assignments_of_judge,
    competition_ranking,
    entries_progress,
    get_assignment_of_judge,
    own_scores,
)
from .consultations import (
    DESK_APP,
    activity_consultations,
    consultation_categories,
    consultation_counts,
    desk_available,
)
from .figures import FIGURE_DIMENSIONS, activity_figures, figures_by
from .jobs import (
    JOBS_DIMENSIONS,
    get_job_posting_for,
    get_public_job_posting,
    job_postings_for,
    jobs_created,
    public_job_postings,
)
from .mentoring import (
    Proposal,
    get_mentoring_request_for,
    get_mentoring_session_for,
    get_own_session,
    mentor_proposals,
    mentoring_requests_for,
    mentoring_requests_of_user,
    mentoring_sessions_for,
)
from .registrations import (
    checkin_search,
    get_registration_by_key,
    get_registration_for,
    registrations_of,
    registrations_of_user,
    seats_taken,
    waitlist,
    waitlist_rank,
)
