"""Public pages, mounted at /nearby/."""

from django.urls import path

from .views import directory, public

app_name = "nearby"
urlpatterns = [
    path("", public.nearby, name="nearby"),
    path("carriers/", directory.carrier_directory, name="directory"),
    path("carriers/<int:pk>/", directory.carrier_page, name="carrier"),
]
