"""Forms of the ecosystem pages: they parse input; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleImageField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class SiteForm(forms.Form):
    latitude = forms.FloatField(label=_("纬度"), required=False)
    longitude = forms.FloatField(label=_("经度"), required=False)
    opening_hours = forms.CharField(label=_("开放时间"), max_length=128, required=False)


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("照片"))
    caption = forms.CharField(label=_("说明"), max_length=128, required=False)


class CarrierChangeForm(forms.Form):
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


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("审核意见"), max_length=255, required=False)
