from django.urls import path

from .views import imports as import_views
from .views import premises as premises_views
from .views import records as views
from .views.records import CARRIER, ENTERPRISE, MENTOR, PERSON

app_name = "registry"


def _record_urls(prefix: str, entity) -> list:
    """List, count, export, create, detail, edit and delete for one kind of record."""
    key, kw = entity.key, {"entity": entity}
    return [
        path(f"{prefix}/", views.record_list, kw, name=f"{key}_list"),
        path(f"{prefix}/count/", views.record_count, kw, name=f"{key}_count"),
        path(f"{prefix}/export/", views.record_export, kw, name=f"{key}_export"),
        path(f"{prefix}/new/", views.record_create, kw, name=f"{key}_create"),
        path(f"{prefix}/<int:pk>/", views.record_detail, kw, name=f"{key}_detail"),
        path(f"{prefix}/<int:pk>/edit/", views.record_edit, kw, name=f"{key}_edit"),
        path(f"{prefix}/<int:pk>/delete/", views.record_delete, kw, name=f"{key}_delete"),
    ]


urlpatterns = [
    *_record_urls("persons", PERSON),
    *_record_urls("enterprises", ENTERPRISE),
    *_record_urls("carriers", CARRIER),
    *_record_urls("mentors", MENTOR),
    path("persons/<int:pk>/reveal/<str:field_name>/", views.person_reveal, name="person_reveal"),
    path("enterprises/<int:pk>/people/", views.enterprise_link, name="enterprise_link"),
    path("enterprises/<int:pk>/people/<int:link_id>/delete/", views.enterprise_unlink, name="enterprise_unlink"),
    path("enterprises/<int:pk>/premises/", premises_views.premises_add, name="enterprise_premises_add"),
    path(
        "enterprises/<int:pk>/premises/<int:premises_id>/edit/",
        premises_views.premises_edit,
        name="enterprise_premises_edit",
    ),
    path(
        "enterprises/<int:pk>/premises/<int:premises_id>/delete/",
        premises_views.premises_remove,
        name="enterprise_premises_remove",
    ),
]

# Bulk import: upload, dry run, preview, confirm, progress, row report.
urlpatterns += [
    path("import/", import_views.import_start, name="import_start"),
    path("import/template/<str:kind>/", import_views.import_template, name="import_template"),
    path("import/<int:job_id>/", import_views.import_status, name="import_status"),
    path("import/<int:job_id>/preview/", import_views.import_preview, name="import_preview"),
    path("import/<int:job_id>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/<int:job_id>/report/", import_views.import_report, name="import_report"),
]
