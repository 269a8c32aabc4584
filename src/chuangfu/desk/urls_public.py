from django.urls import path

from .views import public as views

app_name = "service"
urlpatterns = [
    path("", views.submit, name="submit"),
    path("done/<str:token>/", views.done, name="done"),
    path("lookup/", views.lookup, name="lookup"),
    path("rate/<str:token>/", views.rate, name="rate"),
    path("files/<str:token>/", views.attachment, name="attachment"),
    path("mine/", views.mine, name="mine"),
    path("mine/<str:number>/", views.mine_detail, name="mine_detail"),
]
