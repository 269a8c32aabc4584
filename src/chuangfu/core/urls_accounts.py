"""Account pages under /accounts/ (names without a namespace: Django's auth expects them so)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .views import accounts as views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.sms_start, {"flow": views.REGISTER}, name="register"),
    path("register/verify/", views.sms_verify, {"flow": views.REGISTER}, name="register_verify"),
    path("register/finish/", views.register_finish, name="register_finish"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.sms_start, {"flow": views.RESET}, name="password_reset_sms"),
    path("password/reset/verify/", views.sms_verify, {"flow": views.RESET}, name="password_reset_sms_verify"),
    path("password/reset/finish/", views.password_reset_finish, name="password_reset_sms_finish"),
]
