"""Staff pages, mounted at /governance/."""

from django.urls import path

from .views import bodies, ledger

app_name = "governance"
urlpatterns = [
    path("", ledger.ledger, name="ledger"),
    path("ledger.xlsx", ledger.ledger_export, name="ledger_export"),
    path("decisions/", ledger.decisions, name="decisions"),
    path("plans/", ledger.plan_list, name="plans"),
    path("plans/new/", ledger.plan_create, name="plan_create"),
    path("plans/<int:pk>/", ledger.plan_detail, name="plan"),
    path("plans/<int:plan_pk>/tasks/new/", ledger.task_create, name="task_create"),
    path("tasks/<int:pk>/", ledger.task_detail, name="task"),
    path("tasks/<int:pk>/milestones/", ledger.milestone_add, name="milestone_add"),
    path("tasks/<int:pk>/reports/", ledger.report_submit, name="report_submit"),
    path("tasks/<int:pk>/transition/<slug:name>/", ledger.task_transition, name="task_transition"),
    path("evidence/<int:pk>/", ledger.evidence_download, name="evidence"),
    path("bodies/", bodies.body_list, name="bodies"),
    path("bodies/<int:pk>/", bodies.body_detail, name="body"),
    path("bodies/<int:pk>/terms/", bodies.term_add, name="term_add"),
    path("terms/<int:term_pk>/members/", bodies.member_add, name="member_add"),
    path("members/<int:pk>/end/", bodies.member_end, name="member_end"),
    path("members/<int:pk>/replace/", bodies.member_replace, name="member_replace"),
]
