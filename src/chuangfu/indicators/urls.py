from django.urls import path

from .views import dashboard as v
from .views import surveys

app_name = "indicators"

urlpatterns = [
    path("", v.dashboard, name="dashboard"),
    path("compute/", v.compute, name="compute"),
    path("snapshot/", v.submit_snapshot, name="snapshot"),
    path("evidence/", v.evidence, name="evidence"),
    path("dossier.<str:kind>", v.dossier_download, name="dossier"),
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey"),
    path("surveys/<int:pk>/<slug:action>/", surveys.survey_action, name="survey_action"),
    path("<slug:code>/<str:part>/", v.drill, name="drill"),
]

# The public answer page a sampled resident opens from the SMS link (mounted at the root, /s/<token>/).
public_urlpatterns = [path("s/<str:token>/", surveys.answer, name="survey_answer")]
