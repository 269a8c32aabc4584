from django.urls import path

from .views import notices as v

app_name = "public_notices"
urlpatterns = [
    path("", v.public_list, name="list"),
    path("<str:number>/", v.public_detail, name="detail"),
]
