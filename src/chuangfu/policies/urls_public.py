from django.urls import path

from .views import public as v

app_name = "policy"
urlpatterns = [
    path("", v.policy_list, name="list"),
    path("check/", v.self_check, name="self_check"),
    path("check/mine/<str:kind>/", v.self_check_mine, name="self_check_mine"),
    path("<int:pk>/", v.policy_detail, name="detail"),
    path("<int:pk>/v/<int:number>/", v.policy_detail, name="version"),
]
