"""Public pages, mounted at /progress/: the work plan's progress as the town publishes it (主动公开)."""

from django.urls import path

from .views import public

app_name = "progress"
urlpatterns = [
    path("", public.progress, name="plans"),
]
