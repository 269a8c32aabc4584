"""Forms: policy and version fields, list filters, outreach, grant import, and the questions built
from the facts that rules use — shared by rule test cases (a described subject) and the public
self-check (我能享受哪些政策)."""

from collections import OrderedDict
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangfu.core.bounds import BoundedInputsMixin
from chuangfu.core.models import Jurisdiction, Unit
from chuangfu.core.scoping import assignable_jurisdictions

from . import rules
from .models import Adoption, Category, Level, ObtainMode, OutreachContact, Policy, PolicyVersion, Result, Target
from .rules.facts import (
    CATALOGUE,
    FACTS,
    OUTSIDE,
    EmployeesInsuredFact,
    GrantedFact,
    HukouPlaceFact,
    RelationFact,
    RepresentsFact,
    months_arg,
)
from .rules.facts.groups import NONE
from .rules.facts.text import MAX_SCOPE_LENGTH
from .rules.operators import BOOL, CHOICE, DATE, INDUSTRY, KEYWORDS, NUMBER, PLACE, SET


class PolicyForm(BoundedInputsMixin, forms.ModelForm):
    apply_url = forms.URLField(
        label=_("办理链接"), required=False, assume_scheme="https", help_text=_("在其他渠道申请时必填。")
    )

    class Meta:
        model = Policy
        fields = [
            "title",
            "code",
            "level",
            "category",
            "target",
            "document_number",
            "issuing_body",
            "jurisdiction",
            "handling_unit",
            "handling_unit_name",
            "obtain_mode",
            "apply_url",
            "is_example",
        ]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        places = assignable_jurisdictions(actor).exclude(level=Jurisdiction.Level.VILLAGE)
        self.fields["jurisdiction"].queryset = places
        self.fields["handling_unit"].queryset = Unit.objects.filter(jurisdiction__in=places, active=True)
        if self.instance.pk and self.instance.versions.exists():
            self.fields["target"].disabled = True


class VersionForm(BoundedInputsMixin, forms.ModelForm):
    class Meta:
        model = PolicyVersion
        fields = [
            "effective_from",
            "effective_to",
            "summary",
            "full_text",
            "benefit_kind",
            "benefit_amount",
            "benefit_cap",
            "benefit_max_months",
            "benefit_max_heads",
            "max_times",
            "benefit_note",
            "materials",
        ]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "effective_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "full_text": forms.Textarea(attrs={"rows": 6}),
            "materials": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


class PolicyFilterForm(BoundedInputsMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("政策名称、文号或关键词，如：创业补贴")}),
    )
    level = forms.ChoiceField(label=_("层级"), required=False, choices=[("", _("全部"))] + Level.choices)
    category = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部"))] + Category.choices)
    target = forms.ChoiceField(label=_("对象"), required=False, choices=[("", _("全部"))] + Target.choices)
    obtain_mode = forms.ChoiceField(label=_("办理方式"), required=False, choices=[("", _("全部"))] + ObtainMode.choices)


