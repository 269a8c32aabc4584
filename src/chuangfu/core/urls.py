from django.urls import path

from . import views, views_audit

app_name = "core"
urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("audit/", views_audit.audit_list, name="audit_list"),
]
