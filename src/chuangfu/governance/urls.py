"""Staff pages, mounted at /governance/."""

from django.urls import path

from .views import bodies, ledger, meetings, unit_plans

app_name = "governance"
urlpatterns = [
    path("", ledger.ledger, name="ledger"),
    path("ledger.xlsx", ledger.ledger_export, name="ledger_export"),
    path("decisions/", ledger.decisions, name="decisions"),
    path("plans/", ledger.plan_list, name="plans"),
    path("plans/new/", ledger.plan_create, name="plan_create"),
    path("plans/<int:pk>/", ledger.plan_detail, name="plan"),
    path("plans/<int:pk>/documents/", ledger.document_publish, name="document_publish"),
    path("documents/<int:pk>/", ledger.document_download, name="document"),
    path("documents/<int:pk>/acknowledge/", ledger.document_acknowledge, name="document_acknowledge"),
    path("plans/<int:plan_pk>/tasks/new/", ledger.task_create, name="task_create"),
    path("unit-plans/", unit_plans.plan_item_list, name="plan_items"),
    path("unit-plans/import/", unit_plans.plan_item_import, name="plan_item_import"),
    path("unit-plans/new/", unit_plans.plan_item_add, name="plan_item_add"),
    path("tasks/<int:pk>/", ledger.task_detail, name="task"),
    path("tasks/<int:pk>/milestones/", ledger.milestone_add, name="milestone_add"),
    path("tasks/<int:pk>/public/", ledger.task_public, name="task_public"),
    path("tasks/<int:pk>/reports/", ledger.report_submit, name="report_submit"),
    path("tasks/<int:pk>/transition/<slug:name>/", ledger.task_transition, name="task_transition"),
    path("evidence/<int:pk>/", ledger.evidence_download, name="evidence"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/transition/<slug:name>/", meetings.meeting_transition, name="meeting_transition"),
    path("meetings/<int:pk>/agenda/", meetings.agenda_item_submit, name="agenda_item_submit"),
    path("agenda/<int:pk>/move/<slug:direction>/", meetings.agenda_item_move, name="agenda_item_move"),
    path("agenda/<int:pk>/<slug:name>/", meetings.agenda_item_decide, name="agenda_item_decide"),
    path("meetings/<int:pk>/attendance/", meetings.attendance, name="attendance"),
    path("meetings/<int:pk>/minutes/", meetings.minutes_save, name="minutes_save"),
    path("meetings/<int:pk>/decisions/", meetings.decision_create, name="decision_create"),
    path("meetings/<int:pk>/briefing.docx", meetings.briefing, name="briefing"),
    path("minutes/<int:pk>/", meetings.minutes_detail, name="minutes"),
    path("minutes/<int:pk>/<slug:name>/", meetings.minutes_transition, name="minutes_transition"),
    path("bodies/", bodies.body_list, name="bodies"),
    path("bodies/<int:pk>/", bodies.body_detail, name="body"),
    path("bodies/<int:pk>/terms/", bodies.term_add, name="term_add"),
    path("terms/<int:term_pk>/members/", bodies.member_add, name="member_add"),
    path("members/<int:pk>/end/", bodies.member_end, name="member_end"),
    path("members/<int:pk>/replace/", bodies.member_replace, name="member_replace"),
]
