"""Forms for signing in, self-registration and passwords, plus the one helper that turns a
``DomainError`` or a ``ValidationError`` from a service into form errors."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .bounds import BoundedInputsMixin
from .errors import DomainError
from .identifiers import validate_mobile


def apply_service_error(form: forms.Form, exc: Exception, field: str | None = None) -> None:
    """Show what a service refused on ``form``: on ``field`` when given, else above the form.

    ``DomainError`` carries one message; ``ValidationError`` may carry several (password rules).
    """
    if isinstance(exc, DomainError):
        form.add_error(field, str(exc.message))
    elif isinstance(exc, ValidationError):
        form.add_error(field, exc.messages)
    else:
        raise exc


class LoginForm(BoundedInputsMixin, AuthenticationForm):
    """Django's form with the label saying a verified mobile number works too."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名/手机号或密码不正确。注意：连续输错 5 次账号将被临时锁定。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名或手机号")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "class": "form-control"})
        self.fields["password"].widget.attrs.update({"class": "form-control"})


class MobileForm(BoundedInputsMixin, forms.Form):
    mobile = forms.CharField(
        label=_("手机号"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "inputmode": "tel",
                "autocomplete": "tel",
                "placeholder": _("11 位手机号码"),
            }
        ),
    )

    def clean_mobile(self):
        return validate_mobile(self.cleaned_data["mobile"])


class SmsCodeForm(BoundedInputsMixin, forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg text-center cf-code",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "placeholder": "______",
            }
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().translate(_FULL_WIDTH_DIGITS)
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            raise ValidationError(_("请输入短信中的 6 位数字验证码。"), code="format")
        return code


_FULL_WIDTH_DIGITS = {ord("０") + i: ord("0") + i for i in range(10)}


class NewPasswordForm(BoundedInputsMixin, forms.Form):
    """Two password fields that must match; the rules are checked by the service."""

    password1 = forms.CharField(
        label=_("设置密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("再次输入密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", _("两次输入的密码不一致。"))
        return cleaned


class RegisterFinishForm(NewPasswordForm):
    display_name = forms.CharField(
        label=_("姓名"),
        max_length=64,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}),
    )
    field_order = ["display_name", "password1", "password2"]


class StyledPasswordChangeForm(BoundedInputsMixin, PasswordChangeForm):
    """Django's password change form (it checks the old password and every validator)."""
