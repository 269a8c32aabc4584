"""People from 人社-style exports, matched by the keyed hash of the ID number."""

import functools
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from chuangfu.core.cells import nfkc, parse_date, text
from chuangfu.core.crypto import lookup_hash, mask_id_number, mask_mobile
from chuangfu.core.identifiers import birth_date_from_id, gender_from_id, validate_id_number, validate_mobile
from chuangfu.core.imports import SourceRow, Table

from ..models import Person, PersonGroup, PriorityGroup
from ..search import name_pinyin
from . import rules
from .base import Importer, Row, RowRejected, labelled, not_future, set_filled, validated, within_length
from .group_details import detail_tokens, set_details, stored_tokens, token_shown


@functools.lru_cache(maxsize=200_000)
def person_pinyin(name: str) -> str:
    """People's names repeat (张伟, 王芳): spell each distinct one once."""
    return name_pinyin(name, surname=True)


class PersonImporter(Importer):
    kind = "person"
    model = Person
    columns = rules.PERSON_COLUMNS
    key_column = "id_number"
    key_field = "id_number_hash"
    extras_field = "groups"
    audit_action = "registry.person.imported"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.field_labels["groups"] = _("重点人群")
        self.mobiles_seen: dict[str, int] = {}

    def same_what(self) -> str:
        return _("人（身份证号码相同）")

    def elsewhere_message(self) -> str:
        return _("该身份证号码已登记在其他镇（街道）的名录中，本次导入不修改它。")

    def shown(self, source: SourceRow) -> str:
        raw = nfkc(source.cells.get("id_number", "")).upper()
        return mask_id_number(raw) if len(raw) > 10 else ("*" * len(raw))

    def read(self, source: SourceRow, table: Table) -> Row:
        cells = source.cells
        raw_id = nfkc(cells.get("id_number"))
        if not raw_id:
            raise RowRejected(_("缺少身份证号码。"))
        id_number = validated(validate_id_number, raw_id)
        name = text(cells.get("name"))
        if not name:
            raise RowRejected(_("缺少姓名。"))
        values: dict[str, Any] = {"id_number": id_number, "name": within_length(name, 64, self.label["name"])}
        warnings: list[str] = []
        gender = text(cells.get("gender", ""))
        if gender in ("男", "女") and {"男": "M", "女": "F"}[gender] != gender_from_id(id_number):
            warnings.append(_("性别“%(v)s”与身份证号码不符，以身份证号码为准。") % {"v": gender})
        mobile = nfkc(cells.get("mobile", ""))
        if mobile:
            digits = mobile.replace("-", "").replace(" ", "")
            if digits.startswith("0") or (digits.isdigit() and len(digits) in (7, 8)):
                warnings.append(_("“%(v)s”是固定电话，不是手机号码，未导入。") % {"v": mobile})
            else:
                values["mobile"] = validated(validate_mobile, mobile)
        kind = text(cells.get("hukou_kind", ""))
        if kind:
            code = rules.hukou_kind(kind)
            if code is None:
                warnings.append(
                    _("户籍性质“%(v)s”无法确定（如外省市户籍请注明是否持有上海市居住证），未导入。") % {"v": kind}
                )
            else:
                values["hukou_kind"] = code
        address = within_length(text(cells.get("address", "")), 255, self.label["address"])
        set_filled(values, "address", address)
        for column, table_ in (("education", rules.EDUCATIONS), ("employment_status", rules.EMPLOYMENT_STATUSES)):
            raw = text(cells.get(column, ""))
            if raw:
                code = table_(raw)
                if code is None:
                    warnings.append(_("%(label)s“%(v)s”无法识别，未导入。") % {"label": self.label[column], "v": raw})
                else:
                    values[column] = code
        graduated = labelled(
            self.label["graduation_date"], parse_date, cells.get("graduation_date"), month_precision=True
        )
        set_filled(values, "graduation_date", not_future(graduated, self.label["graduation_date"]))
        registered = labelled(
            self.label["unemployment_registered_on"], parse_date, cells.get("unemployment_registered_on")
        )
        set_filled(
            values, "unemployment_registered_on", not_future(registered, self.label["unemployment_registered_on"])
        )
        intent = rules.entrepreneurial_intent(cells.get("entrepreneurial_intent", ""))
        if intent is not None:
            values["entrepreneurial_intent"] = intent
        groups, unknown = rules.priority_groups(cells.get("groups", ""))
        if unknown:
            warnings.append(_("重点人群“%(v)s”无法识别，未导入。") % {"v": "、".join(unknown)})
        groups += detail_tokens(cells, groups, warnings)
        town, jurisdiction = self.place(cells, address, warnings)
        values["jurisdiction"] = jurisdiction
        key = lookup_hash(id_number)
        return Row(source.number, key, mask_id_number(id_number), name, values, groups, town, warnings)

    def existing(self, rows: list[Row]) -> dict[str, models.Model]:
        if not rows:
            return {}
        found = Person.objects.filter(id_number_hash__in=[r.key for r in rows]).select_related("jurisdiction")
        return {p.id_number_hash: p for p in found}

    def conflicts(self, rows: list[Row], existing: dict) -> dict[int, str]:
        """A mobile already held by someone else (in the registry or earlier in the file) is refused."""
        wanted = [(lookup_hash(r.values["mobile"]), r) for r in rows if "mobile" in r.values]
        holders: dict[str, set[str]] = {}
        held = Person.objects.filter(mobile_hash__in={h for h, _r in wanted}).values_list(
            "mobile_hash", "id_number_hash"
        )
        for mobile_hash, id_hash in held:
            holders.setdefault(mobile_hash, set()).add(id_hash)
        clashes = {}
        for mobile_hash, row in wanted:
            others = holders.get(mobile_hash, set()) - {row.key}
            if others:
                clashes[row.number] = _("手机号码 %(m)s 已登记在名录中的另一人名下。") % {
                    "m": mask_mobile(row.values["mobile"])
                }
                continue
            first = self.mobiles_seen.setdefault(mobile_hash, row.number)
            if first != row.number:
                clashes[row.number] = _("手机号码与第 %(n)d 行的另一人相同。") % {"n": first}
        return clashes

    def existing_extras(self, pks: list[int]) -> dict[int, set[str]]:
        """Groups by code, and each group's filled details as ``field=value`` tokens."""
        found: dict[int, set[str]] = {}
        for row in PersonGroup.objects.filter(person_id__in=pks):
            found.setdefault(row.person_id, set()).update([row.group, *stored_tokens(row)])
        return found

    def build(self, row: Row) -> Person:
        return Person(created_at=self.now, updated_at=self.now, **row.values)

    def derive(self, obj, changed: list[str]) -> list[str]:
        written = []
        if "id_number" in changed:
            obj.birth_date = birth_date_from_id(obj.id_number)
            obj.gender = gender_from_id(obj.id_number)
        if "name" in changed:
            obj.name_pinyin = person_pinyin(obj.name)
            written.append("name_pinyin")
        if "mobile" in changed:
            obj.mobile_hash = lookup_hash(obj.mobile)  # bulk_update does not run the field's pre_save
            written.append("mobile_hash")
        return written

    def add_extras(self, items) -> None:
        PersonGroup.objects.bulk_create(
            [
                PersonGroup(person_id=obj.pk, group=group)
                for obj, groups in items
                for group in groups
                if "=" not in group
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        set_details([(obj.pk, [t for t in extras if "=" in t]) for obj, extras in items])

    def extras_shown(self, extras: list[str]) -> list[str]:
        return [token_shown(g) if "=" in g else str(PriorityGroup(g).label) for g in extras]
