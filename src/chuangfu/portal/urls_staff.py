from django.urls import path

from .views import staff

app_name = "portal_staff"

urlpatterns = [
    path("cases/", staff.case_list, name="cases"),
    path("cases/new/", staff.case_edit, name="case_new"),
    path("cases/<int:pk>/", staff.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", staff.case_edit, name="case_edit"),
    path("cases/<int:pk>/do/<slug:name>/", staff.case_action, name="case_action"),
    path("cases/<int:pk>/nominate/", staff.case_nominate, name="case_nominate"),
    path("cases/<int:pk>/nominations/<int:nomination_pk>/", staff.nomination_result, name="nomination_result"),
    path("news/", staff.article_list, name="articles"),
    path("news/new/", staff.article_edit, name="article_new"),
    path("news/<int:pk>/", staff.article_detail, name="article_detail"),
    path("news/<int:pk>/edit/", staff.article_edit, name="article_edit"),
    path("news/<int:pk>/do/<slug:name>/", staff.article_action, name="article_action"),
    path("log/", staff.publicity, name="publicity"),
    path("datasets/", staff.dataset_list, name="datasets"),
    path("datasets/new/", staff.dataset_edit, name="dataset_new"),
    path("datasets/<int:pk>/edit/", staff.dataset_edit, name="dataset_edit"),
]
