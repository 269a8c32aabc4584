from django.urls import path

from .views import dashboard as v
from .views import scorecards, surveys

app_name = "indicators"

urlpatterns = [
    path("", v.dashboard, name="dashboard"),
    path("compute/", v.compute, name="compute"),
    path("snapshot/", v.submit_snapshot, name="snapshot"),
    path("evidence/", v.evidence, name="evidence"),
    path("dossier/", v.dossier_generate, name="dossier"),
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey"),
    path("surveys/<int:pk>/<slug:action>/", surveys.survey_action, name="survey_action"),
    path("units/", scorecards.scorecard_list, name="scorecards"),
    path("units/export.xlsx", scorecards.scorecard_export, name="scorecard_export"),
    path("units/<int:pk>/", scorecards.scorecard_detail, name="scorecard"),
    path("units/<int:pk>/<slug:code>/<str:part>/", scorecards.scorecard_drill, name="scorecard_drill"),
    path("<slug:code>/<str:part>/", v.drill, name="drill"),
]

# The public answer page a sampled resident opens from the SMS link (mounted at the root, /s/<token>/).
public_urlpatterns = [path("s/<str:token>/", surveys.answer, name="survey_answer")]
