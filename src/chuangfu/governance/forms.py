"""Forms of the governance pages. They parse and check shapes; the rules live in the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.forms import BootstrapErrorsMixin
from chuangfu.core.models import Unit

from .models import Position

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})


class StyledForm(BootstrapErrorsMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def units_of(jurisdiction):
    return Unit.objects.filter(jurisdiction=jurisdiction, active=True).order_by("name")


class TermForm(StyledForm):
    name = forms.CharField(label=_("届次"), max_length=64)
    starts_on = forms.DateField(label=_("起始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, required=False)


class MemberForm(StyledForm):
    name = forms.CharField(label=_("姓名"), max_length=64)
    position = forms.ChoiceField(label=_("职位"), choices=Position.choices)
    title = forms.CharField(label=_("职务"), max_length=128, required=False)
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False)
    joined_on = forms.DateField(label=_("加入日期"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, jurisdiction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(jurisdiction)


class MemberEndForm(StyledForm):
    left_on = forms.DateField(label=_("离任日期"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("离任原因"), max_length=255)


class MemberReplaceForm(StyledForm):
    name = forms.CharField(label=_("接任人姓名"), max_length=64)
    title = forms.CharField(label=_("职务"), max_length=128, required=False)
    on = forms.DateField(label=_("交接日期"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("变更原因"), max_length=255)
