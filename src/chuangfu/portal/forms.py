"""Staff forms of the portal. Services validate again; forms only shape the input."""

import functools

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangfu.core.bounds import BoundedInputsMixin
from chuangfu.core.scoping import assignable_jurisdictions, scope_by_jurisdiction
from chuangfu.registry.models import Enterprise, Person

from .datasets import source_choices
from .models import Article, Campaign, Case, CaseNomination, Dataset, MediaCoverage

DATE = {"type": "date"}


class StyledModelForm(BoundedInputsMixin, forms.ModelForm):
    """A portal record's form, knowing its actor (whose places the jurisdiction may be); each
    widget's Bootstrap class comes from the project's form renderer (``core.rendering``)."""

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        if "jurisdiction" in self.fields and actor is not None:
            self.fields["jurisdiction"].queryset = assignable_jurisdictions(actor)


class CaseForm(StyledModelForm):
    class Meta:
        model = Case
        fields = [
            "jurisdiction", "title", "theme", "summary", "story", "person", "enterprise", "photo", "photo_alt",
            "jobs_created", "revenue_band", "policies_used", "consent_on", "consent_note", "consent_file",
        ]  # fmt: skip
        widgets = {
            "story": forms.Textarea(attrs={"rows": 10}),
            "consent_on": forms.DateInput(attrs=DATE),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/*"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.actor is not None:
            self.fields["person"].queryset = scope_by_jurisdiction(Person.objects.all(), self.actor)
            self.fields["enterprise"].queryset = scope_by_jurisdiction(Enterprise.objects.all(), self.actor)
        self.fields["person"].widget = forms.NumberInput(attrs={"class": "form-control", "min": 1})
        self.fields["person"].help_text = _("人员名录中的编号（在人员页面地址中）。")
        self.fields["enterprise"].widget = forms.NumberInput(attrs={"class": "form-control", "min": 1})
        self.fields["enterprise"].help_text = _("企业名录中的编号（在企业页面地址中）。")


class ArticleForm(StyledModelForm):
    class Meta:
        model = Article
        fields = ["jurisdiction", "kind", "title", "summary", "body", "cover", "cover_alt", "source", "publish_at"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "publish_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "cover": forms.ClearableFileInput(attrs={"accept": "image/*"}),
        }


class NominationForm(StyledModelForm):
    class Meta:
        model = CaseNomination
        fields = ["level", "selection", "nominated_on"]
        widgets = {"nominated_on": forms.DateInput(attrs=DATE)}


class NominationResultForm(BoundedInputsMixin, forms.Form):
    result = forms.ChoiceField(
        label=_("结果"), choices=[c for c in CaseNomination.Result.choices if c[0] != CaseNomination.Result.PENDING]
    )
    result_on = forms.DateField(label=_("结果日期"), widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class CoverageForm(StyledModelForm):
    class Meta:
        model = MediaCoverage
        fields = ["jurisdiction", "outlet", "title", "kind", "published_on", "url"]
        widgets = {"published_on": forms.DateInput(attrs=DATE)}
        field_classes = {"url": functools.partial(forms.URLField, assume_scheme="https")}


class CampaignForm(StyledModelForm):
    class Meta:
        model = Campaign
        fields = ["jurisdiction", "title", "channel", "starts_on", "ends_on", "reach", "description"]
        widgets = {
            "starts_on": forms.DateInput(attrs=DATE),
            "ends_on": forms.DateInput(attrs=DATE),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class DatasetForm(StyledModelForm):
    source = forms.ChoiceField(label=_("数据来源"), choices=source_choices)

    class Meta:
        model = Dataset
        fields = [
            "jurisdiction", "name", "title", "description", "publisher", "source", "licence", "frequency",
            "suppress_below", "published",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class TransitionForm(BoundedInputsMixin, forms.Form):
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
