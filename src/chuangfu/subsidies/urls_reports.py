from django.urls import path

from .views import reports as v

app_name = "subsidy_reports"
urlpatterns = [
    path("", v.figures_page, name="figures"),
    path("applications/", v.application_list, name="applications"),
]
