"""The API tokens page: administrators issue a service account's token (shown once), see when
each was last used, and revoke it. The same services back ``chuangfu api_token``."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import api_tokens
from ..bounds import BoundedInputsMixin
from ..errors import DomainError
from ..forms import apply_service_error
from ..models import Jurisdiction
from ..scoping import assignable_jurisdictions


def api_operations() -> dict[str, str]:
    """Every API operation a token may be given: operationId → "tag · summary"."""
    from django.urls import reverse

    # Reversing loads the URLconf, which imports the API; it registers its schema with core
    # (core imports no app above it).
    prefix = reverse("api:api-root")
    schema = api_tokens.api_schema(prefix)
    operations = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if operation.get("security"):
                tag = ", ".join(operation.get("tags", []))
                operations[operation["operationId"]] = f"{tag} · {operation.get('summary') or path} ({method.upper()})"
    return dict(sorted(operations.items()))


class TokenForm(BoundedInputsMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("调用方名称"), max_length=64)
    jurisdiction = forms.ModelChoiceField(
        label=gettext_lazy("管辖区划"), queryset=Jurisdiction.objects.none(), empty_label=None
    )
    role = forms.ChoiceField(
        label=gettext_lazy("服务账号的角色"), choices=[(r.value, r.label) for r in api_tokens.SERVICE_ROLES]
    )
    days = forms.IntegerField(
        label=gettext_lazy("有效期（天）"), min_value=1, max_value=api_tokens.MAX_DAYS, initial=90
    )
    operations = forms.MultipleChoiceField(
        label=gettext_lazy("允许调用的接口"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = assignable_jurisdictions(actor).exclude(level=Jurisdiction.Level.VILLAGE)
        self.fields["operations"].choices = list(api_operations().items())


def _admin_only(request):
    if not api_tokens.can_manage_tokens(request.user):
        raise PermissionDenied


@login_required
def token_list(request):
    _admin_only(request)
    form = TokenForm(request.POST or None, actor=request.user)
    issued = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row, issued = api_tokens.token_issue(
                actor=request.user,
                name=data["name"],
                jurisdiction=data["jurisdiction"],
                role=data["role"],
                operations=data["operations"],
                days=data["days"],
                known=set(api_operations()),
            )
        except DomainError as exc:
            apply_service_error(form, exc, exc.code if exc.code in form.fields else None)
        else:
            form = TokenForm(actor=request.user)
            issued = {"token": issued, "row": row}
    return render(
        request,
        "core/api_tokens.html",
        {"form": form, "tokens": api_tokens.tokens_for(request.user)[:200], "issued": issued},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request, pk):
    _admin_only(request)
    row = api_tokens.tokens_for(request.user).filter(pk=pk).first()
    if row is None:
        raise Http404
    api_tokens.token_revoke(actor=request.user, token=row)
    messages.success(request, _("已吊销令牌 %(name)s，使用它的请求将被拒绝。") % {"name": row})
    return redirect("core:api_tokens")
