from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog

from chuangfu.api.urls import api
from chuangfu.core.views import home as core_views
from chuangfu.indicators.urls import public_urlpatterns as survey_urlpatterns
from chuangfu.portal.urls import ckan_urlpatterns

urlpatterns = [
    path("", include("chuangfu.portal.urls")),
    path("work/", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("chuangfu.core.urls_accounts")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("core/", include("chuangfu.core.urls")),
    path("registry/", include("chuangfu.registry.urls")),
    path("desk/", include("chuangfu.desk.urls")),
    path("service/", include("chuangfu.desk.urls_public")),
    path("activities/", include("chuangfu.activities.urls")),
    path("events/", include("chuangfu.activities.urls_public")),
    path("policies/", include("chuangfu.policies.urls")),
    path("policy/", include("chuangfu.policies.urls_public")),
    path("subsidies/notices/", include("chuangfu.subsidies.urls_notices")),
    path("subsidies/disbursements/", include("chuangfu.subsidies.urls_disbursements")),
    path("subsidies/reports/", include("chuangfu.subsidies.urls_reports")),
    path("subsidies/aftercare/", include("chuangfu.subsidies.urls_aftercare")),
    path("notices/", include("chuangfu.subsidies.urls_public_notices")),
    path("subsidies/", include("chuangfu.subsidies.urls")),
    path("governance/", include("chuangfu.governance.urls")),
    path("progress/", include("chuangfu.governance.urls_public")),
    path("ecosystem/", include("chuangfu.ecosystem.urls")),
    path("nearby/", include("chuangfu.ecosystem.urls_public")),
    path("publicity/", include("chuangfu.portal.urls_staff")),
    path("indicators/", include("chuangfu.indicators.urls")),
    *survey_urlpatterns,
    *ckan_urlpatterns,
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

if not settings.PRODUCTION:
    # Uploaded files in development and the demo (which runs with DEBUG off, so ``static()`` would
    # add nothing); production serves them from its own storage (docs/operations.md).
    from django.views.static import serve

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
