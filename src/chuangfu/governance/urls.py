"""Staff pages, mounted at /governance/."""

from django.urls import path

from .views import bodies

app_name = "governance"
urlpatterns = [
    path("bodies/", bodies.body_list, name="bodies"),
    path("bodies/<int:pk>/", bodies.body_detail, name="body"),
    path("bodies/<int:pk>/terms/", bodies.term_add, name="term_add"),
    path("terms/<int:term_pk>/members/", bodies.member_add, name="member_add"),
    path("members/<int:pk>/end/", bodies.member_end, name="member_end"),
    path("members/<int:pk>/replace/", bodies.member_replace, name="member_replace"),
]
