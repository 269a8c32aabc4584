"""Forms of the 公示 and 拨付 pages. They check shapes only; the services decide."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.bounds import BoundedInputsMixin

from .models import CYCLE_KINDS, PeriodKind
from .services.notices import MAX_NOTICE_DAYS, notice_days


class ApplicationChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, a):
        return f"{a.number} · {a.subject} · {a.policy.title} · {a.amount} 元"


class NoticeBatchForm(BoundedInputsMixin, forms.Form):
    title = forms.CharField(label=_("公示标题"), max_length=128, help_text=_("如：2026年第3批创业补贴拟核准名单公示"))
    days = forms.IntegerField(label=_("公示期（工作日）"), min_value=1, max_value=MAX_NOTICE_DAYS)
    applications = ApplicationChoice(
        label=_("复审通过的申请"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一份复审通过的申请。")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = notice_days()
        self.fields["applications"].queryset = candidates


class DisbursementBatchForm(BoundedInputsMixin, forms.Form):
    title = forms.CharField(label=_("拨付批次标题"), max_length=128, help_text=_("如：2026年11月创业补贴拨付"))
    applications = ApplicationChoice(
        label=_("已核准的申请"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一份已核准的申请。")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = candidates


class ObjectionForm(BoundedInputsMixin, forms.Form):
    name = forms.CharField(label=_("您的姓名"), max_length=64)
    mobile = forms.CharField(
        label=_("联系电话"), max_length=32, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
    )
    content = forms.CharField(label=_("异议事实和理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        if entries is not None:
            self.fields = {
                "entry": forms.ModelChoiceField(
                    label=_("对哪一项提出异议"),
                    queryset=entries,
                    empty_label=_("请选择"),
                    widget=forms.Select,
                ),
                **self.fields,
            }


class ResolveForm(BoundedInputsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结果"),
        widget=forms.RadioSelect,
        choices=[("dismiss", _("异议不成立")), ("uphold", _("异议成立（驳回申请）"))],
    )
    resolution = forms.CharField(label=_("处理意见"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class PaymentForm(BoundedInputsMixin, forms.Form):
    amount = forms.DecimalField(label=_("拨付金额（元）"), max_digits=14, decimal_places=2, min_value=0.01)
    paid_on = forms.DateField(label=_("拨付日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reference = forms.CharField(label=_("支付凭证号"), max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class ImportForm(BoundedInputsMixin, forms.Form):
    file = forms.FileField(
        label=_("财务拨付结果（.xlsx / .xls / .csv）"),
        help_text=_(
            "列：申请编号、申请人（可选）、拨付金额、拨付日期、支付凭证号。可直接使用导出的拨付清单填写后上传。"
        ),
    )


class PeriodForm(BoundedInputsMixin, forms.Form):
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data


def default_year() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return datetime.date(today.year, 1, 1), today


class EntitlementBuildForm(BoundedInputsMixin, forms.Form):
    """生成本期名单: a policy obtained automatically, for one town the reviewer sees."""

    policy = forms.ModelChoiceField(label=_("政策"), queryset=None, empty_label=_("请选择"))
    town = forms.ModelChoiceField(label=_("镇（街道）"), queryset=None, empty_label=None)

    def __init__(self, *args, policies, towns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = policies
        self.fields["town"].queryset = towns


class EntitlementExcludeForm(BoundedInputsMixin, forms.Form):
    reason = forms.CharField(label=_("不予列入的理由"), max_length=500)


class EntitlementCycleForm(BoundedInputsMixin, forms.Form):
    cycle = forms.ChoiceField(label=_("发放周期"), choices=())
    max_amount_per_year = forms.DecimalField(
        label=_("每个对象每年最高金额（元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [(k, PeriodKind(k).label) for k in CYCLE_KINDS]
