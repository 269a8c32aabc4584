"""Application forms: what an application for a policy version asks, and its amount rule.

``form_save`` replaces a version's form (fields and materials) from the structured editor, checking
it as a whole before anything is written. ``data_clean`` checks an application's answers against
the form's typed fields; ``amount_compute`` applies the amount rule to them.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError
from chuangfu.core.uploads import KINDS
from chuangfu.policies.models import ObtainMode, PolicyVersion
from chuangfu.policies.permissions import can_edit_policy

from ..models import APPLY_MODES, AmountKind, ApplicationForm, FieldKind, FormField, MaterialRequirement, PeriodKind
from ..prefill import problem as prefill_problem

KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
CENT = Decimal("0.01")


@dataclass
class FieldSpec:
    key: str
    label: str
    kind: str = FieldKind.TEXT
    required: bool = True
    choices: str = ""
    help_text: str = ""
    prefill: str = ""  # 快申快享: the registry source (``prefill.SOURCES``), or empty


@dataclass
class MaterialSpec:
    name: str
    description: str = ""
    required: bool = True
    accepted_kinds: str = "image,pdf"
    id: int | None = None


def _decimal(value, label) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise DomainError("invalid_number", _("“%(label)s”不是有效的数字。") % {"label": label}) from None
    if number < 0 or not number.is_finite():
        raise DomainError("invalid_number", _("“%(label)s”不能为负数。") % {"label": label})
    return number


def _check(values: dict, fields: list[FieldSpec], materials: list[MaterialSpec], policy=None) -> list[str]:
    """Every problem of the form as a whole (empty list: fine)."""
    errors = []
    for f in fields:
        if f.prefill and policy is not None:
            if policy.obtain_mode != ObtainMode.QUICK:
                errors.append(_("只有快申快享的政策可以从登记信息预填（字段“%(label)s”）。") % {"label": f.label})
            elif problem := prefill_problem(f.kind, f.prefill, policy.target):
                errors.append(problem)
    keys = [f.key for f in fields]
    for f in fields:
        if not KEY.match(f.key or ""):
            errors.append(_("字段代码“%(key)s”只能用小写字母开头的字母、数字和下划线（最多 32 位）。") % {"key": f.key})
        if not f.label.strip():
            errors.append(_("字段“%(key)s”缺少名称。") % {"key": f.key})
        if f.kind not in FieldKind.values:
            errors.append(_("字段“%(key)s”的类型无效。") % {"key": f.key})
        if f.kind == FieldKind.CHOICE and not [c for c in f.choices.splitlines() if c.strip()]:
            errors.append(_("选项字段“%(label)s”至少需要一个选项。") % {"label": f.label})
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        errors.append(_("字段代码“%(key)s”重复。") % {"key": key})
    numbers = {f.key for f in fields if f.kind == FieldKind.NUMBER}
    kind = values.get("amount_kind")
    needed = {AmountKind.PER_EMPLOYEE_MONTH: ("heads_field", "months_field"), AmountKind.FEE_SHARE: ("fees_field",)}
    names = {"heads_field": _("参保人数字段"), "months_field": _("月数字段"), "fees_field": _("已缴费用字段")}
    for attr in needed.get(kind, ()):
        if values.get(attr) not in numbers:
            errors.append(
                _("按“%(rule)s”计算时，“%(what)s”须是本表的一个数字字段代码。")
                % {"rule": AmountKind(kind).label, "what": names[attr]}
            )
    if kind not in AmountKind.values:
        errors.append(_("金额计算方式无效。"))
    if values.get("amount_value") is None:
        errors.append(_("请填写金额标准。"))
    elif kind == AmountKind.FEE_SHARE and values["amount_value"] > 100:
        errors.append(_("比例不能超过 100%。"))
    if values.get("period_kind") not in PeriodKind.values:
        errors.append(_("申请周期无效。"))
    if values.get("max_times") is not None and values["max_times"] < 1:
        errors.append(_("最多申请成功次数至少为 1；不限时留空。"))
    for m in materials:
        if not m.name.strip():
            errors.append(_("每项材料都需要名称。"))
        kinds = [k.strip() for k in m.accepted_kinds.split(",") if k.strip()]
        if not kinds or set(kinds) - set(KINDS):
            errors.append(_("材料“%(name)s”的文件类型须从图片、PDF、Office 文档中选择。") % {"name": m.name})
    return errors


def form_save(
    *, actor, version: PolicyVersion, values: dict, fields: list[FieldSpec], materials: list[MaterialSpec]
) -> ApplicationForm:
    """Create or replace the application form of ``version``.

    ``values``: instructions, amount_kind, amount_value, amount_cap, heads_field, months_field,
    fees_field, max_times, max_amount_per_year, period_kind. The whole form is checked first and
    every problem is reported at once (``DomainError`` with ``details["errors"]``); nothing is
    written then. A material that applications already uploaded files for cannot be removed.
    """
    policy = version.policy
    if not can_edit_policy(actor, policy):
        raise DomainError("forbidden", _("您不能编辑这项政策的申请表。"), status=403)
    if policy.obtain_mode not in APPLY_MODES:
        raise DomainError("not_applicable", _("“%(title)s”不在本平台申请，不能设置申请表。") % {"title": policy.title})
    values = dict(values)
    for attr, label in (
        ("amount_value", _("金额标准")),
        ("amount_cap", _("封顶金额")),
        ("max_amount_per_year", _("每年最高金额")),
    ):
        values[attr] = _decimal(values.get(attr), label)
    values["max_times"] = int(values["max_times"]) if values.get("max_times") not in (None, "") else None
    for attr in ("instructions", "heads_field", "months_field", "fees_field"):
        values[attr] = (values.get(attr) or "").strip()
    values.setdefault("period_kind", PeriodKind.NONE)
    fields = [
        FieldSpec(**{**f.__dict__, "key": f.key.strip(), "label": f.label.strip(), "prefill": f.prefill.strip()})
        for f in fields
    ]
    errors = _check(values, fields, materials, policy)
    if errors:
        raise DomainError("invalid_form", "；".join(errors), details={"errors": errors})
    attrs = {
        k: values.get(k)
        for k in (
            "instructions",
            "amount_kind",
            "amount_value",
            "amount_cap",
            "heads_field",
            "months_field",
            "fees_field",
            "max_times",
            "max_amount_per_year",
            "period_kind",
        )
    }
    with transaction.atomic():
        form, created = ApplicationForm.objects.select_for_update().get_or_create(
            version=version, defaults={**attrs, "updated_by": actor}
        )
        if not created:
            for attr, value in attrs.items():
                setattr(form, attr, value)
            form.updated_by = actor
            form.save()
        form.fields.all().delete()
        FormField.objects.bulk_create(
            [
                FormField(
                    form=form,
                    position=i,
                    key=f.key,
                    label=f.label,
                    kind=f.kind,
                    required=f.required,
                    choices=f.choices.strip(),
                    help_text=f.help_text.strip(),
                    prefill=f.prefill,
                )
                for i, f in enumerate(fields, 1)
            ]
        )
        keep = []
        for i, m in enumerate(materials, 1):
            row = form.materials.filter(pk=m.id).first() if m.id else None
            row = row or MaterialRequirement(form=form)
            row.name, row.description, row.required = m.name.strip(), m.description.strip(), m.required
            row.accepted_kinds, row.position = ",".join(k.strip() for k in m.accepted_kinds.split(",") if k.strip()), i
            row.save()
            keep.append(row.pk)
        removed = form.materials.exclude(pk__in=keep)
        from ..models import ApplicationMaterial

        used = list(
            removed.filter(pk__in=ApplicationMaterial.objects.values("requirement_id")).values_list("name", flat=True)
        )
        if used:
            raise DomainError(
                "material_in_use",
                _("材料“%(names)s”已有申请上传了文件，不能删除；可改为非必须。") % {"names": "、".join(used)},
            )
        removed.delete()
        log_action(
            actor=actor,
            action="subsidies.form.saved",
            obj=form,
            jurisdiction=policy.jurisdiction_id,
            after={
                **{k: str(v) if isinstance(v, Decimal) else v for k, v in attrs.items()},
                "fields": [f.key for f in fields],
                "materials": [m.name for m in materials],
            },
        )
    return form


def form_for(version: PolicyVersion) -> ApplicationForm | None:
    return ApplicationForm.objects.filter(version=version).prefetch_related("fields", "materials").first()


# --- an application's answers ---------------------------------------------------------------------


def data_clean(form: ApplicationForm, raw: dict, *, partial: bool = False) -> tuple[dict, dict]:
    """Typed answers from ``raw`` (strings from a page or the API): returns (data, errors by key).

    Numbers become strings of decimals, dates ISO strings, choices one of the options. With
    ``partial`` (a draft being saved) missing required answers are not errors yet.
    """
    data, errors = {}, {}
    for field in form.fields.all():
        value = raw.get(field.key)
        value = "" if value is None else str(value).strip()
        if not value:
            if field.required and not partial:
                errors[field.key] = _("请填写“%(label)s”。") % {"label": field.label}
            continue
        if field.kind == FieldKind.NUMBER:
            try:
                number = Decimal(value.replace(",", ""))
            except InvalidOperation:
                errors[field.key] = _("“%(label)s”须是数字。") % {"label": field.label}
                continue
            if not number.is_finite() or number < 0:
                errors[field.key] = _("“%(label)s”不能为负数。") % {"label": field.label}
                continue
            value = str(number)
        elif field.kind == FieldKind.DATE:
            try:
                value = datetime.date.fromisoformat(value).isoformat()
            except ValueError:
                errors[field.key] = _("“%(label)s”须是日期（如 2026-03-01）。") % {"label": field.label}
                continue
        elif field.kind == FieldKind.CHOICE and value not in field.choice_list:
            errors[field.key] = _("“%(label)s”须从给定选项中选择。") % {"label": field.label}
            continue
        elif len(value) > 500:
            errors[field.key] = _("“%(label)s”不超过 500 字。") % {"label": field.label}
            continue
        data[field.key] = value
    return data, errors


def amount_compute(form: ApplicationForm, data: dict) -> Decimal | None:
    """The amount the rule gives for ``data``, capped; None while an answer it needs is missing."""
    value = form.amount_value

    def number(key):
        raw = data.get(key)
        return Decimal(raw) if raw not in (None, "") else None

    if form.amount_kind == AmountKind.FIXED:
        amount = value
    elif form.amount_kind == AmountKind.PER_EMPLOYEE_MONTH:
        heads, months = number(form.heads_field), number(form.months_field)
        if heads is None or months is None:
            return None
        amount = value * heads * months
    else:
        fees = number(form.fees_field)
        if fees is None:
            return None
        amount = fees * value / 100
    if form.amount_cap is not None:
        amount = min(amount, form.amount_cap)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
