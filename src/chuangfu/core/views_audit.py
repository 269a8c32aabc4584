"""Reading the audit log: a record's history on its page, and the search page for admins and leaders.

Entries are shown with the model's own field labels and choice labels, so "hukou_kind:
permit" reads as "户籍性质：外省市户籍（持上海市居住证）". The search is scoped by jurisdiction like
every other list: a town leader sees their town's entries, a platform admin everything.
"""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .audit import history_for
from .bounds import BoundedInputsMixin, page_number
from .models import AuditEntry, Role
from .scoping import visible_jurisdiction_ids

AUDIT_ROLES = frozenset({Role.ADMIN, Role.LEADER})
PER_PAGE = 50

# The last part of an action code ("registry.person.changed") read as a verb. The context keeps
# "删除" (deleted) apart from the "删除" (delete) of a button.
VERBS = {
    "created": pgettext_lazy("audit action", "登记"),
    "changed": pgettext_lazy("audit action", "修改"),
    "deleted": pgettext_lazy("audit action", "删除"),
    "revealed": pgettext_lazy("audit action", "查看完整个人信息"),
    "imported": pgettext_lazy("audit action", "导入"),
    "person_linked": pgettext_lazy("audit action", "添加人员关系"),
    "person_unlinked": pgettext_lazy("audit action", "解除人员关系"),
}


def action_label(entry: AuditEntry) -> str:
    """ "修改 · 人员" for registry.person.changed; unknown verbs show their code."""
    verb = entry.action.rsplit(".", 1)[-1]
    model = entry.content_type.model_class() if entry.content_type_id else None
    what = str(model._meta.verbose_name) if model is not None else ""
    label = str(VERBS.get(verb, entry.action))
    return f"{label} · {what}" if what else label


def _label_and_values(model, key: str, before, after) -> dict:
    label, render_value = key, (lambda v: v)
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            field = None
        if field is not None and field.auto_created and not field.concrete:
            # A reverse relation logged as a list of codes (a person's priority groups):
            # label it by the related model and read the codes through its choices field.
            label = field.related_model._meta.verbose_name
            field = next((f for f in field.related_model._meta.concrete_fields if f.choices), None)
        elif field is not None:
            label = field.verbose_name
        if field is not None and field.choices:
            choices = dict(field.flatchoices)
            render_value = lambda v: choices.get(v, v)  # noqa: E731
    return {"label": label, "before": _show(render_value, before), "after": _show(render_value, after)}


def _show(render_value, value):
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(str(render_value(v)) for v in value)
    return render_value(value)


def describe(entry: AuditEntry) -> list[dict]:
    """The changes of one entry as rows of (label, before, after), in the model's field order
    (PostgreSQL's JSON does not keep the order keys were logged in)."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    before, after = entry.before or {}, entry.after or {}
    order = [f.name for f in (*model._meta.concrete_fields, *model._meta.many_to_many)] if model else []
    keys = sorted(set(after) | set(before), key=lambda k: (order.index(k) if k in order else len(order), k))
    return [_label_and_values(model, k, before.get(k), after.get(k)) for k in keys]


def history_rows(obj, limit: int = 100) -> list[dict]:
    """The record's history, newest first, ready for ``core/audit_history.html``."""
    return [_row(e) for e in history_for(obj).select_related("content_type")[:limit]]


def _row(entry: AuditEntry) -> dict:
    return {"entry": entry, "label": action_label(entry), "changes": describe(entry)}


# --- search ------------------------------------------------------------------------------------


class AuditFilterForm(BoundedInputsMixin, forms.Form):
    action = forms.CharField(
        label=_("操作"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("如 registry.person")}),
    )
    actor = forms.CharField(label=_("操作人"), required=False, max_length=64)
    target = forms.CharField(
        label=pgettext_lazy("audit", "对象"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("名称或编号")}),
    )
    date_from = forms.DateField(label=_("日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("日期至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return cleaned


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_entries_for(actor, filters: dict) -> QuerySet[AuditEntry]:
    """Entries the actor may read (their jurisdiction; a platform admin all), filtered."""
    if actor.role not in AUDIT_ROLES and not actor.is_superuser:
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.select_related("content_type")
    ids = visible_jurisdiction_ids(actor)
    if ids is not None:
        qs = qs.filter(jurisdiction_id__in=ids)
    if filters.get("action"):
        qs = qs.filter(action__startswith=filters["action"].strip())
    if filters.get("actor"):
        qs = qs.filter(actor_repr__icontains=filters["actor"].strip())
    if filters.get("target"):
        target = filters["target"].strip()
        qs = qs.filter(Q(object_repr__icontains=target) | Q(object_id=target))
    if filters.get("date_from"):
        qs = qs.filter(at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(at__lt=_day_start(filters["date_to"] + datetime.timedelta(days=1)))
    return qs.order_by("-at", "-id")


@login_required
def audit_list(request):
    if request.user.role not in AUDIT_ROLES and not request.user.is_superuser:
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = audit_entries_for(request.user, filters)
    page = page_number(request.GET.get("page"))
    # One row more than a page says whether a next page exists, without counting the log.
    rows = list(qs[(page - 1) * PER_PAGE : page * PER_PAGE + 1])
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "rows": [_row(e) for e in rows[:PER_PAGE]],
        "page": page,
        "has_next": len(rows) > PER_PAGE,
        "query": query.urlencode(),
    }
    template = (
        "core/audit_results.html" if request.htmx and request.htmx.target == "results" else "core/audit_list.html"
    )
    return render(request, template, context)
