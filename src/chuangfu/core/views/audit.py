"""Reading the audit log: a record's history on its page, and the search page for admins and leaders.

Entries are shown with the model's own field labels and choice labels, so "hukou_kind:
permit" reads as "户籍性质：外省市户籍（持上海市居住证）". The search is scoped by jurisdiction like
every other list: a town leader sees their town's entries, a platform admin everything.
"""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import audit_labels
from ..audit import history_for
from ..bounds import BoundedInputsMixin, page_number
from ..days import day_start
from ..models import AuditEntry, Role
from ..scoping import visible_jurisdiction_ids
from ..workflow import MACHINES

AUDIT_ROLES = frozenset({Role.ADMIN, Role.LEADER})
PER_PAGE = 50


def action_label(entry: AuditEntry) -> str:
    """ "提交评分" for activities.score.submitted (``core.audit_labels``)."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    return audit_labels.action_label(entry.action, model)


class _Names:
    """Names of the records foreign keys point to, one query per model and page."""

    def __init__(self):
        self.cache: dict[tuple, str] = {}

    def __call__(self, model, pk) -> str:
        key = (model, str(pk))
        if key not in self.cache:
            try:
                obj = model._default_manager.filter(pk=pk).first()
            except (TypeError, ValueError):  # a service logged the name itself, not the id
                return pk
            self.cache[key] = str(obj) if obj is not None else _("%(id)s（已删除）") % {"id": pk}
        return self.cache[key]


def _local_time(value):
    try:
        moment = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    if timezone.is_naive(moment):
        return value
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def _renderer(model, key: str, names: _Names):
    """How one key's logged values read: choices and state labels, names for foreign keys,
    local times for timestamps."""
    try:
        field = model._meta.get_field(key) if model is not None else None
    except FieldDoesNotExist:
        field = None
    if field is not None and field.auto_created and not field.concrete:
        # A reverse relation logged as a list of codes (a person's priority groups):
        # read the codes through the related model's choices field.
        field = next((f for f in field.related_model._meta.concrete_fields if f.choices), None)
    if field is None:
        return lambda v: v
    if field.choices:
        choices = dict(field.flatchoices)
        return lambda v: choices.get(v, v)
    machine = next((m for m in MACHINES.values() if m.model is model and m.field == key), None)
    if machine is not None:
        return machine.label
    if field.is_relation and field.related_model is not None and field.concrete:
        related = field.related_model
        return lambda v: names(related, v)
    if isinstance(field, models.DateTimeField):
        return _local_time
    return lambda v: v


def _label(model, key: str):
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            field = None
        if field is not None and field.auto_created and not field.concrete:
            return field.related_model._meta.verbose_name
    return audit_labels.field_label(model, key)


def _show(render_value, value):
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(str(render_value(v)) for v in value)
    return render_value(value)


def describe(entry: AuditEntry, names: "_Names | None" = None) -> list[dict]:
    """The changes of one entry as rows of (label, before, after), in the model's field order
    (PostgreSQL's JSON does not keep the order keys were logged in); hidden fields left out."""
    names = names or _Names()
    model = entry.content_type.model_class() if entry.content_type_id else None
    before, after = entry.before or {}, entry.after or {}
    order = [f.name for f in (*model._meta.concrete_fields, *model._meta.many_to_many)] if model else []
    keys = sorted(set(after) | set(before), key=lambda k: (order.index(k) if k in order else len(order), k))
    rows = []
    for key in keys:
        label = _label(model, key)
        if label is audit_labels.HIDDEN:
            continue
        render_value = _renderer(model, key, names)
        rows.append(
            {
                "label": label,
                "before": _show(render_value, before.get(key)),
                "after": _show(render_value, after.get(key)),
            }
        )
    return rows


def history_rows(obj, limit: int = 100) -> list[dict]:
    """The record's history, newest first, ready for ``core/audit_history.html``."""
    names = _Names()
    return [_row(e, names) for e in history_for(obj).select_related("content_type")[:limit]]


def _row(entry: AuditEntry, names: "_Names | None" = None) -> dict:
    return {"entry": entry, "label": action_label(entry), "changes": describe(entry, names)}


# --- search ------------------------------------------------------------------------------------


class AuditFilterForm(BoundedInputsMixin, forms.Form):
    action = forms.CharField(
        label=_("操作"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("如 派单、提交评分")}),
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

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return cleaned


def audit_entries_for(actor, filters: dict) -> QuerySet[AuditEntry]:
    """Entries the actor may read (their jurisdiction; a platform admin all), filtered."""
    if actor.role not in AUDIT_ROLES and not actor.is_superuser:
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.select_related("content_type")
    ids = visible_jurisdiction_ids(actor)
    if ids is not None:
        qs = qs.filter(jurisdiction_id__in=ids)
    if filters.get("action"):
        # A label (提交评分, 派单) or the start of a code (registry.person).
        text = filters["action"].strip()
        qs = qs.filter(Q(action__startswith=text) | Q(action__in=audit_labels.actions_matching(text)))
    if filters.get("actor"):
        qs = qs.filter(actor_repr__icontains=filters["actor"].strip())
    if filters.get("target"):
        target = filters["target"].strip()
        qs = qs.filter(Q(object_repr__icontains=target) | Q(object_id=target))
    if filters.get("date_from"):
        qs = qs.filter(at__gte=day_start(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(at__lt=day_start(filters["date_to"] + datetime.timedelta(days=1)))
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
    names = _Names()
    context = {
        "form": form,
        "rows": [_row(e, names) for e in rows[:PER_PAGE]],
        "page": page,
        "has_next": len(rows) > PER_PAGE,
        "query": query.urlencode(),
    }
    template = (
        "core/audit_results.html" if request.htmx and request.htmx.target == "results" else "core/audit_list.html"
    )
    return render(request, template, context)
