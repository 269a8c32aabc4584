"""A priority group's own facts (``models.GROUP_DETAILS``): reading them from the words staff and
other systems wrote (the old free-text "说明", an import's cells), and checking them.

``read_detail(group, text)`` finds what it can in a note such as "二级肢体残疾", "4050人员" or
"2021年9月退役"; what it cannot read stays a note for staff to fill in (the rule facts say "to be
verified" for a member whose detail is blank, never guess it).
"""

import datetime
import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from chuangfu.core.cells import CellError, nfkc, parse_date

from .models import GROUP_DETAILS, DisabilityGrade, DisabilityKind, HardshipType, PersonGroup, PriorityGroup

_GRADE = re.compile(r"([一二三四1-4])\s*级")
_GRADES = {"一": "1", "二": "2", "三": "3", "四": "4", "1": "1", "2": "2", "3": "3", "4": "4"}
_KINDS = (
    (("多重",), DisabilityKind.MULTIPLE),
    (("视力", "视障", "盲", "低视力"), DisabilityKind.VISUAL),
    (("听力", "听障", "聋"), DisabilityKind.HEARING),
    (("言语", "语言"), DisabilityKind.SPEECH),
    (("肢体", "肢残"), DisabilityKind.PHYSICAL),
    (("智力", "智障"), DisabilityKind.INTELLECTUAL),
    (("精神",), DisabilityKind.MENTAL),
)
_HARDSHIP = (
    (("4050", "大龄", "女满40", "男满50", "女40", "男50"), HardshipType.OLDER),
    (("零就业",), HardshipType.ZERO_EMPLOYMENT),
    (("低保", "最低生活保障"), HardshipType.LOW_INCOME),
    (("残疾", "残障"), HardshipType.DISABLED),
    (("连续失业", "长期失业", "失业一年", "失业1年"), HardshipType.LONG_UNEMPLOYED),
    (("失地", "征地"), HardshipType.LAND_LOST),
)
_DATE_TEXT = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})(?:\s*[-./月]\s*(\d{1,2}))?")
_DATE_FIELDS = {"discharged_on", "unemployed_since"}


def _first(table, raw: str):
    for words, code in table:
        if any(w in raw for w in words):
            return code
    return ""


def _date_in(raw: str) -> datetime.date | None:
    match = _DATE_TEXT.search(raw)
    if not match:
        return None
    year, month, day = match.group(1), match.group(2), match.group(3) or "1"
    try:
        return parse_date(f"{year}-{int(month):02d}-{int(day):02d}")
    except CellError:
        return None


def read_detail(group: str, text: str) -> dict:
    """The details of ``group`` that ``text`` states, as {field: value} (only those found)."""
    raw = nfkc(text)
    found: dict = {}
    if not raw:
        return found
    if group == PriorityGroup.DISABLED:
        match = _GRADE.search(raw)
        if match:
            found["disability_grade"] = _GRADES[match.group(1)]
        kind = _first(_KINDS, raw)
        if kind:
            found["disability_kind"] = kind
    elif group == PriorityGroup.HARD_TO_EMPLOY:
        kind = _first(_HARDSHIP, raw)
        if kind:
            found["hardship_type"] = kind
    elif group in (PriorityGroup.VETERAN, PriorityGroup.LONG_TERM_UNEMPLOYED_YOUTH):
        day = _date_in(raw)
        if day is not None:
            name = "discharged_on" if group == PriorityGroup.VETERAN else "unemployed_since"
            found[name] = day
    return found


def missing_details(row: PersonGroup) -> list[str]:
    """The labels of the details of ``row``'s group that are not filled in."""
    return [
        str(PersonGroup._meta.get_field(name).verbose_name)
        for name, group in GROUP_DETAILS.items()
        if group == row.group and getattr(row, name) in ("", None)
    ]


CHOICES = {
    "hardship_type": set(HardshipType.values),
    "disability_grade": set(DisabilityGrade.values),
    "disability_kind": set(DisabilityKind.values),
}


def check_details(details: dict, groups, today: datetime.date) -> dict[str, str]:
    """{field: message} for every detail that is wrong: unknown, of a group the person is not in,
    a choice outside its list, a date in the future."""
    problems = {}
    for name, value in details.items():
        if name not in GROUP_DETAILS:
            problems[name] = _("未知的重点人群信息：%(name)s。") % {"name": name}
            continue
        if value in ("", None):
            continue
        label = PersonGroup._meta.get_field(name).verbose_name
        group = GROUP_DETAILS[name]
        if group not in groups:
            problems[name] = _("填写%(label)s须同时勾选重点人群“%(group)s”。") % {
                "label": label,
                "group": PriorityGroup(group).label,
            }
        elif name in _DATE_FIELDS:
            if not isinstance(value, datetime.date):
                problems[name] = _("%(label)s不是有效日期。") % {"label": label}
            elif value > today:
                problems[name] = _("%(label)s不能晚于今天。") % {"label": label}
        elif value not in CHOICES[name]:
            problems[name] = _("%(label)s“%(value)s”不在可选范围内。") % {"label": label, "value": value}
    return problems


def detail_texts(row: PersonGroup) -> list[str]:
    """The filled details of ``row``'s group in words: ["残疾等级：二级", "残疾类别：肢体残疾"]."""
    out = []
    for name, group in GROUP_DETAILS.items():
        value = getattr(row, name)
        if group != row.group or value in ("", None):
            continue
        field = PersonGroup._meta.get_field(name)
        shown = value.isoformat() if name in _DATE_FIELDS else str(dict(field.flatchoices).get(value, value))
        out.append(f"{field.verbose_name}：{shown}")
    return out


def group_text(row: PersonGroup) -> str:
    """A group as the audit log keeps it: its name, and its details when there are any — in the
    site's language (Chinese) whatever the language of the account that made the change, so one
    person's history reads the same throughout."""
    with translation.override(settings.LANGUAGE_CODE):
        texts = detail_texts(row)
        name = str(PriorityGroup(row.group).label) if row.group in PriorityGroup.values else row.group
    return f"{name}（{'；'.join(texts)}）" if texts else name
