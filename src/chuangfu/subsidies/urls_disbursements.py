from django.urls import path

from .views import disbursements as v

app_name = "disbursements"
urlpatterns = [
    path("", v.home, name="home"),
    path("batches/new/", v.batch_create, name="batch_create"),
    path("batches/<int:pk>/", v.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/export/", v.batch_export, name="batch_export"),
    path("pay/<int:application_id>/", v.pay, name="pay"),
    path("import/", v.import_start, name="import_start"),
    path("import/<int:job_id>/", v.import_status, name="import_status"),
    path("payments/", v.payment_list, name="payments"),
]
