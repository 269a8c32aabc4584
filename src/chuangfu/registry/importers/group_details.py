"""A priority group's own facts in a people import (就业困难人员类别, 残疾等级/类别, 退役日期, 连续失业
起始日期): each cell read as staff would write it, carried beside the groups as ``field=value``
tokens, so an import adds a detail or changes it, and importing the same file again changes
nothing (the tokens of what is stored equal those of the file)."""

from collections import defaultdict

from django.utils.translation import gettext as _

from chuangfu.core.cells import CellError, parse_date, text

from ..groups import read_detail
from ..models import GROUP_DETAILS, PersonGroup
from .base import not_future

_DATES = ("discharged_on", "unemployed_since")


def _label(name: str) -> str:
    return str(PersonGroup._meta.get_field(name).verbose_name)


def _choice(name: str, raw: str) -> str | None:
    """A choice cell by its code, its label, or the words ``read_detail`` knows."""
    field = PersonGroup._meta.get_field(name)
    for code, label in field.flatchoices:
        if raw in (code, str(label)):
            return code
    return read_detail(GROUP_DETAILS[name], raw).get(name)


def detail_tokens(cells: dict, groups: list[str], warnings: list[str]) -> list[str]:
    """The groups the detail cells imply (not yet in ``groups``) and one token per detail read;
    a cell that cannot be read is a warning and is left out."""
    implied, tokens = [], []
    for name, group in GROUP_DETAILS.items():
        raw = text(cells.get(name, ""))
        if not raw:
            continue
        if name in _DATES:
            try:
                value = parse_date(cells.get(name), month_precision=True)
            except CellError as exc:
                warnings.append(f"{_label(name)}：{exc}")
                continue
            value = not_future(value, _label(name))
            value = value.isoformat() if value else None
        else:
            value = _choice(name, raw)
        if not value:
            warnings.append(_("%(label)s“%(v)s”无法识别，未导入。") % {"label": _label(name), "v": raw})
            continue
        if group not in groups and group not in implied:
            implied.append(group)
        tokens.append(f"{name}={value}")
    return implied + tokens


def stored_tokens(row: PersonGroup) -> list[str]:
    out = []
    for name, group in GROUP_DETAILS.items():
        value = getattr(row, name)
        if group == row.group and value not in ("", None):
            out.append(f"{name}={value.isoformat() if name in _DATES else value}")
    return out


def set_details(items: list[tuple[int, list[str]]]) -> None:
    """Write the tokens: one UPDATE per (detail, value) over every person given it."""
    people = defaultdict(list)
    for person_id, tokens in items:
        for token in tokens:
            people[tuple(token.split("=", 1))].append(person_id)
    for (name, value), ids in people.items():
        PersonGroup.objects.filter(person_id__in=ids, group=GROUP_DETAILS[name]).update(**{name: value})


def token_shown(token: str) -> str:
    name, value = token.split("=", 1)
    if name in _DATES:
        return f"{_label(name)}：{value}"
    choices = dict(PersonGroup._meta.get_field(name).flatchoices)
    return f"{_label(name)}：{choices.get(value, value)}"
