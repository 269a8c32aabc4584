"""Forms for the registry pages. They parse input; the services validate and save.

Field definitions come from the models (labels, choices, lengths). Each record form turns its
cleaned data into the services' keyword arguments with ``service_data()``; each filter form
turns its cleaned data into the selectors' plain ``filters``.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from chuangfu.core.bounds import BoundedInputsMixin
from chuangfu.core.crypto import mask_id_number, mask_mobile
from chuangfu.core.errors import NotFound
from chuangfu.core.identifiers import validate_id_number
from chuangfu.core.models import Jurisdiction, Unit
from chuangfu.core.scoping import assignable_jurisdictions, scope_by_jurisdiction

from . import selectors
from .industry import SECTIONS
from .models import (
    GROUP_DETAILS,
    Carrier,
    CarrierKind,
    DisabilityGrade,
    DisabilityKind,
    EmploymentStatus,
    Enterprise,
    EnterprisePerson,
    EntityType,
    HardshipType,
    HukouKind,
    Mentor,
    Person,
    PriorityGroup,
    RegistrationStatus,
    Tag,
)

# GB/T 4754 sections as "I 信息传输、软件和信息技术服务业", translated when shown.
SECTION_OPTIONS = [(code, format_lazy("{} {}", code, label)) for code, (label, _range) in SECTIONS.items()]


def _blank(choices) -> list:
    return [("", _("全部"))] + list(choices)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _jurisdictions(actor):
    return assignable_jurisdictions(actor).exclude(level=Jurisdiction.Level.DISTRICT)


# --- record forms ------------------------------------------------------------------------------


class RecordForm(BoundedInputsMixin, forms.ModelForm):
    """Base of the create/edit forms: a ModelForm for its fields and widgets only.

    ``record`` is the record being edited (None when creating). The form never saves and
    skips model validation: the service validates, and its errors come back onto the fields
    (``error_fields`` maps a service field to a form field where the names differ).
    """

    error_fields: dict[str, str] = {}
    wide_fields: tuple = ()

    def __init__(self, *args, actor, record=None, **kwargs):
        self.actor = actor
        self.record = record
        if record is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(record)
        super().__init__(*args, **kwargs)
        if "jurisdiction" in self.fields:
            self.fields["jurisdiction"].queryset = _jurisdictions(actor)
            if record is None and actor.jurisdiction_id and "jurisdiction" not in self.initial:
                self.initial["jurisdiction"] = actor.jurisdiction_id

    def initial_from(self, record) -> dict:
        return forms.model_to_dict(record, fields=[f for f in self._meta.fields if f in self.base_fields])

    def _post_clean(self):
        """No model validation here: the service is the one place that validates."""

    def service_data(self) -> dict:
        return dict(self.cleaned_data)

    def field_for_error(self, service_field: str | None) -> str | None:
        name = self.error_fields.get(service_field, service_field)
        return name if name in self.fields else None


class PersonForm(RecordForm):
    id_number = forms.CharField(label=Person._meta.get_field("id_number").verbose_name, max_length=24)
    mobile = forms.CharField(label=Person._meta.get_field("mobile").verbose_name, max_length=20, required=False)
    groups = forms.MultipleChoiceField(
        label=_("重点人群"), choices=PriorityGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    # Each priority group's own facts (``GROUP_DETAILS``), filled for the groups ticked above.
    hardship_type = forms.ChoiceField(
        label=_("就业困难人员类别"), choices=[("", "—"), *HardshipType.choices], required=False
    )
    disability_grade = forms.ChoiceField(
        label=_("残疾等级"), choices=[("", "—"), *DisabilityGrade.choices], required=False
    )
    disability_kind = forms.ChoiceField(
        label=_("残疾类别"), choices=[("", "—"), *DisabilityKind.choices], required=False
    )
    discharged_on = forms.DateField(label=_("退役日期（退役军人）"), required=False, widget=DateInput())
    unemployed_since = forms.DateField(label=_("连续失业起始日期（长期失业青年）"), required=False, widget=DateInput())
    wide_fields = ("address", "groups")

    class Meta:
        model = Person
        fields = [
            "name",
            "id_number",
            "mobile",
            "hukou_kind",
            "hukou_place",
            "residence_permit_since",
            "jurisdiction",
            "address",
            "retirement_group",
            "education",
            "graduation_date",
            "employment_status",
            "unemployment_registered_on",
            "entrepreneurial_intent",
        ]
        widgets = {
            "graduation_date": DateInput(),
            "unemployment_registered_on": DateInput(),
            "residence_permit_since": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.record is not None:
            # Editing never shows the stored identifiers: leave blank to keep them.
            for name, masked in (
                ("id_number", mask_id_number(self.record.id_number)),
                ("mobile", mask_mobile(self.record.mobile)),
            ):
                self.fields[name].required = False
                self.fields[name].widget.attrs["placeholder"] = masked
                self.fields[name].help_text = _("留空则保持不变。")

    def initial_from(self, record) -> dict:
        initial = super().initial_from(record)
        rows = list(record.groups.all())
        initial.update(id_number="", mobile="", groups=[row.group for row in rows])
        for row in rows:
            for name, group in GROUP_DETAILS.items():
                if group == row.group:
                    initial[name] = getattr(row, name)
        return initial

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["group_details"] = {name: data.pop(name) for name in GROUP_DETAILS}
        if self.record is not None:
            for name in ("id_number", "mobile"):
                if not data[name]:
                    data.pop(name)
        return data


class EnterpriseForm(RecordForm):
    uscc = forms.CharField(label=Enterprise._meta.get_field("uscc").verbose_name, max_length=24)
    wide_fields = ("name", "address", "tags", "business_scope")

    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "name",
            "entity_type",
            "is_small_micro",
            "legal_representative_name",
            "founded_on",
            "registration_status",
            "address",
            "jurisdiction",
            "industry_section",
            "industry_division",
            "industry_class",
            "registered_capital",
            "insured_employees",
            "carrier",
            "tags",
            "business_scope",
        ]
        widgets = {
            "founded_on": DateInput(),
            "tags": forms.CheckboxSelectMultiple,
            "business_scope": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].queryset = selectors.carrier_choices(actor=self.actor)


class CarrierForm(RecordForm):
    wide_fields = ("address", "services")

    class Meta:
        model = Carrier
        fields = [
            "kind",
            "name",
            "operator",
            "operator_unit",
            "jurisdiction",
            "address",
            "floor_area",
            "workstations_total",
            "workstations_free",
            "level",
            "contact_name",
            "contact_phone",
            "services",
        ]
        widgets = {"services": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator_unit"].queryset = scope_by_jurisdiction(Unit.objects.filter(active=True), self.actor)


class MentorForm(RecordForm):
    person_id_number = forms.CharField(
        label=_("名录人员身份证号码"),
        max_length=24,
        required=False,
        help_text=_("导师已在人员名录中时填写，姓名将取自名录；外部专家留空。"),
    )
    industries = forms.MultipleChoiceField(
        label=_("擅长行业门类"), choices=SECTION_OPTIONS, required=False, widget=forms.CheckboxSelectMultiple
    )
    service_modes = forms.MultipleChoiceField(
        label=_("服务方式"), choices=Mentor.Mode.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    error_fields = {"person": "person_id_number"}
    wide_fields = ("expertise", "industries", "service_modes")

    class Meta:
        model = Mentor
        fields = [
            "person_id_number",
            "name",
            "organisation",
            "title",
            "jurisdiction",
            "workstation",
            "available",
            "availability_note",
            "industries",
            "service_modes",
            "expertise",
        ]
        widgets = {"expertise": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].help_text = _("填写了名录人员时可留空。")
        self.fields["workstation"].queryset = selectors.workstation_choices(actor=self.actor)

    def initial_from(self, record) -> dict:
        initial = super().initial_from(record)
        initial["person_id_number"] = mask_id_number(record.person.id_number) if record.person_id else ""
        return initial

    def clean_person_id_number(self):
        value = self.cleaned_data["person_id_number"].strip()
        if not value:
            return None
        if self.record is not None and self.record.person_id and value == self.initial.get("person_id_number"):
            return self.record.person  # the masked value shown back unchanged
        try:
            return selectors.get_person_by_id_number_for(self.actor, validate_id_number(value))
        except NotFound:
            raise ValidationError(_("您管辖范围内的人员名录中没有该身份证号码，请先登记该人员。")) from None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name") and not cleaned.get("person_id_number") and "person_id_number" not in self.errors:
            self.add_error("name", _("请填写导师姓名，或填写名录人员的身份证号码。"))
        return cleaned

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["person"] = data.pop("person_id_number")
        return data


class LinkForm(BoundedInputsMixin, forms.Form):
    """Link a registered person to an enterprise, found by ID number."""

    id_number = forms.CharField(label=_("人员身份证号码"), max_length=24)
    relation = forms.ChoiceField(label=_("关系"), choices=EnterprisePerson.Relation.choices)
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    share = forms.DecimalField(
        label=_("持股比例（%）"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text=_("创办人/股东填写；不详留空。"),
    )

    def __init__(self, *args, actor, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        try:
            return selectors.get_person_by_id_number_for(self.actor, validate_id_number(value))
        except NotFound:
            raise ValidationError(_("您管辖范围内的人员名录中没有该身份证号码，请先登记该人员。")) from None

    def service_data(self) -> dict:
        return {
            "person": self.cleaned_data["id_number"],
            "relation": self.cleaned_data["relation"],
            "since": self.cleaned_data["since"],
            "share": self.cleaned_data["share"],
        }

    def field_for_error(self, service_field: str | None) -> str | None:
        return service_field if service_field in self.fields else None


# --- filter forms ------------------------------------------------------------------------------


class FilterForm(BoundedInputsMixin, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    jurisdiction = forms.ModelChoiceField(
        label=_("区划"), queryset=Jurisdiction.objects.none(), required=False, empty_label=_("全部")
    )
    placeholder = ""

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = assignable_jurisdictions(actor)
        self.fields["q"].widget = forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": self.placeholder,
                "class": "form-control",
                "autocomplete": "off",
            }
        )

    def filters(self) -> dict:
        """Plain values for the selector from the valid fields (the invalid ones show their error)."""
        self.is_valid()
        return {k: getattr(v, "pk", v) for k, v in self.cleaned_data.items() if v not in (None, "", [], False)}


class PersonFilterForm(FilterForm):
    placeholder = _("姓名、拼音首字母、身份证号码或手机号")
    hukou_kind = forms.ChoiceField(label=_("户籍性质"), choices=_blank(HukouKind.choices), required=False)
    group = forms.ChoiceField(label=_("重点人群"), choices=_blank(PriorityGroup.choices), required=False)
    employment_status = forms.ChoiceField(label=_("就业状态"), choices=_blank(EmploymentStatus.choices), required=False)


class EnterpriseFilterForm(FilterForm):
    placeholder = _("企业名称、拼音首字母或统一社会信用代码")
    entity_type = forms.ChoiceField(label=_("主体类型"), choices=_blank(EntityType.choices), required=False)
    industry_section = forms.ChoiceField(label=_("行业门类"), choices=_blank(SECTION_OPTIONS), required=False)
    tag = forms.ModelChoiceField(
        label=_("标签"), queryset=Tag.objects.all(), to_field_name="code", required=False, empty_label=_("全部")
    )
    carrier = forms.ModelChoiceField(
        label=_("入驻载体"), queryset=Carrier.objects.none(), required=False, empty_label=_("全部")
    )
    registration_status = forms.ChoiceField(
        label=_("登记状态"), choices=_blank(RegistrationStatus.choices), required=False
    )
    founded_from = forms.DateField(label=_("成立日期自"), required=False, widget=DateInput())
    founded_to = forms.DateField(label=_("成立日期至"), required=False, widget=DateInput())

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["carrier"].queryset = selectors.carrier_choices(actor=actor)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("founded_from"), cleaned.get("founded_to")
        if start and end and start > end:
            self.add_error("founded_to", _("结束日期不能早于开始日期。"))
        return cleaned

    def filters(self) -> dict:
        filters = super().filters()
        if "tag" in filters:
            filters["tag"] = self.cleaned_data["tag"].code
        return filters


class CarrierFilterForm(FilterForm):
    placeholder = _("名称、运营方或地址")
    kind = forms.ChoiceField(label=_("载体类型"), choices=_blank(CarrierKind.choices), required=False)


class MentorFilterForm(FilterForm):
    placeholder = _("姓名、机构或专长")
    industry = forms.ChoiceField(label=_("擅长行业"), choices=_blank(SECTION_OPTIONS), required=False)
    available = forms.BooleanField(label=_("只看可预约"), required=False)


class PremisesForm(BoundedInputsMixin, forms.Form):
    """Record an enterprise's premises and their lease (the service checks the dates)."""

    address = forms.CharField(label=_("场地地址"), max_length=255)
    carrier = forms.ModelChoiceField(
        label=_("所在载体"), queryset=Carrier.objects.none(), required=False, help_text=_("不在名录中的载体内则不选。")
    )
    area = forms.DecimalField(label=_("面积（平方米）"), max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    lease_start = forms.DateField(label=_("租期起始日"), required=False, widget=DateInput())
    lease_end = forms.DateField(
        label=_("租期截止日"), required=False, widget=DateInput(), help_text=_("含当日；自有场地不填租期。")
    )
    monthly_rent = forms.DecimalField(
        label=_("月租金（元）"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    lease_registered = forms.BooleanField(label=_("租赁合同已备案"), required=False)
    note = forms.CharField(label=_("备注"), max_length=255, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].queryset = scope_by_jurisdiction(Carrier.objects.order_by("name"), actor)

    def service_data(self) -> dict:
        return dict(self.cleaned_data)

    def field_for_error(self, service_field: str | None) -> str | None:
        return service_field if service_field in self.fields else None
