"""Staff pages, mounted at /activities/."""

from django.urls import path

from .views import checkin, competitions, jobs, mentoring, staff

app_name = "activities"
urlpatterns = [
    path("", staff.activity_list, name="list"),
    path("new/", staff.activity_create, name="create"),
    path("figures/", staff.figures, name="figures"),
    path("<int:pk>/", staff.activity_detail, name="detail"),
    path("<int:pk>/edit/", staff.activity_edit, name="edit"),
    path("<int:pk>/transition/<slug:name>/", staff.activity_transition, name="transition"),
    path("<int:pk>/clone/", staff.activity_clone, name="clone"),
    path("<int:pk>/series/", staff.activity_series, name="series"),
    path("<int:pk>/questions/", staff.question_add, name="question_add"),
    path("<int:pk>/questions/<int:question_pk>/remove/", staff.question_remove, name="question_remove"),
    path("<int:pk>/registrations/add/", staff.registration_add, name="registration_add"),
    path(
        "<int:pk>/registrations/<int:registration_pk>/<slug:action>/",
        staff.registration_action,
        name="registration_action",
    ),
    path("<int:pk>/consultations/", staff.consultation_add, name="consultation_add"),
    path("<int:pk>/summary/", staff.activity_summary, name="summary"),
    path("<int:pk>/photos/", staff.photo_add, name="photo_add"),
    path("<int:pk>/export/<slug:kind>.xlsx", staff.activity_export, name="export"),
    path("<int:pk>/checkin/", checkin.checkin_page, name="checkin"),
    path("<int:pk>/checkin/scan/", checkin.checkin_scan, name="checkin_scan"),
    path("<int:pk>/checkin/search/", checkin.checkin_search, name="checkin_search"),
    path("<int:pk>/checkin/walk-in/", checkin.checkin_walk_in, name="checkin_walk_in"),
    path("<int:pk>/checkin/consultation/", checkin.checkin_consultation, name="checkin_consultation"),
    path("<int:pk>/checkin/<int:registration_pk>/", checkin.checkin_mark, name="checkin_mark"),
    path("jobs/", jobs.posting_list, name="jobs"),
    path("jobs/new/", jobs.posting_create, name="job_create"),
    path("jobs/<int:pk>/", jobs.posting_detail, name="job_detail"),
    path("jobs/<int:pk>/hire/", jobs.hire_create, name="job_hire"),
    path("jobs/<int:pk>/close/", jobs.posting_close, name="job_close"),
    path("mentoring/", mentoring.request_list, name="mentoring"),
    path("mentoring/<int:pk>/", mentoring.request_detail, name="mentoring_detail"),
    path("mentoring/<int:pk>/book/", mentoring.session_book, name="mentoring_book"),
    path("mentoring/sessions/<int:pk>/", mentoring.session_detail, name="mentoring_session"),
    path("<int:pk>/competition/", competitions.competition, name="competition"),
    path("<int:pk>/competition/criteria/", competitions.criterion_add, name="criterion_add"),
    path("<int:pk>/competition/entries/", competitions.entry_add, name="entry_add"),
    path("<int:pk>/competition/entries/<int:entry_pk>/judges/", competitions.judges_assign, name="judges_assign"),
    path("<int:pk>/competition/entries/<int:entry_pk>/nominate/", competitions.entry_nominate, name="entry_nominate"),
    path("<int:pk>/competition/close/", competitions.scoring_close, name="scoring_close"),
    path("<int:pk>/competition/<slug:kind>.xlsx", competitions.competition_export, name="competition_export"),
    path("judging/", competitions.judging_list, name="judging"),
    path("judging/<int:pk>/", competitions.judging_score, name="judging_score"),
]