class CampaignForm(BoundedInputsMixin, forms.Form):
    jurisdiction = forms.ModelChoiceField(label=_("范围"), queryset=Jurisdiction.objects.none())
    title = forms.CharField(label=_("标题"), max_length=128)
    message = forms.CharField(label=_("通知内容"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    send_sms = forms.BooleanField(label=_("发送短信"), required=False, initial=True)
    send_inapp = forms.BooleanField(label=_("发送站内消息"), required=False, initial=True)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = places


class ContactForm(BoundedInputsMixin, forms.Form):
    channel = forms.ChoiceField(label=_("方式"), choices=OutreachContact.Channel.choices)
    reached = forms.BooleanField(label=_("已触达"), required=False)
    applied_on = forms.DateField(label=_("申请日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("备注"), required=False, max_length=255)


class GrantImportForm(BoundedInputsMixin, forms.Form):
    file = forms.FileField(label=_("享受名单（.xlsx / .xls / .csv）"))
    reference = forms.CharField(label=_("批次说明"), required=False, max_length=64)


class RatesFilterForm(BoundedInputsMixin, forms.Form):
    start = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("截止日期早于起始日期。"))
        return data


# --- questions built from the facts the rules use ---------------------------------------------


@dataclass
class Question:
    fact: object
    key: str
    children: "OrderedDict[str, Question]" = field(default_factory=OrderedDict)
    policies: "OrderedDict[str, str]" = field(default_factory=OrderedDict)  # granted: code -> title
    months: set = field(default_factory=set)  # employees insured: the months each condition names


_ORDER = {f.name: i for i, f in enumerate(CATALOGUE)}


def plan_questions(items, subject: str) -> list[Question]:
    """The questions to ask about a subject, from ``items`` = [(rule, policy code)], catalogue order."""
    top: OrderedDict[str, Question] = OrderedDict()
    titles = rules.Context(on=None)

    def walk(node, bucket, prefix, code):
        kind = rules.nodes.node_kind(node)
        if kind in ("all", "any"):
            for child in node[kind]:
                walk(child, bucket, prefix, code)
            return
        if kind == "not":
            walk(node["not"], bucket, prefix, code)
            return
        fact = FACTS.get(node.get("fact"))
        if fact is None:
            return
        question = bucket.setdefault(fact.name, Question(fact, prefix + fact.name))
        if isinstance(fact, RelationFact) and isinstance(node.get("value"), dict):
            walk(node["value"], question.children, question.key + "__", code)
        elif isinstance(fact, GrantedFact):
            reference = (node.get("args") or {}).get("policy", "self")
            policy_code = code if reference == "self" else reference
            question.policies[policy_code] = titles.policy_title(policy_code)
        elif isinstance(fact, EmployeesInsuredFact):
            question.months.add(months_arg(node))

    for rule, code in items:
        walk(rule, top, "", code)

    def ordered(bucket):
        questions = sorted(bucket.values(), key=lambda q: _ORDER[q.fact.name])
        for q in questions:
            q.children = OrderedDict((c.fact.name, c) for c in ordered(q.children))
        return questions

    return [q for q in ordered(top) if q.fact.subject == subject]


UNKNOWN = ("", _("不详"))
MAX_ENTERPRISES = 3  # enterprises a described person may represent, in the forms


def _enterprise_prefix(key: str, n: int) -> str:
    """The field prefix of the n-th enterprise under ``key`` (the first keeps the plain prefix)."""
    return f"{key}__" if n == 1 else f"{key}__{n}__"


def _months_key(key: str, n: int, question: Question) -> str:
    """The field of "employees insured for n months": the first count asked keeps the plain key."""
    return key if n == min(question.months) else f"{key}__m{n}"


def _places():
    towns = Jurisdiction.objects.filter(
        level__in=[Jurisdiction.Level.DISTRICT, Jurisdiction.Level.TOWN, Jurisdiction.Level.VILLAGE]
    ).order_by("path")
    return [(j.code, ("　" * j.path.count("/")) + str(j)) for j in towns]


class FactsForm(BoundedInputsMixin, forms.Form):
    """One field per question; blank means "not known", so the rule says "unknown" for it.

    ``mode="check"`` words fields as questions to the public and asks which policies were
    already received; ``mode="case"`` words them as facts for staff and asks, per policy, how
    many months ago it was granted.
    """

    def __init__(self, *args, questions: list[Question], mode: str = "case", **kwargs):
        self.questions = questions
        self.mode = mode
        super().__init__(*args, **kwargs)
        for question in questions:
            self._add(question)

    def _label(self, question: Question) -> str:
        fact = question.fact
        if self.mode == "check" and fact.question:
            return str(fact.question)
        return f"{fact.label}（{fact.unit}）" if fact.unit else str(fact.label)

    def _add(self, question: Question, key: str = "", label_prefix: str = "") -> None:
        fact, key, label = question.fact, key or question.key, label_prefix + self._label(question)
        if isinstance(fact, RelationFact):
            many = isinstance(fact, RepresentsFact)
            if fact.name == "represents":
                choices = [UNKNOWN, ("none", _("不是任何企业的法定代表人")), ("one", _("是，一家企业，情况如下"))]
                choices += [(str(n), _("是，%(n)s 家企业，情况如下") % {"n": n}) for n in range(2, MAX_ENTERPRISES + 1)]
            elif many:
                choices = [UNKNOWN, ("none", _("没有")), ("one", _("有一家企业，情况如下"))]
                choices += [(str(n), _("有 %(n)s 家企业，情况如下") % {"n": n}) for n in range(2, MAX_ENTERPRISES + 1)]
            else:
                choices = [("", _("不详（法定代表人不在名录中）")), ("known", _("已知，情况如下"))]
            self.fields[key] = forms.ChoiceField(label=label, choices=choices, required=False)
            count = MAX_ENTERPRISES if many else 1
            for n in range(1, count + 1):
                prefix = _enterprise_prefix(key, n)
                numbered = _("第 %(n)s 家企业：") % {"n": n} if count > 1 else ""
                if getattr(fact, "by_share", False):
                    self.fields[prefix + "share"] = forms.DecimalField(
                        label=numbered + str(_("持股比例（%）")),
                        required=False,
                        min_value=0,
                        max_value=100,
                        max_digits=5,
                        decimal_places=2,
                    )
                for child in question.children.values():
                    self._add(child, prefix + child.fact.name, numbered)
            return
        if isinstance(fact, GrantedFact):
            if self.mode == "check":
                self.fields[key] = forms.MultipleChoiceField(
                    label=_("您已享受过以下哪些政策（没有则不选）"),
                    required=False,
                    choices=list(question.policies.items()),
                    widget=forms.CheckboxSelectMultiple,
                )
            else:
                self.fields[f"{key}__unknown"] = forms.BooleanField(label=_("享受情况不详"), required=False)
                for code, title in question.policies.items():
                    self.fields[f"{key}__{code}"] = forms.IntegerField(
                        label=_("已享受“%(title)s”至今月数（从未享受则留空）") % {"title": title},
                        required=False,
                        min_value=0,
                    )
            return
        if isinstance(fact, EmployeesInsuredFact):
            for n in sorted(question.months):
                self.fields[_months_key(key, n, question)] = forms.IntegerField(
                    label=label_prefix + fact.label_for({"args": {"months": n}}),
                    required=False,
                    min_value=0,
                    max_value=fact.maximum,
                )
            return
        if fact.type == NUMBER:
            self.fields[key] = forms.IntegerField(label=label, required=False, min_value=0, max_value=fact.maximum)
        elif fact.type == DATE:
            self.fields[key] = forms.DateField(
                label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
        elif fact.type == CHOICE:
            self.fields[key] = forms.ChoiceField(label=label, required=False, choices=[UNKNOWN, *fact.choices()])
        elif fact.type == SET:
            self.fields[key] = forms.MultipleChoiceField(
                label=_("%(label)s（都不是则不选）") % {"label": label},
                required=False,
                choices=fact.choices(),
                widget=forms.CheckboxSelectMultiple,
            )
        elif fact.type == BOOL:
            self.fields[key] = forms.ChoiceField(
                label=label, required=False, choices=[UNKNOWN, ("true", _("是")), ("false", _("否"))]
            )
        elif fact.type == INDUSTRY:
            self.fields[key] = forms.CharField(
                label=label, required=False, max_length=4, help_text=_("如 F、52、529 或 5292；不详留空")
            )
        elif fact.type == KEYWORDS:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=MAX_SCOPE_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("不详留空"),
            )
        elif fact.type == PLACE:
            extra = [(OUTSIDE, _("非本市户籍"))] if isinstance(fact, HukouPlaceFact) else []
            self.fields[key] = forms.ChoiceField(label=label, required=False, choices=[UNKNOWN, *extra, *_places()])
        if fact.type in (NUMBER, DATE) and getattr(fact, "none_label", ""):  # a priority group's detail
            self.fields[f"{key}__none"] = forms.BooleanField(label=fact.none_label, required=False)

    def field_groups(self) -> list[dict]:
        """The fields question by question, for the template: ``main`` (the question itself),
        ``details`` (what a relation or a grant asks under it, drawn indented beneath) and
        ``wide`` (a list of checkboxes, drawn across the form)."""
        groups = []
        for question in self.questions:
            names = [n for n in self.fields if n == question.key or n.startswith(question.key + "__")]
            if not names:
                continue
            main, details = self[names[0]], [self[n] for n in names[1:]]
            groups.append(
                {
                    "main": main,
                    "details": details,
                    "wide": bool(details)
                    or getattr(main.field.widget, "allow_multiple_selected", False)
                    or isinstance(main.field.widget, forms.CheckboxSelectMultiple),
                }
            )
        return groups

    def facts(self) -> dict:
        """The described subject as fact values (only what was answered)."""
        return self._collect(self.questions)

    def _collect(self, questions, prefix: str | None = None) -> dict:
        data = self.cleaned_data
        out = {}
        for question in questions:
            fact = question.fact
            key = question.key if prefix is None else prefix + fact.name
            if isinstance(fact, RelationFact):
                answer = data.get(key)
                children = question.children.values()
                if isinstance(fact, RepresentsFact):
                    count = {"none": 0, "one": 1}.get(answer) or (int(answer) if (answer or "").isdigit() else None)
                    if count is not None:
                        out[fact.name] = [
                            self._collect(children, _enterprise_prefix(key, n)) for n in range(1, count + 1)
                        ]
                        if getattr(fact, "by_share", False):
                            for n, item in enumerate(out[fact.name], start=1):
                                share = data.get(_enterprise_prefix(key, n) + "share")
                                if share is not None:
                                    item["share"] = float(share)
                elif answer == "known":
                    out[fact.name] = self._collect(children, key + "__")
                continue
            if isinstance(fact, GrantedFact):
                if self.mode == "check":
                    out[fact.name] = dict.fromkeys(data.get(key) or [], 0)
                elif not data.get(f"{key}__unknown"):
                    out[fact.name] = {
                        code: data[f"{key}__{code}"]
                        for code in question.policies
                        if data.get(f"{key}__{code}") is not None
                    }
                continue
            if isinstance(fact, EmployeesInsuredFact):
                counts = {str(n): data.get(_months_key(key, n, question)) for n in sorted(question.months)}
                counts = {n: c for n, c in counts.items() if c is not None}
                if counts:
                    out[fact.name] = counts
                continue
            value = data.get(key)
            if data.get(f"{key}__none"):
                out[fact.name] = NONE
                continue
            if fact.type == SET:
                out[fact.name] = list(value or [])
            elif value is None or value == "":
                continue
            elif fact.type == BOOL:
                out[fact.name] = value == "true"
            elif fact.type == DATE:
                out[fact.name] = value.isoformat()
            else:
                out[fact.name] = value
        return out

    @staticmethod
    def initial_from(facts: dict, questions, prefix: str | None = None) -> dict:
        """Form initial values for a stored description (editing a rule test case)."""
        initial = {}
        for question in questions:
            fact = question.fact
            key = question.key if prefix is None else prefix + fact.name
            if fact.name not in facts:
                if isinstance(fact, GrantedFact):
                    initial[f"{key}__unknown"] = True
                continue
            value = facts[fact.name]
            if isinstance(fact, RelationFact):
                children = question.children.values()
                if isinstance(fact, RepresentsFact):
                    items = list(value or [])[:MAX_ENTERPRISES]
                    initial[key] = {0: "none", 1: "one"}.get(len(items), str(len(items)))
                    for n, item in enumerate(items, start=1):
                        initial.update(FactsForm.initial_from(item, children, _enterprise_prefix(key, n)))
                        if isinstance(item, dict) and item.get("share") is not None:
                            initial[_enterprise_prefix(key, n) + "share"] = item["share"]
                else:
                    initial[key] = "known"
                    initial.update(FactsForm.initial_from(value, children, key + "__"))
            elif isinstance(fact, GrantedFact):
                for code, months in (value or {}).items():
                    initial[f"{key}__{code}"] = months
            elif isinstance(fact, EmployeesInsuredFact):
                for n in question.months:
                    if isinstance(value, dict) and str(n) in value:
                        initial[_months_key(key, n, question)] = value[str(n)]
            elif fact.type == BOOL:
                initial[key] = "true" if value else "false"
            elif value == NONE and fact.type in (NUMBER, DATE):
                initial[f"{key}__none"] = True
            else:
                initial[key] = value
        return initial


class RuleCaseForm(FactsForm):
    name = forms.CharField(label=_("用例说明"), max_length=128)
    expected = forms.ChoiceField(label=_("预期结果"), choices=Result.choices)
    field_order = ["name", "expected"]


class ConsultationForm(BoundedInputsMixin, forms.Form):
    """Send a draft to member units for comments."""

    units = forms.ModelMultipleChoiceField(
        label=_("征求意见单位"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    due_on = forms.DateField(label=_("反馈截止日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, town=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(jurisdiction=town, active=True).order_by("name")


class ClauseCommentForm(BoundedInputsMixin, forms.Form):
    clause = forms.TypedChoiceField(label=_("条款"), coerce=int, empty_value=None, required=False)
    text = forms.CharField(label=_("意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, clauses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].choices = [("", _("全文"))] + [
            (n, _("第 %(n)d 条") % {"n": n}) for n in range(1, len(clauses) + 1)
        ]


class CommentResponseForm(BoundedInputsMixin, forms.Form):
    adoption = forms.ChoiceField(
        label=_("采纳情况"), choices=[(a.value, a.label) for a in Adoption if a != Adoption.PENDING]
    )
    response = forms.CharField(
        label=_("答复说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IssueForm(BoundedInputsMixin, forms.Form):
    document_number = forms.CharField(label=_("文号"), max_length=64, help_text=_("如：唐府规〔2026〕3号"))
    issued_on = forms.DateField(label=_("印发日期"), widget=forms.DateInput(attrs={"type": "date"}))
