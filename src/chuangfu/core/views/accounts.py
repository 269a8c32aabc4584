"""Pages for signing in, entrepreneur self-registration, and passwords (change; reset by SMS).

Registration and reset share one three-step flow: mobile → SMS code → password. The mobile
travels between steps in the session, encrypted (sessions are stored in the database, and
mobiles never sit there in the clear).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .. import accounts
from ..clientip import client_ip, device_id
from ..crypto import decrypt, encrypt, mask_mobile
from ..errors import DomainError
from ..forms import (
    LoginForm,
    MobileForm,
    NewPasswordForm,
    RegisterFinishForm,
    SmsCodeForm,
    StyledPasswordChangeForm,
    apply_service_error,
)

_BACKEND = "chuangfu.core.authentication.UsernameOrMobileBackend"


@dataclass(frozen=True)
class SmsFlow:
    purpose: str
    title: Promise
    start: str  # url names of the three steps
    verify: str
    finish: str

    @property
    def session_key(self) -> str:
        return f"sms_flow:{self.purpose}"

    def state(self, request) -> dict | None:
        return request.session.get(self.session_key)

    def mobile(self, request) -> str:
        return decrypt(self.state(request)["mobile"])


REGISTER = SmsFlow(
    accounts.PURPOSE_REGISTER, gettext_lazy("创业者注册"), "register", "register_verify", "register_finish"
)
RESET = SmsFlow(
    accounts.PURPOSE_RESET_PASSWORD,
    gettext_lazy("通过手机号找回密码"),
    "password_reset_sms",
    "password_reset_sms_verify",
    "password_reset_sms_finish",
)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = StyledPasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        try:
            accounts.account_password_change(user=self.request.user, new_password=form.cleaned_data["new_password1"])
        except (DomainError, ValidationError) as exc:
            apply_service_error(form, exc, "new_password1")
            return self.form_invalid(form)
        update_session_auth_hash(self.request, self.request.user)
        return redirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    pass


@require_http_methods(["GET", "POST"])
def sms_start(request, flow: SmsFlow):
    """Step 1: the mobile number; sends the code."""
    if flow is REGISTER and request.user.is_authenticated:
        return redirect("home")
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mobile = form.cleaned_data["mobile"]
        try:
            accounts.sms_code_send(
                mobile=mobile, purpose=flow.purpose, client_ip=client_ip(request), device=device_id(request)
            )
        except DomainError as exc:
            if exc.code == "sms_too_soon" and _same_mobile_pending(request, flow, mobile):
                messages.info(request, exc.message)
                return redirect(flow.verify)
            apply_service_error(form, exc, "mobile")
        else:
            request.session[flow.session_key] = {"mobile": encrypt(mobile), "verified": None}
            messages.success(request, _("验证码已发送至 %(mobile)s，10 分钟内有效。") % {"mobile": mask_mobile(mobile)})
            return redirect(flow.verify)
    return render(request, "core/register.html", {"form": form, "flow": flow, "step": 1})


def _same_mobile_pending(request, flow: SmsFlow, mobile: str) -> bool:
    state = flow.state(request)
    return bool(state) and decrypt(state["mobile"]) == mobile


@require_http_methods(["GET", "POST"])
def sms_verify(request, flow: SmsFlow):
    """Step 2: the code (or a new one)."""
    if not flow.state(request):
        return redirect(flow.start)
    mobile = flow.mobile(request)
    form = SmsCodeForm(request.POST if "code" in request.POST else None)
    if request.method == "POST" and "resend" in request.POST:
        try:
            accounts.sms_code_send(
                mobile=mobile, purpose=flow.purpose, client_ip=client_ip(request), device=device_id(request)
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("新的验证码已发送至 %(mobile)s。") % {"mobile": mask_mobile(mobile)})
        return redirect(flow.verify)
    if request.method == "POST" and form.is_valid():
        try:
            record = accounts.sms_code_verify(mobile=mobile, code=form.cleaned_data["code"], purpose=flow.purpose)
        except DomainError as exc:
            apply_service_error(form, exc, "code")
        else:
            request.session[flow.session_key] = {**flow.state(request), "verified": record.pk}
            return redirect(flow.finish)
    return render(
        request, "core/verify.html", {"form": form, "flow": flow, "step": 2, "masked_mobile": mask_mobile(mobile)}
    )


def _verified_state(request, flow: SmsFlow):
    state = flow.state(request)
    if not state or not state.get("verified"):
        messages.info(request, _("请先验证手机号。"))
        return None
    return state


def _restart_on_expiry(request, flow: SmsFlow, exc: DomainError):
    request.session.pop(flow.session_key, None)
    messages.error(request, exc.message)
    return redirect(flow.start)


@require_http_methods(["GET", "POST"])
def register_finish(request):
    """Step 3 of registration: name and password; signs the new entrepreneur in."""
    state = _verified_state(request, REGISTER)
    if state is None:
        return redirect(REGISTER.start)
    mobile = REGISTER.mobile(request)
    form = RegisterFinishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.entrepreneur_register(
                mobile=mobile,
                verification_id=state["verified"],
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            apply_service_error(form, exc, "password1")
        except DomainError as exc:
            if exc.code == "verification_expired":
                return _restart_on_expiry(request, REGISTER, exc)
            apply_service_error(form, exc)
        else:
            request.session.pop(REGISTER.session_key, None)
            login(request, user, backend=_BACKEND)
            messages.success(
                request,
                _("注册成功。您的用户名是 %(username)s，也可以直接用手机号 %(mobile)s 登录。")
                % {"username": user.username, "mobile": mask_mobile(mobile)},
            )
            return redirect("home")
    return render(
        request,
        "core/register_finish.html",
        {"form": form, "flow": REGISTER, "step": 3, "masked_mobile": mask_mobile(mobile)},
    )


@require_http_methods(["GET", "POST"])
def password_reset_finish(request):
    """Step 3 of the reset: a new password; the user then signs in with it."""
    state = _verified_state(request, RESET)
    if state is None:
        return redirect(RESET.start)
    mobile = RESET.mobile(request)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.password_reset_by_sms(
                mobile=mobile, verification_id=state["verified"], password=form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            apply_service_error(form, exc, "password1")
        except DomainError as exc:
            if exc.code in ("verification_expired", "mobile_unknown"):
                return _restart_on_expiry(request, RESET, exc)
            apply_service_error(form, exc)
        else:
            request.session.pop(RESET.session_key, None)
            messages.success(request, _("密码已重设，请用新密码登录。"))
            return redirect("login")
    return render(
        request,
        "core/password_reset_finish.html",
        {"form": form, "flow": RESET, "step": 3, "masked_mobile": mask_mobile(mobile)},
    )
