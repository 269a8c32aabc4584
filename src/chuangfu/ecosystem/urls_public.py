"""Public pages, mounted at /nearby/."""

from django.urls import path

from .views import public

app_name = "nearby"
urlpatterns = [
    path("", public.nearby, name="nearby"),
]
