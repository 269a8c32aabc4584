from django.urls import path

from .views import applicant as views
from .views import entitlements as views_entitlements
from .views import staff as views_staff

app_name = "subsidies"
urlpatterns = [
    # the applicant (or desk staff on their behalf)
    path("", views.mine, name="mine"),
    path("apply/<int:policy_id>/", views.apply, name="apply"),
    path("<int:pk>/", views.detail, name="my_detail"),
    path("<int:pk>/save/", views.save, name="save"),
    path("<int:pk>/materials/<int:requirement_id>/upload/", views.upload, name="upload"),
    path("<int:pk>/files/<int:material_id>/", views.material, name="material"),
    path("<int:pk>/files/<int:material_id>/remove/", views.remove, name="remove"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    # staff
    path("staff/", views_staff.queue, name="staff_queue"),
    path("staff/<int:pk>/", views_staff.detail, name="staff_detail"),
    path("staff/<int:pk>/act/<slug:name>/", views_staff.act, name="staff_act"),
    path("forms/", views_staff.forms_list, name="forms_list"),
    path("forms/<int:version_id>/", views_staff.form_edit, name="form_edit"),
    # 免申即享
    path("entitlements/", views_entitlements.entitlement_list, name="entitlement_list"),
    path("entitlements/build/", views_entitlements.entitlement_build, name="entitlement_build"),
    path("entitlements/<int:pk>/", views_entitlements.entitlement_detail, name="entitlement_detail"),
    path("entitlements/<int:pk>/act/<slug:name>/", views_entitlements.entitlement_act, name="entitlement_act"),
    path("entitlements/<int:pk>/lines/<int:line_id>/", views_entitlements.entitlement_line, name="entitlement_line"),
    path("entitlements/cycle/<int:policy_id>/", views_entitlements.entitlement_cycle, name="entitlement_cycle"),
]
