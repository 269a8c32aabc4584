from django.urls import path

from .views import dashboard as v

app_name = "indicators"

urlpatterns = [
    path("", v.dashboard, name="dashboard"),
    path("compute/", v.compute, name="compute"),
    path("snapshot/", v.submit_snapshot, name="snapshot"),
    path("evidence/", v.evidence, name="evidence"),
    path("dossier.<str:kind>", v.dossier_download, name="dossier"),
    path("<slug:code>/<str:part>/", v.drill, name="drill"),
]
