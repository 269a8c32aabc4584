"""Forms of the desk. They shape input; the services hold the rules (and report every problem,
which ``apply_errors`` puts back on the form's fields)."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from chuangfu.core.bounds import BoundedInputsMixin
from chuangfu.core.models import Jurisdiction

from .models import DESCRIPTION_MAX_LENGTH, STAFF_CHANNELS, Category, Channel, Grade, RevisitOutcome, Status
from .selectors import QUEUES
from .services.intake import clean_request
from .uploads import MAX_FILES
from .workflows import ATTACHABLE, TRANSITION_INPUTS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", {"empty": _("上传的文件是空的。")})
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", "image/*,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp")

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


# ``_("…") % values`` in a class body is translated once, at import, in the default language: these
# are filled when shown, in the reader's language.
_filled = lazy(lambda message, **values: str(message) % values, str)
FILES_HELP = _filled(_("最多 %(n)d 个，每个不超过 10 MB；图片、PDF 或 Office 文档。"), n=MAX_FILES)


class CategoryField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


def _idempotency_initial() -> str:
    return uuid.uuid4().hex


class RequestFields(BoundedInputsMixin, forms.Form):
    """What every request carries, public or recorded by staff."""

    category = CategoryField(
        label=_("咨询类别"),
        queryset=Category.objects.none(),
        empty_label=_("请选择"),
        error_messages={"required": _("请选择咨询类别。"), "invalid_choice": _("请选择有效的咨询类别。")},
    )
    description = forms.CharField(
        label=_("诉求内容"),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("请说明您遇到的问题或想咨询的事项")}),
        help_text=_filled(_("最多 %(n)d 字。"), n=DESCRIPTION_MAX_LENGTH),
    )
    requester_name = forms.CharField(label=_("姓名"), max_length=64, required=False)
    requester_mobile = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    uscc = forms.CharField(label=_("统一社会信用代码（选填）"), max_length=24, required=False)
    enterprise_name = forms.CharField(label=_("企业名称（选填）"), max_length=255, required=False)
    files = MultipleFileField(
        label=_("附件（选填）"),
        help_text=FILES_HELP,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, initial=_idempotency_initial)

    # Checked by the service (so every problem is reported at once), marked required on the page.
    SERVICE_REQUIRED = ("description", "requester_name", "requester_mobile")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.SERVICE_REQUIRED:
            self.fields[name].show_required = True
            self.fields[name].widget.attrs["aria-required"] = "true"

    def clean(self):
        """When a field the form checks is wrong (the category, say), the service will not run: say now
        what it would say about the rest, so every problem is shown at once."""
        data = super().clean()
        if self.errors:
            try:
                clean_request(
                    category=data.get("category"),
                    description=data.get("description", ""),
                    requester_name=data.get("requester_name", ""),
                    requester_mobile=data.get("requester_mobile", ""),
                    uscc=data.get("uscc", ""),
                    enterprise_name=data.get("enterprise_name", ""),
                    channel=data.get("channel") or Channel.WEB,
                    hotline_order_no=data.get("hotline_order_no", ""),
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    if field in self.fields and field not in self.errors:
                        for message in messages:
                            self.add_error(field, message)
        return data


class PublicRequestForm(RequestFields):
    town = forms.ModelChoiceField(label=_("所在镇（街道）"), queryset=Jurisdiction.objects.none(), empty_label=None)
    field_order = [
        "town",
        "category",
        "description",
        "requester_name",
        "requester_mobile",
        "uscc",
        "enterprise_name",
        "files",
    ]

    def __init__(self, *args, towns, town=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns
        chosen = self._chosen_town(towns, town)
        if chosen is not None:
            self.fields["town"].initial = chosen.pk
        self.fields["category"].queryset = (
            Category.objects.filter(jurisdiction=chosen, active=True) if chosen else Category.objects.none()
        )
        self.fields["town"].widget.attrs.update(
            {
                "hx-get": "",
                "hx-target": "#category-field",
                "hx-select": "#category-field",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
                "hx-include": "this",
            }
        )

    def _chosen_town(self, towns, town):
        raw = self.data.get("town") if self.is_bound else None
        if raw:
            return towns.filter(pk=raw).first() if str(raw).isdigit() else None
        return town or towns.first()


class StaffRequestForm(RequestFields):
    channel = forms.ChoiceField(label=_("来源渠道"), choices=[c for c in Channel.choices if c[0] in STAFF_CHANNELS])
    hotline_order_no = forms.CharField(label=_("12345 工单号"), max_length=32, required=False)
    id_number = forms.CharField(label=_("身份证号码（选填，用于关联或新建名录人员）"), max_length=24, required=False)
    person_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    enterprise_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    field_order = [
        "channel",
        "hotline_order_no",
        "category",
        "description",
        "requester_name",
        "requester_mobile",
        "id_number",
        "uscc",
        "enterprise_name",
        "files",
    ]

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        if categories.values("jurisdiction").distinct().count() > 1:
            self.fields["category"].label_from_instance = lambda c: f"{c.jurisdiction.name} · {c.name}"


class TransitionForm(BoundedInputsMixin, forms.Form):
    """The inputs one transition needs: a note, and for some a unit, co-units, days, outcome or number."""

    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.ModelChoiceField(label=_("主办单位"), queryset=None, required=False, empty_label=_("请选择"))
    co_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    target_number = forms.CharField(label=_("并入工单编号"), max_length=20, required=False)
    days = forms.IntegerField(label=_("延期工作日"), min_value=1, max_value=15, required=False)
    outcome = forms.ChoiceField(
        label=_("回访结果"), choices=[("", _("请选择"))] + list(RevisitOutcome.choices), required=False
    )
    files = MultipleFileField(label=_("附件"), help_text=FILES_HELP)

    NOTE_LABELS = {
        "answer": _("答复内容（诉求人可见）"),
        "answer_directly": _("答复内容（诉求人可见）"),
        "reply": _("进展回复（诉求人可见）"),
        "suspend": _("需要诉求人配合的事项（诉求人可见）"),
        "return": _("退单理由"),
        "request_extension": _("延期理由（批准后告知诉求人）"),
        "co_answer": _("协办意见"),
        "rectify": _("整改措施"),
        "appeal": _("申诉理由"),
        "exclude_rating": _("剔除理由"),
        "comment": _("内部备注（诉求人不可见）"),
        "supervise": _("督办要求"),
    }

    def __init__(self, *args, transition, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        wanted = {"note", *TRANSITION_INPUTS.get(transition.name, ())}
        if transition.name in ATTACHABLE:
            wanted.add("files")
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        for name in ("unit", "co_units"):
            if name in self.fields:
                self.fields[name].queryset = units
        self.fields["note"].label = self.NOTE_LABELS.get(transition.name, _("说明"))
        self.fields["note"].required = transition.note_required
        if transition.note_required:
            self.fields["note"].error_messages["required"] = _("请填写%(label)s。") % {
                "label": self.fields["note"].label
            }
        if "unit" in self.fields:
            self.fields["unit"].required = True
            self.fields["unit"].error_messages["required"] = _("请选择主办单位。")
        if "days" in self.fields:
            self.fields["days"].required = True
        if "outcome" in self.fields:
            self.fields["outcome"].required = True


class LookupForm(BoundedInputsMixin, forms.Form):
    number = forms.CharField(
        label=_("工单编号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    mobile = forms.CharField(
        label=_("提交时填写的手机号"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )


class RatingForm(BoundedInputsMixin, forms.Form):
    grade = forms.TypedChoiceField(
        label=_("您对本次服务的评价"),
        coerce=int,
        choices=Grade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择评价等级。")},
    )
    comment = forms.CharField(
        label=_("评价意见（选填）"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class QueueFilterForm(BoundedInputsMixin, forms.Form):
    queue = forms.ChoiceField(choices=[(q.code, q.label) for q in QUEUES], required=False)
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("编号、手机号、信用代码或关键词")}),
    )
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部状态"))] + list(Status.choices), required=False)
    unit = forms.ModelChoiceField(label=_("主办单位"), queryset=None, required=False, empty_label=_("全部单位"))
    category = forms.ModelChoiceField(label=_("类别"), queryset=None, required=False, empty_label=_("全部类别"))
    channel = forms.ChoiceField(label=_("渠道"), choices=[("", _("全部渠道"))] + list(Channel.choices), required=False)
    date_from = forms.DateField(label=_("受理日期从"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    overdue = forms.BooleanField(label=_("只看超时"), required=False)
    metric = forms.CharField(required=False, widget=forms.HiddenInput)
    part = forms.CharField(required=False, widget=forms.HiddenInput)
    by = forms.CharField(required=False, widget=forms.HiddenInput)
    key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["category"].queryset = categories

    def filters(self) -> dict:
        """Validated filters as plain values (ids, codes, dates) for the selector and exports."""
        if not self.is_valid():
            return {"queue": self.data.get("queue") or None}
        data = dict(self.cleaned_data)
        for name in ("unit", "category"):
            data[name] = data[name].pk if data.get(name) else None
        return {k: v for k, v in data.items() if v not in (None, "", False)}


class FiguresForm(BoundedInputsMixin, forms.Form):
    by = forms.ChoiceField(label=_("统计维度"), required=False)
    date_from = forms.DateField(label=_("受理日期从"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    chart = forms.ChoiceField(label=_("图表指标"), required=False)

    def __init__(self, *args, dimensions, metrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by"].choices = list(dimensions.items())
        self.fields["chart"].choices = [(m.code, m.display_name) for m in metrics]
