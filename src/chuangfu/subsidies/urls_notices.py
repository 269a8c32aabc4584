from django.urls import path

from .views import notices as v

app_name = "notices"
urlpatterns = [
    path("", v.batch_list, name="batch_list"),
    path("new/", v.batch_create, name="batch_create"),
    path("<int:pk>/", v.batch_detail, name="batch_detail"),
    path("<int:pk>/publish/", v.batch_publish, name="batch_publish"),
    path("<int:pk>/finalise/", v.batch_finalise, name="batch_finalise"),
    path("<int:pk>/discard/", v.batch_discard, name="batch_discard"),
    path("<int:pk>/export/", v.batch_export, name="batch_export"),
    path("<int:pk>/objections/", v.objection_record, name="objection_record"),
    path("<int:pk>/objections/<int:objection_id>/resolve/", v.objection_resolve, name="objection_resolve"),
]
