from django.urls import path

from .views import audit as views_audit
from .views import exports as views_exports
from .views import home as views
from .views import tokens as views_tokens

app_name = "core"
urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("audit/", views_audit.audit_list, name="audit_list"),
    path("api-tokens/", views_tokens.token_list, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views_tokens.token_revoke, name="api_token_revoke"),
    path("exports/<int:job_id>/", views_exports.export_status, name="export_status"),
    path("exports/<int:job_id>/file/", views_exports.export_download, name="export_download"),
]
