"""Forms of the governance pages. They parse and check shapes; the rules live in the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.bounds import BoundedInputsMixin
from chuangfu.core.models import Unit

from .models import AttendanceStatus, MeetingSeries, Milestone, Plan, Position, ReportCycle, UnitPlanItem

DATE = forms.DateInput(attrs={"type": "date"})


def units_of(jurisdiction):
    """The active units of a jurisdiction (given as the row or its id), by name."""
    return Unit.objects.filter(jurisdiction=jurisdiction, active=True).order_by("name")


class TermForm(BoundedInputsMixin, forms.Form):
    name = forms.CharField(label=_("届次"), max_length=64)
    starts_on = forms.DateField(label=_("起始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, required=False)


class MemberForm(BoundedInputsMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    position = forms.ChoiceField(label=_("职位"), choices=Position.choices)
    title = forms.CharField(label=_("职务"), max_length=128, required=False)
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False)
    joined_on = forms.DateField(label=_("加入日期"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, jurisdiction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(jurisdiction)


class MemberEndForm(BoundedInputsMixin, forms.Form):
    left_on = forms.DateField(label=_("离任日期"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("离任原因"), max_length=255)


class MemberReplaceForm(BoundedInputsMixin, forms.Form):
    name = forms.CharField(label=_("接任人姓名"), max_length=64)
    title = forms.CharField(label=_("职务"), max_length=128, required=False)
    on = forms.DateField(label=_("交接日期"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("变更原因"), max_length=255)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one field; each is checked by the service (type, size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class PlanForm(BoundedInputsMixin, forms.Form):
    title = forms.CharField(label=_("计划名称"), max_length=200)
    year = forms.IntegerField(
        label=_("年度"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TaskForm(BoundedInputsMixin, forms.Form):
    title = forms.CharField(label=_("任务"), max_length=255)
    target = forms.CharField(label=_("目标"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none())
    co_units = forms.ModelMultipleChoiceField(
        label=_("配合单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    weight = forms.IntegerField(label=_("权重"), min_value=1, max_value=100, initial=1)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE, initial=timezone.localdate)
    due_on = forms.DateField(label=_("完成时限"), widget=DATE, required=False)
    workdays = forms.IntegerField(
        label=_("或：开始后工作日数"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_("按法定节假日和调休计算，开始之日不计入。"),
    )
    report_cycle = forms.ChoiceField(label=_("报送周期"), choices=ReportCycle.choices, initial=ReportCycle.MONTHLY)
    plan_item = forms.ModelChoiceField(
        label=_("叠加于单位计划事项"), queryset=UnitPlanItem.objects.none(), required=False
    )
    overlay_reason = forms.CharField(
        label=_("叠加理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    indicator = forms.CharField(label=_("服务的指标"), max_length=200, required=False)
    target_source = forms.ChoiceField(
        label=_("实时指标"),
        required=False,
        help_text=_("选定后，任务进度按该指标自开始日期以来的实时数据计算。"),
    )
    target_value = forms.IntegerField(label=_("指标目标值"), min_value=1, max_value=10**9, required=False)
    public = forms.BooleanField(
        label=_("向社会公开"),
        required=False,
        help_text=_("在门户网站“工作计划进展”中公开任务名称、牵头单位、状态和进度。"),
    )

    def __init__(self, *args, jurisdiction, year=None, **kwargs):
        from .live import source_choices

        super().__init__(*args, **kwargs)
        self.fields["target_source"].choices = [("", "—")] + source_choices()
        self.fields["lead_unit"].queryset = units_of(jurisdiction)
        self.fields["co_units"].queryset = units_of(jurisdiction)
        items = UnitPlanItem.objects.filter(jurisdiction=jurisdiction).select_related("unit")
        self.fields["plan_item"].queryset = items.filter(year=year) if year else items

    def clean(self):
        data = super().clean()
        if bool(data.get("target_source")) != bool(data.get("target_value")):
            raise forms.ValidationError(_("实时指标和指标目标值须同时填写。"))
        return data


class MilestoneForm(BoundedInputsMixin, forms.Form):
    title = forms.CharField(label=_("时间节点"), max_length=255)
    due_on = forms.DateField(label=_("节点时限"), widget=DATE)
    weight = forms.IntegerField(label=_("权重"), min_value=1, max_value=100, initial=1)


class ReportForm(BoundedInputsMixin, forms.Form):
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    percent = forms.IntegerField(label=_("完成进度(%)"), min_value=0, max_value=100)
    milestone = forms.ModelChoiceField(label=_("时间节点"), queryset=Milestone.objects.none(), required=False)
    files = MultipleFileField(
        label=_("佐证材料"), required=False, help_text=_("图片、PDF 或 Office 文档，每个不超过 10 MB。")
    )

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = task.milestones.all()
        self.fields["milestone"].empty_label = _("（整项任务）")


class TransitionForm(BoundedInputsMixin, forms.Form):
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    extension_until = forms.DateField(label=_("延期至"), widget=DATE, required=False)


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class MeetingForm(BoundedInputsMixin, forms.Form):
    series = forms.ModelChoiceField(label=_("会议系列"), queryset=MeetingSeries.objects.none())
    title = forms.CharField(label=_("会议名称"), max_length=200)
    starts_at = forms.DateTimeField(label=_("会议时间"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    agenda_deadline = forms.DateTimeField(
        label=_("议题截止时间"), widget=DATETIME, input_formats=DATETIME_FORMATS, required=False
    )

    def __init__(self, *args, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series


class AgendaItemForm(BoundedInputsMixin, forms.Form):
    title = forms.CharField(label=_("议题"), max_length=200)
    summary = forms.CharField(label=_("内容摘要"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AttendanceForm(BoundedInputsMixin, forms.Form):
    status = forms.ChoiceField(label=_("出席情况"), choices=AttendanceStatus.choices)
    substitute_name = forms.CharField(label=_("代会人"), max_length=64, required=False)
    absence_reason = forms.CharField(label=_("缺席原因"), max_length=255, required=False)


class MinutesForm(BoundedInputsMixin, forms.Form):
    text = forms.CharField(label=_("纪要正文"), widget=forms.Textarea(attrs={"rows": 12}), max_length=50000)


class DecisionForm(BoundedInputsMixin, forms.Form):
    text = forms.CharField(label=_("议定事项"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none(), required=False)
    co_units = forms.ModelMultipleChoiceField(
        label=_("配合单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    due_on = forms.DateField(label=_("完成时限"), widget=DATE, required=False)
    plan = forms.ModelChoiceField(label=_("纳入工作计划"), queryset=Plan.objects.none())

    def __init__(self, *args, jurisdiction, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units_of(jurisdiction)
        self.fields["co_units"].queryset = units_of(jurisdiction)
        self.fields["plan"].queryset = plans
        first = plans.first()
        if first is not None:
            self.fields["plan"].initial = first.pk


class PlanItemImportForm(BoundedInputsMixin, forms.Form):
    year = forms.IntegerField(
        label=_("年度"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )
    file = forms.FileField(label=_("单位年度计划（.xlsx）"), help_text=_("表头：单位、编号、事项、目标、完成时限。"))


class PlanItemForm(BoundedInputsMixin, forms.Form):
    year = forms.IntegerField(
        label=_("年度"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none())
    code = forms.CharField(label=_("编号"), max_length=32)
    title = forms.CharField(label=_("计划事项"), max_length=255)
    target = forms.CharField(label=_("目标"), max_length=4000, required=False)
    due_on = forms.DateField(label=_("完成时限"), widget=DATE, required=False)

    def __init__(self, *args, jurisdiction, own_unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if own_unit is not None:  # a liaison enters their own unit's items
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units_of(jurisdiction)


class DocumentForm(BoundedInputsMixin, forms.Form):
    title = forms.CharField(label=_("文件标题"), max_length=200)
    file = forms.FileField(label=_("文件"), help_text=_("PDF 或 Office 文档，不超过 10 MB。"))
