"""Staff pages, mounted at /ecosystem/."""

from django.urls import path

from .views import carriers

app_name = "ecosystem"
urlpatterns = [
    path("carriers/", carriers.carrier_list, name="carrier_list"),
    path("carriers/<int:pk>/", carriers.carrier_detail, name="carrier_detail"),
    path("carriers/<int:pk>/site/", carriers.carrier_site, name="carrier_site"),
    path("carriers/<int:pk>/photos/", carriers.carrier_photo, name="carrier_photo"),
    path("carriers/<int:pk>/propose/", carriers.carrier_propose, name="carrier_propose"),
    path("changes/", carriers.change_list, name="change_list"),
    path("changes/<int:pk>/", carriers.change_detail, name="change_detail"),
    path("changes/<int:pk>/<slug:name>/", carriers.change_transition, name="change_transition"),
    path("coverage/", carriers.coverage, name="coverage"),
]
