"""Forms of the ecosystem pages: they parse input; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangfu.core.bounds import BoundedInputsMixin

from .models import ChainStage, NeedSource, ResourceKind, RevenueBand


class Form(BoundedInputsMixin, forms.Form):
    """The ecosystem pages' forms: bounded inputs; each widget's Bootstrap class comes from the
    project's form renderer (``core.rendering``), so templates render ``{{ field }}`` as is."""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleImageField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class SiteForm(Form):
    latitude = forms.FloatField(label=_("纬度"), required=False)
    longitude = forms.FloatField(label=_("经度"), required=False)
    opening_hours = forms.CharField(label=_("开放时间"), max_length=128, required=False)
    published = forms.BooleanField(
        label=_("在公众页面展示"), required=False, help_text=_("取消勾选后，载体名录和 15 分钟服务圈不再显示本载体。")
    )


class PhotoForm(Form):
    image = forms.FileField(label=_("照片"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    caption = forms.CharField(label=_("说明"), max_length=128, required=False)


class CarrierChangeForm(Form):
    """What an operator may change of their carrier, shown with the current values."""

    address = forms.CharField(label=_("地址"), max_length=255, required=False)
    latitude = forms.FloatField(label=_("纬度"), required=False)
    longitude = forms.FloatField(label=_("经度"), required=False)
    opening_hours = forms.CharField(label=_("开放时间"), max_length=128, required=False)
    floor_area = forms.DecimalField(label=_("面积（平方米）"), max_digits=10, decimal_places=1, required=False)
    workstations_total = forms.IntegerField(label=_("工位总数"), required=False)
    workstations_free = forms.IntegerField(label=_("空余工位"), required=False)
    services = forms.CharField(label=_("提供的服务"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    operator = forms.CharField(label=_("运营方"), max_length=128, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=64, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    photos = MultipleImageField(label=_("照片"), required=False)

    def proposal(self) -> dict:
        """The submitted values, numbers left empty dropped (an empty count means "unchanged")."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "photos"}
        for name in ("workstations_total", "workstations_free", "floor_area"):
            if data.get(name) is None:
                data.pop(name, None)
        return data


class DecisionForm(Form):
    note = forms.CharField(label=_("审核意见"), max_length=255, required=False)


class VisitPlanForm(Form):
    carrier = forms.ModelChoiceField(label=_("走访载体"), queryset=None)
    planned_on = forms.DateField(label=_("计划日期"), widget=forms.DateInput(attrs={"type": "date"}))
    purpose = forms.CharField(label=_("走访目的"), max_length=255)
    visitors = forms.ModelMultipleChoiceField(label=_("走访人员"), queryset=None)

    def __init__(self, *args, carriers, visitors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].queryset = carriers
        self.fields["visitors"].queryset = visitors


class VisitRecordForm(Form):
    attendees = forms.CharField(
        label=_("参加人员"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("载体方参加人员，每行一位"),
    )
    findings = forms.CharField(label=_("走访发现"), widget=forms.Textarea(attrs={"rows": 4}))
    resources_found = forms.CharField(label=_("挖掘的资源"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    problems = forms.CharField(
        label=_("反映的问题"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("每行一个问题，保存后可一键转为工单"),
    )
    photos = MultipleImageField(label=_("现场照片"), required=False)

    def problem_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["problems"].splitlines() if line.strip()]


class ProblemTicketForm(Form):
    requester_name = forms.CharField(label=_("反映人"), max_length=64)
    requester_mobile = forms.CharField(label=_("反映人手机号"), max_length=11)


class CancelForm(Form):
    note = forms.CharField(label=_("取消原因"), max_length=255)


class ResourceForm(Form):
    jurisdiction = forms.ModelChoiceField(label=_("所属镇"), queryset=None)
    kind = forms.ChoiceField(label=_("资源类型"), choices=ResourceKind.choices)
    name = forms.CharField(label=_("名称"), max_length=128)
    offer = forms.CharField(label=_("可提供的内容"), widget=forms.Textarea(attrs={"rows": 3}))
    keywords = forms.CharField(label=_("关键词"), max_length=255, required=False, help_text=_("用逗号或空格分隔"))
    holder_carrier = forms.ModelChoiceField(label=_("持有载体"), queryset=None, required=False)
    holder_unit = forms.ModelChoiceField(label=_("持有单位"), queryset=None, required=False)
    holder_enterprise = forms.CharField(label=_("持有企业（统一社会信用代码）"), max_length=18, required=False)
    holder_name = forms.CharField(label=_("其他持有方"), max_length=128, required=False)
    contact = forms.CharField(label=_("联系方式"), max_length=128, required=False)

    def __init__(self, *args, towns, carriers, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = towns
        self.fields["holder_carrier"].queryset = carriers
        self.fields["holder_unit"].queryset = units


class NeedForm(Form):
    uscc = forms.CharField(label=_("企业统一社会信用代码"), max_length=18, required=False)
    id_number = forms.CharField(label=_("或人员身份证号码"), max_length=18, required=False)
    kinds = forms.MultipleChoiceField(
        label=_("需要的资源类型"), choices=ResourceKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=_("需求"), widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ChoiceField(label=_("来源"), choices=NeedSource.choices)
    ticket_number = forms.CharField(label=_("来源工单编号"), max_length=32, required=False)
    visit = forms.IntegerField(label=_("来源走访编号"), required=False, widget=forms.HiddenInput)


class OutcomeForm(Form):
    note = forms.CharField(label=_("结果说明"), max_length=255, required=False)


class AdmitForm(Form):
    uscc = forms.CharField(label=_("企业统一社会信用代码"), max_length=18)
    admitted_on = forms.DateField(label=_("入孵日期"), widget=forms.DateInput(attrs={"type": "date"}))


class IncubationStepForm(Form):
    on_date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), max_length=255, required=False)


class QuarterlyReportForm(Form):
    year = forms.IntegerField(label=_("年度"))
    quarter = forms.TypedChoiceField(label=_("季度"), choices=[(q, q) for q in range(1, 5)], coerce=int)
    insured_headcount = forms.IntegerField(label=_("参保人数"))
    revenue_band = forms.ChoiceField(
        label=_("营收区间"), choices=[("", "—")] + list(RevenueBand.choices), required=False
    )
    financing_wan = forms.DecimalField(label=_("本季融资额（万元）"), max_digits=12, decimal_places=2, required=False)
    ip_count = forms.IntegerField(label=_("知识产权数"), required=False)
    awards = forms.CharField(label=_("获奖情况"), max_length=255, required=False)


class ImportForm(Form):
    file = forms.FileField(label=_("季度报表（.xlsx）"))


class CaseOpenForm(Form):
    id_number = forms.CharField(label=_("创业者身份证号码"), max_length=18)
    helper = forms.ModelChoiceField(label=_("帮扶责任人"), queryset=None)
    diagnosis = forms.CharField(label=_("帮扶诊断"), widget=forms.Textarea(attrs={"rows": 3}))
    services_planned = forms.CharField(
        label=_("计划提供的服务"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("每行一项")
    )

    def __init__(self, *args, helpers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"].queryset = helpers


class FollowUpForm(Form):
    plan = forms.CharField(label=_("跟进内容"), max_length=255)
    working_days = forms.IntegerField(label=_("几个工作日后跟进"), initial=5)


class FollowUpDoneForm(Form):
    result = forms.CharField(label=_("跟进结果"), max_length=255)


# --- industry focus ---------------------------------------------------------------------------


class SegmentForm(Form):
    name = forms.CharField(label=_("名称"), max_length=64)
    stage = forms.ChoiceField(label=_("链上位置"), choices=[("", "—")] + list(ChainStage.choices), required=False)
    description = forms.CharField(label=_("说明"), max_length=255, required=False)
    industry_codes = forms.CharField(
        label=_("对应行业代码"),
        max_length=128,
        required=False,
        help_text=_("GB/T 4754-2017 行业大类（2 位数字），多个用逗号分隔，如 51,52,65"),
    )
    thin_below = forms.IntegerField(label=_("薄弱线（企业数少于）"), min_value=0, max_value=1000, initial=3)
    position = forms.IntegerField(label=_("排序"), min_value=0, max_value=1000, required=False)


class SegmentEditForm(SegmentForm):
    parent = forms.ModelChoiceField(label=_("上级环节"), queryset=None, required=False)

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        self.order_fields(["parent"])


class TagForm(Form):
    uscc = forms.CharField(label=_("企业统一社会信用代码"), max_length=18)


class AssessmentForm(Form):
    """A points field and a reason field per criterion of the enterprise's town."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    summary = forms.CharField(label=_("评价意见"), max_length=255, required=False)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"points_{c.pk}"] = forms.IntegerField(
                label=_("%(name)s（满分 %(max)d）") % {"name": c.name, "max": c.max_points},
                min_value=0,
                max_value=c.max_points,
                help_text=c.guidance,
            )
            self.fields[f"reason_{c.pk}"] = forms.CharField(label=_("评分理由"), max_length=255, required=False)

    def scores(self) -> dict:
        data = self.cleaned_data
        return {c.pk: (data.get(f"points_{c.pk}"), data.get(f"reason_{c.pk}", "")) for c in self.criteria}


class CompetitionForm(Form):
    town = forms.ModelChoiceField(label=_("推荐镇（街道）"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("赛事名称"), max_length=128)
    organiser = forms.CharField(label=_("主办方"), max_length=128, required=False)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    min_score = forms.IntegerField(label=_("推荐门槛（百分制）"), min_value=0, max_value=100, initial=60)

    def __init__(self, *args, towns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns


class NominationForm(Form):
    competition = forms.ModelChoiceField(label=_("推荐参加的赛事"), queryset=None, empty_label=None)
    track = forms.CharField(label=_("赛道"), max_length=64, required=False)
    reason = forms.CharField(label=_("推荐理由"), max_length=255)

    def __init__(self, *args, competitions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competition"].queryset = competitions


class NominationStepForm(Form):
    award = forms.CharField(label=_("所获奖项"), max_length=64, required=False)
    note = forms.CharField(label=_("说明"), max_length=255, required=False)
    expect = forms.CharField(max_length=16, required=False, widget=forms.HiddenInput)
