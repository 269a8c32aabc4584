"""快申快享: what an application form may take from the registry, and where it comes from.

A form field of a 快申快享 policy may name one source (``FormField.prefill``); a draft started for
that policy is filled from the subject's registry record, and the applicant sees, field by field,
what was filled and from where, corrects what the form lets them correct, and confirms. Sources
are facts the registry holds about the applicant themselves; personal identifiers kept encrypted
(ID number, mobile) are not among them, since an application's answers are stored in plain JSON.

``SOURCES`` is the one table: code → (subject kind, label, where it comes from, how to read it).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from chuangfu.registry.models import Enterprise, Person

from .models import FieldKind

PERSON_RECORD = _("个人登记信息")
ENTERPRISE_RECORD = _("企业登记信息")
INSURANCE_RECORD = _("企业登记信息（参保人数）")


@dataclass(frozen=True)
class Source:
    code: str
    subject: str  # "person" or "enterprise"
    label: str
    origin: str
    read: Callable  # subject -> value (str, int, date) or None when the registry has none
    kinds: tuple = (FieldKind.TEXT, FieldKind.CHOICE)  # the field kinds it can fill


def _label(record, field: str):
    value = getattr(record, field)
    return getattr(record, f"get_{field}_display")() if value else None


def _rep_name(enterprise: Enterprise):
    if enterprise.legal_representative_id:
        return enterprise.legal_representative.name
    return enterprise.legal_representative_name or None


def _industry(enterprise: Enterprise):
    for field in ("industry_class", "industry_division", "industry_section"):
        if getattr(enterprise, field):
            return getattr(enterprise, f"get_{field}_display")()
    return None


DATE = (FieldKind.DATE, FieldKind.TEXT)
NUMBER = (FieldKind.NUMBER, FieldKind.TEXT)

SOURCES: dict[str, Source] = {
    s.code: s
    for s in (
        Source("person.name", "person", _("姓名"), PERSON_RECORD, lambda p: p.name or None),
        Source("person.birth_date", "person", _("出生日期"), PERSON_RECORD, lambda p: p.birth_date, DATE),
        Source("person.gender", "person", _("性别"), PERSON_RECORD, lambda p: _label(p, "gender")),
        Source("person.hukou_kind", "person", _("户籍性质"), PERSON_RECORD, lambda p: _label(p, "hukou_kind")),
        Source("person.address", "person", _("居住地址"), PERSON_RECORD, lambda p: p.address or None),
        Source("person.education", "person", _("学历"), PERSON_RECORD, lambda p: _label(p, "education")),
        Source("person.graduation_date", "person", _("毕业时间"), PERSON_RECORD, lambda p: p.graduation_date, DATE),
        Source(
            "person.employment_status",
            "person",
            _("就业状态"),
            PERSON_RECORD,
            lambda p: _label(p, "employment_status"),
        ),
        Source(
            "person.unemployment_registered_on",
            "person",
            _("失业登记日期"),
            PERSON_RECORD,
            lambda p: p.unemployment_registered_on,
            DATE,
        ),
        Source("enterprise.name", "enterprise", _("企业名称"), ENTERPRISE_RECORD, lambda e: e.name or None),
        Source("enterprise.uscc", "enterprise", _("统一社会信用代码"), ENTERPRISE_RECORD, lambda e: e.uscc or None),
        Source("enterprise.founded_on", "enterprise", _("成立日期"), ENTERPRISE_RECORD, lambda e: e.founded_on, DATE),
        Source("enterprise.legal_representative", "enterprise", _("法定代表人"), ENTERPRISE_RECORD, _rep_name),
        Source("enterprise.address", "enterprise", _("住所"), ENTERPRISE_RECORD, lambda e: e.address or None),
        Source(
            "enterprise.entity_type", "enterprise", _("主体类型"), ENTERPRISE_RECORD, lambda e: _label(e, "entity_type")
        ),
        Source("enterprise.industry", "enterprise", _("所属行业"), ENTERPRISE_RECORD, _industry),
        Source(
            "enterprise.insured_employees",
            "enterprise",
            _("参保人数"),
            INSURANCE_RECORD,
            lambda e: e.insured_employees,
            NUMBER,
        ),
    )
}


def choices_for(target: str) -> list[tuple[str, str]]:
    """The sources a form of a policy for ``target`` ("person"/"enterprise") may name."""
    return [(s.code, f"{s.origin} · {s.label}") for s in SOURCES.values() if s.subject == target]


def problem(field_kind: str, code: str, target: str) -> str | None:
    """Why a field of ``field_kind`` cannot take ``code`` on a form for ``target``, or None."""
    source = SOURCES.get(code)
    if source is None or source.subject != target:
        return str(_("预填来源“%(code)s”不适用于本政策的申请对象。") % {"code": code})
    if field_kind not in source.kinds:
        return str(_("“%(source)s”不能预填到这种类型的字段。") % {"source": source.label})
    return None


def _as_answer(value, field) -> str | None:
    if value is None or value == "":
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    if field.kind == FieldKind.CHOICE and text not in field.choice_list:
        return None  # the registry's wording is not one of the form's options: the applicant chooses
    return text


@dataclass(frozen=True)
class Filled:
    key: str
    label: str  # the form field's
    source: Source
    value: str | None  # what the registry says (None: it has nothing for this field)


def prefill(form, subject: Person | Enterprise) -> list[Filled]:
    """For each field of ``form`` that names a source, what the subject's registry record gives."""
    target = "person" if isinstance(subject, Person) else "enterprise"
    found = []
    for field in form.fields.all():
        source = SOURCES.get(field.prefill)
        if source is None or source.subject != target:
            continue
        found.append(Filled(field.key, field.label, source, _as_answer(source.read(subject), field)))
    return found
