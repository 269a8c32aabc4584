"""Staff pages, mounted at /activities/."""
from django.urls import path

from .views import checkin, staff

app_name = "activities"
urlpatterns = [
    path("", staff.activity_list, name="list"),
    path("new/", staff.activity_create, name="create"),
    path("figures/", staff.figures, name="figures"),
    path("<int:pk>/", staff.activity_detail, name="detail"),
    path("<int:pk>/edit/", staff.activity_edit, name="edit"),
    path("<int:pk>/transition/<slug:name>/", staff.activity_transition, name="transition"),
    path("<int:pk>/clone/", staff.activity_clone, name="clone"),
    path("<int:pk>/series/", staff.activity_series, name="series"),
    path("<int:pk>/questions/", staff.question_add, name="question_add"),
    path("<int:pk>/questions/<int:question_pk>/remove/", staff.question_remove, name="question_remove"),
    path("<int:pk>/registrations/add/", staff.registration_add, name="registration_add"),
    path("<int:pk>/registrations/<int:registration_pk>/<slug:action>/", staff.registration_action,
         name="registration_action"),
    path("<int:pk>/summary/", staff.activity_summary, name="summary"),
    path("<int:pk>/photos/", staff.photo_add, name="photo_add"),
    path("<int:pk>/export/<slug:kind>.xlsx", staff.activity_export, name="export"),
    path("<int:pk>/checkin/", checkin.checkin_page, name="checkin"),
    path("<int:pk>/checkin/scan/", checkin.checkin_scan, name="checkin_scan"),
    path("<int:pk>/checkin/search/", checkin.checkin_search, name="checkin_search"),
    path("<int:pk>/checkin/walk-in/", checkin.checkin_walk_in, name="checkin_walk_in"),
    path("<int:pk>/checkin/<int:registration_pk>/", checkin.checkin_mark, name="checkin_mark"),
]
