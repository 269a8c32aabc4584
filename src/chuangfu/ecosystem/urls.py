"""Staff pages, mounted at /ecosystem/."""

from django.urls import path

from .views import carriers, cases, exports, incubation, resources, visits

app_name = "ecosystem"
urlpatterns = [
    path("carriers/", carriers.carrier_list, name="carrier_list"),
    path("carriers/<int:pk>/", carriers.carrier_detail, name="carrier_detail"),
    path("carriers/<int:pk>/site/", carriers.carrier_site, name="carrier_site"),
    path("carriers/<int:pk>/photos/", carriers.carrier_photo, name="carrier_photo"),
    path("carriers/<int:pk>/propose/", carriers.carrier_propose, name="carrier_propose"),
    path("carriers/<int:pk>/admit/", incubation.incubation_admit, name="incubation_admit"),
    path("carriers/<int:pk>/quarterly-import/", incubation.quarterly_import, name="quarterly_import"),
    path(
        "carriers/<int:pk>/quarterly-import/<int:job_id>/",
        incubation.quarterly_import_status,
        name="quarterly_import_status",
    ),
    path("incubations/", incubation.incubation_figures, name="incubation_figures"),
    path("incubations/<int:pk>/", incubation.incubation_detail, name="incubation_detail"),
    path("incubations/<int:pk>/<slug:name>/", incubation.incubation_step, name="incubation_step"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/follow-ups/", cases.followup_plan, name="followup_plan"),
    path("cases/<int:pk>/follow-ups/<int:follow_up_pk>/done/", cases.followup_done, name="followup_done"),
    path("changes/", carriers.change_list, name="change_list"),
    path("changes/<int:pk>/", carriers.change_detail, name="change_detail"),
    path("changes/<int:pk>/<slug:name>/", carriers.change_transition, name="change_transition"),
    path("coverage/", carriers.coverage, name="coverage"),
    path("export/carriers.xlsx", exports.carriers, name="export_carriers"),
    path("export/visits.xlsx", exports.visits, name="export_visits"),
    path("export/linkages.xlsx", exports.linkages, name="export_linkages"),
    path("export/cases.xlsx", exports.cases, name="export_cases"),
    path("resources/", resources.resource_list, name="resource_list"),
    path("resources/<int:pk>/toggle/", resources.resource_toggle, name="resource_toggle"),
    path("needs/", resources.need_list, name="need_list"),
    path("needs/<int:pk>/", resources.need_detail, name="need_detail"),
    path("needs/<int:pk>/link/<int:resource_pk>/", resources.linkage_create, name="linkage_create"),
    path("needs/<int:pk>/linkages/<int:linkage_pk>/<slug:outcome>/", resources.linkage_outcome, name="linkage_outcome"),
    path("linkages/", resources.linkage_figures, name="linkage_figures"),
    path("visits/", visits.visit_list, name="visit_list"),
    path("visits/new/", visits.visit_plan, name="visit_plan"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/record/", visits.visit_record, name="visit_record"),
    path("visits/<int:pk>/cancel/", visits.visit_cancel, name="visit_cancel"),
    path("visits/<int:pk>/problems/<int:problem_pk>/ticket/", visits.problem_ticket, name="problem_ticket"),
    path(
        "visits/<int:pk>/problems/<int:problem_pk>/send/<slug:destination>/",
        visits.problem_send,
        name="problem_send",
    ),
]
