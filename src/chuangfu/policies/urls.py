from django.urls import path

from .views import drafting as d
from .views import staff as v

app_name = "policies"
urlpatterns = [
    path("", v.policy_list, name="policy_list"),
    path("new/", v.policy_create, name="policy_create"),
    path("match/", v.match_start, name="match_start"),
    path("jobs/<int:job_id>/", v.job_status, name="job_status"),
    path("rates/", v.rates_view, name="rates"),
    path("rates/<int:pk>/", v.rates_policy, name="rates_policy"),
    path("subject/<str:kind>/<int:subject_id>/", v.subject_panel, name="subject_panel"),
    path("campaigns/<int:campaign_id>/", v.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:campaign_id>/contacts/<int:contact_id>/", v.contact_update, name="contact_update"),
    path("drafting/", d.drafting_list, name="drafting"),
    path("consultations/<int:consultation_id>/", d.consultation_detail, name="consultation"),
    path("consultations/<int:consultation_id>/comment/", d.consultation_comment, name="consultation_comment"),
    path("consultations/<int:consultation_id>/reply/", d.consultation_reply, name="consultation_reply"),
    path("consultations/<int:consultation_id>/comments/<int:comment_id>/", d.comment_respond, name="comment_respond"),
    path("consultations/<int:consultation_id>/revise/", d.version_revise, name="version_revise"),
    path("consultations/<int:consultation_id>/approve/", d.version_approve, name="version_approve"),
    path("consultations/<int:consultation_id>/issue/", d.version_issue, name="version_issue"),
    path("<int:pk>/", v.policy_detail, name="policy_detail"),
    path("<int:pk>/edit/", v.policy_edit, name="policy_edit"),
    path("<int:pk>/amend/", v.policy_amend, name="policy_amend"),
    path("<int:pk>/matches/", v.match_list, name="match_list"),
    path("<int:pk>/outreach/", v.outreach, name="outreach"),
    path("<int:pk>/outreach/export/", v.outreach_export, name="outreach_export"),
    path("<int:pk>/grants/", v.grants, name="grants"),
    path("<int:pk>/v/<int:number>/", v.version_detail, name="version_detail"),
    path("<int:pk>/v/<int:number>/edit/", v.version_edit, name="version_edit"),
    path("<int:pk>/v/<int:number>/rule/", v.rule_edit, name="rule_edit"),
    path("<int:pk>/v/<int:number>/publish/", v.version_publish, name="version_publish"),
    path("<int:pk>/v/<int:number>/consult/", d.consultation_start, name="consultation_start"),
    path("<int:pk>/v/<int:number>/cases/new/", v.case_edit, name="case_create"),
    path("<int:pk>/v/<int:number>/cases/<int:case_id>/", v.case_edit, name="case_edit"),
    path("<int:pk>/v/<int:number>/cases/<int:case_id>/delete/", v.case_delete, name="case_delete"),
]
