from django import forms
from django.utils.translation import gettext_lazy as _

from chuangfu.core.bounds import BoundedInputsMixin

from . import sources
from .models import Indicator, ScorecardMeasure
from .services.schemes import clean_expressions


class IndicatorAdminForm(BoundedInputsMixin, forms.ModelForm):
    """The admin's indicator form: expressions are checked against the registered sources when saved."""

    class Meta:
        model = Indicator
        fields = ["scheme", "code", "name", "name_en", "definition", "definition_en", "category", "kind", "numerator",
                  "denominator", "unit", "unit_en", "period_type", "direction", "order"]  # fmt: skip

    def clean(self):
        data = super().clean()
        try:
            clean_expressions(
                kind=data.get("kind", ""), numerator=data.get("numerator", ""), denominator=data.get("denominator", "")
            )
        except forms.ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field, messages)
        return data


class ScorecardMeasureAdminForm(BoundedInputsMixin, forms.ModelForm):
    """A scorecard line names one unit source as its numerator (or count) and, for a rate, one as its
    denominator; an unknown name is refused when saved."""

    class Meta:
        model = ScorecardMeasure
        fields = [
            "code",
            "name",
            "name_en",
            "definition",
            "definition_en",
            "numerator",
            "denominator",
            "direction",
            "weight",
            "order",
            "active",
        ]

    def clean(self):
        data = super().clean()
        known = set(sources.unit_names())
        for name in ("numerator", "denominator"):
            value = (data.get(name) or "").strip()
            if value and value not in known:
                self.add_error(name, _("未知的单位数据源“%(name)s”。") % {"name": value})
        return data


class EvidenceForm(BoundedInputsMixin, forms.Form):
    self_assessment = forms.CharField(
        label=_("自评说明"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
    )


class EvidenceDocumentForm(BoundedInputsMixin, forms.Form):
    title = forms.CharField(
        label=_("材料名称"), max_length=120, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    file = forms.FileField(label=_("文件"), widget=forms.ClearableFileInput(attrs={"class": "form-control"}))
