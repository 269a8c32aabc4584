"""Forms parse input; the services decide. Choices are limited to what the actor may use."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangfu.core.bounds import BoundedInputsMixin
from chuangfu.core.models import Jurisdiction, Unit
from chuangfu.core.scoping import assignable_jurisdictions, scope_by_jurisdiction
from chuangfu.registry.models import Mentor

from . import selectors
from .models import (
    Activity,
    ActivityType,
    DayService,
    Grade,
    JobPosting,
    MentoringRequest,
    NominationChannel,
    RegistrationQuestion,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format=DATETIME_FORMAT)


class ActivityForm(BoundedInputsMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "type",
            "title",
            "description",
            "jurisdiction",
            "starts_at",
            "ends_at",
            "place_carrier",
            "address",
            "host_carrier",
            "co_units",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "audience",
            "services",
            "needs_approval",
            "offer_hold_hours",
        ]
        widgets = {
            "starts_at": _datetime_widget(),
            "ends_at": _datetime_widget(),
            "registration_opens_at": _datetime_widget(),
            "registration_closes_at": _datetime_widget(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "co_units": forms.CheckboxSelectMultiple,
            "services": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        self.fields["type"].queryset = ActivityType.objects.filter(active=True)
        self.fields["jurisdiction"].queryset = assignable_jurisdictions(actor).exclude(
            level=Jurisdiction.Level.DISTRICT
        )
        carriers = selectors.carriers_for(actor)
        self.fields["place_carrier"].queryset = carriers
        self.fields["host_carrier"].queryset = carriers
        self.fields["co_units"].queryset = scope_by_jurisdiction(Unit.objects.filter(active=True), actor)
        self.fields["services"].queryset = DayService.objects.filter(active=True)
        if not self.instance.pk and actor.jurisdiction_id and actor.jurisdiction.level != Jurisdiction.Level.DISTRICT:
            self.initial.setdefault("jurisdiction", actor.jurisdiction_id)

    def details(self) -> dict:
        data = self.cleaned_data
        return {k: data.get(k) for k in self.Meta.fields if k not in ("co_units", "services")}


class QuestionForm(BoundedInputsMixin, forms.Form):
    text = forms.CharField(label=_("问题"), max_length=200)
    kind = forms.ChoiceField(label=_("题型"), choices=RegistrationQuestion.Kind.choices)
    choices = forms.CharField(
        label=_("选项（单选题每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    required = forms.BooleanField(label=_("必答"), required=False)
    show_if_question = forms.ModelChoiceField(
        label=_("仅当此问题"), queryset=RegistrationQuestion.objects.none(), required=False
    )
    show_if_answer = forms.CharField(label=_("的回答为"), max_length=200, required=False)

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["show_if_question"].queryset = activity.questions.all()


class CancelForm(BoundedInputsMixin, forms.Form):
    note = forms.CharField(label=_("说明"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloneForm(BoundedInputsMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=_("新活动开始时间"), input_formats=[DATETIME_FORMAT], widget=_datetime_widget()
    )
    title = forms.CharField(label=_("新活动名称（留空沿用）"), max_length=128, required=False)


class SeriesForm(BoundedInputsMixin, forms.Form):
    name = forms.CharField(label=_("系列名称"), max_length=128)
    step = forms.ChoiceField(
        label=_("重复周期"), choices=[("week", _("每周")), ("fortnight", _("每两周")), ("month", _("每月"))]
    )
    count = forms.IntegerField(label=_("场次（含本场）"), min_value=2, max_value=24, initial=4)


class WaitlistMoveForm(BoundedInputsMixin, forms.Form):
    position = forms.IntegerField(label=_("移到第几位"), min_value=1)
    reason = forms.CharField(label=_("原因"), max_length=255)


class StaffRegistrationForm(BoundedInputsMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    mobile = forms.CharField(label=_("手机号"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    enterprise_name = forms.CharField(label=_("代表企业（可选）"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # shown without labels on the check-in page and the registrations tab
            field.widget.attrs.update({"placeholder": field.label, "aria-label": field.label})


class ConsultationForm(BoundedInputsMixin, forms.Form):
    """A consultation raised at the activity. Only lengths are checked here: the desk's intake
    validates the mobile, the matter and the category and says what is wrong. The hidden key,
    fresh on every rendering of the form, makes a double submit one ticket."""

    requester_name = forms.CharField(label=_("咨询人姓名"), max_length=64, required=False)
    requester_mobile = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    enterprise_name = forms.CharField(label=_("所在企业（可选）"), max_length=255, required=False)
    uscc = forms.CharField(label=_("统一社会信用代码（可选）"), max_length=18, required=False)
    category_id = forms.TypedChoiceField(label=_("咨询类别"), coerce=int, required=False, empty_value=None)
    description = forms.CharField(label=_("咨询事项"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category_id"].choices = [("", _("未选择（归入“其他”）"))] + [(c.pk, c.name) for c in categories]
        if not self.is_bound:
            import uuid

            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class PublicRegistrationForm(BoundedInputsMixin, forms.Form):
    """Name, mobile (with an SMS code unless already proven), enterprise and the activity's
    own questions as ``q_<id>`` fields; conditional ones carry ``data-show-if`` for the page."""

    name = forms.CharField(label=_("姓名"), max_length=64)
    mobile = forms.CharField(label=_("手机号"), max_length=20)
    sms_code = forms.CharField(label=_("短信验证码"), max_length=6, required=False)
    enterprise_name = forms.CharField(label=_("代表企业"), max_length=255, required=False)
    enterprise_uscc = forms.CharField(label=_("统一社会信用代码（可选）"), max_length=18, required=False)

    def __init__(self, *args, activity, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            name = f"q_{question.pk}"
            if question.kind == RegistrationQuestion.Kind.CHOICE:
                field = forms.ChoiceField(choices=[("", "—")] + [(c, c) for c in question.choice_list])
            elif question.kind == RegistrationQuestion.Kind.NUMBER:
                field = forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}))
            else:
                field = forms.CharField(max_length=500)
            field.label, field.required = question.text, False  # required-ness is decided by the service
            field.is_required_question = question.required
            if question.show_if_question_id:
                field.widget.attrs.update(
                    {"data-show-if": f"q_{question.show_if_question_id}", "data-show-value": question.show_if_answer}
                )
            self.fields[name] = field
        if activity.audience == "people":
            del self.fields["enterprise_name"], self.fields["enterprise_uscc"]
        elif activity.audience == "both":
            self.fields["enterprise_name"].label = _("代表企业（可选）")
        else:
            self.fields["enterprise_name"].is_required_question = True

    def answers(self) -> dict:
        return {str(q.pk): self.cleaned_data.get(f"q_{q.pk}", "") for q in self.questions}

    def question_fields(self):
        return [self[f"q_{q.pk}"] for q in self.questions]


class FeedbackForm(BoundedInputsMixin, forms.Form):
    grade = forms.ChoiceField(label=_("评价"), choices=Grade.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("意见建议（可选）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class SummaryForm(BoundedInputsMixin, forms.Form):
    summary = forms.CharField(
        label=_("活动总结"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    outcomes = forms.CharField(
        label=_("活动成效"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PhotoForm(BoundedInputsMixin, forms.Form):
    image = forms.ImageField(label=_("照片"))
    caption = forms.CharField(label=_("说明"), max_length=128, required=False)

    def clean_image(self):
        image = self.cleaned_data["image"]
        if image.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("照片不能超过 10 MB。"))
        return image


# --- jobs, mentoring, competitions -------------------------------------------------------------


class JobPostingForm(BoundedInputsMixin, forms.ModelForm):
    enterprise_uscc = forms.CharField(label=_("招聘企业统一社会信用代码"), max_length=18)

    class Meta:
        model = JobPosting
        fields = ["position", "headcount", "salary_min", "salary_max", "requirements", "activity"]
        widgets = {"requirements": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = selectors.activities_for(actor).filter(type__is_recruitment=True)
        self.fields["activity"].required = False


class JobInterestForm(BoundedInputsMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    mobile = forms.CharField(label=_("手机号"), max_length=20)
    sms_code = forms.CharField(label=_("短信验证码"), max_length=6, required=False)
    note = forms.CharField(label=_("留言（可选）"), max_length=255, required=False)


class HireForm(BoundedInputsMixin, forms.Form):
    interest = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("录用人员姓名"), max_length=64, required=False)
    hired_on = forms.DateField(label=_("录用日期"), widget=forms.DateInput(attrs={"type": "date"}))


class MentoringRequestForm(BoundedInputsMixin, forms.ModelForm):
    class Meta:
        model = MentoringRequest
        fields = ["topic", "industry_section", "preferred_mode", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class SessionBookForm(BoundedInputsMixin, forms.Form):
    mentor = forms.IntegerField(widget=forms.HiddenInput)
    scheduled_at = forms.DateTimeField(label=_("辅导时间"), input_formats=[DATETIME_FORMAT], widget=_datetime_widget())
    mode = forms.ChoiceField(label=_("辅导方式"), choices=Mentor.Mode.choices)
    place = forms.CharField(label=_("地点/方式说明"), max_length=128, required=False)


class SessionRecordForm(BoundedInputsMixin, forms.Form):
    notes = forms.CharField(label=_("辅导记录"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    follow_ups = forms.CharField(
        label=_("后续跟进事项"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CriterionForm(BoundedInputsMixin, forms.Form):
    name = forms.CharField(label=_("评分项"), max_length=32)
    max_score = forms.IntegerField(label=_("满分"), min_value=1, max_value=100)


class EntryForm(BoundedInputsMixin, forms.Form):
    team_name = forms.CharField(label=_("企业/团队名称"), max_length=128)
    enterprise_uscc = forms.CharField(label=_("统一社会信用代码（已注册企业填写）"), max_length=18, required=False)
    project_title = forms.CharField(label=_("项目名称"), max_length=128)
    summary = forms.CharField(label=_("项目简介"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    channel = forms.ChoiceField(label=_("推荐渠道"), choices=NominationChannel.choices)
    contact_name = forms.CharField(label=_("联系人"), max_length=64)
    contact_mobile = forms.CharField(label=_("联系电话"), max_length=20)
    materials = forms.FileField(label=_("参赛材料（PDF/Office/图片，10 MB 以内）"), required=False)
