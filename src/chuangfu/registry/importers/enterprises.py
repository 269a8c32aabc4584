"""Enterprises from 市场监管-style exports, matched by USCC."""

import functools
import unicodedata
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from pypinyin.seg.simpleseg import seg as pinyin_words

from chuangfu.core.cells import CellError, ForeignCurrency, nfkc, parse_count, parse_date, parse_wan_yuan, text
from chuangfu.core.identifiers import validate_uscc
from chuangfu.core.imports import SourceRow, Table

from ..models import Enterprise, EntityType, Tag
from ..search import name_pinyin
from . import rules
from .base import Importer, Row, RowRejected, labelled, not_future, set_filled, validated, within_length


@functools.lru_cache(maxsize=200_000)
def _word_pinyin(word: str) -> tuple[str, str]:
    full, _space, initials = name_pinyin(word).partition(" ")
    return full, initials


def enterprise_pinyin(name: str) -> str:
    """``search.name_pinyin(name)``, assembled from cached words.

    pypinyin spells each word of its own segmentation independently, so spelling the words one
    by one gives exactly the whole (a property test holds the two equal). Enterprise names
    repeat their words (上海, 科技, 有限公司), so a large import spells each word once.
    """
    parts = [_word_pinyin(w) for w in pinyin_words(unicodedata.normalize("NFKC", name).strip())]
    full = "".join(p[0] for p in parts)
    initials = "".join(p[1] for p in parts)
    return " ".join(w for w in (full, initials) if w)


class EnterpriseImporter(Importer):
    kind = "enterprise"
    model = Enterprise
    columns = rules.ENTERPRISE_COLUMNS
    key_column = "uscc"
    key_field = "uscc"
    extras_field = "tags"
    audit_action = "registry.enterprise.imported"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.tags = {t.name: t for t in Tag.objects.all()}

    def same_what(self) -> str:
        return _("企业（统一社会信用代码相同）")

    def elsewhere_message(self) -> str:
        return _("该统一社会信用代码已登记在其他镇（街道）的名录中，本次导入不修改它。")

    def read(self, source: SourceRow, table: Table) -> Row:
        cells = source.cells
        uscc_raw = nfkc(cells.get("uscc"))
        if not uscc_raw:
            raise RowRejected(_("缺少统一社会信用代码。"))
        uscc = validated(validate_uscc, uscc_raw)
        name = text(cells.get("name"))
        if not name:
            raise RowRejected(_("缺少企业名称。"))
        values: dict[str, Any] = {"uscc": uscc, "name": within_length(name, 255, self.label["name"])}
        warnings: list[str] = []
        kind = text(cells.get("entity_type", ""))
        if kind:
            values["entity_type"] = rules.ENTITY_TYPES(kind) or EntityType.OTHER
        set_filled(
            values,
            "legal_representative_name",
            within_length(
                text(cells.get("legal_representative_name", "")), 64, self.label["legal_representative_name"]
            ),
        )
        founded = labelled(self.label["founded_on"], parse_date, cells.get("founded_on"))
        set_filled(values, "founded_on", not_future(founded, self.label["founded_on"]))
        status = text(cells.get("registration_status", ""))
        if status:
            code = rules.REGISTRATION_STATUSES(status)
            if code is None:
                warnings.append(_("登记状态“%(v)s”无法识别，未导入。") % {"v": status})
            else:
                values["registration_status"] = code
        address = within_length(text(cells.get("address", "")), 255, self.label["address"])
        set_filled(values, "address", address)
        industry = text(cells.get("industry", ""))
        if industry:
            try:
                section, division = rules.industry(industry)
            except CellError as exc:
                warnings.append(str(exc))
            else:
                values["industry_section"] = section
                set_filled(values, "industry_division", division)
                set_filled(values, "industry_class", rules.industry_class(industry))
        try:
            capital = labelled(
                self.label["registered_capital"],
                parse_wan_yuan,
                cells.get("registered_capital"),
                unit=table.units.get("registered_capital", "万元"),
            )
        except ForeignCurrency as exc:
            warnings.append(str(exc))
        else:
            set_filled(values, "registered_capital", capital)
        set_filled(
            values,
            "insured_employees",
            labelled(self.label["insured_employees"], parse_count, cells.get("insured_employees")),
        )
        set_filled(values, "business_scope", text(cells.get("business_scope", "")))
        extras = []
        for tag_name in rules.split_list(cells.get("tags", "")):
            tag = self.tags.get(tag_name)
            if tag is None:
                warnings.append(_("标签“%(v)s”不存在，未导入（可由管理员先添加该标签）。") % {"v": tag_name})
            elif str(tag.pk) not in extras:
                extras.append(str(tag.pk))
        town, jurisdiction = self.place(cells, address, warnings)
        values["jurisdiction"] = jurisdiction
        return Row(source.number, uscc, uscc, name[:64], values, extras, town, warnings)

    def existing(self, rows: list[Row]) -> dict[str, models.Model]:
        if not rows:
            return {}
        return {
            e.uscc: e for e in Enterprise.objects.filter(uscc__in=[r.key for r in rows]).select_related("jurisdiction")
        }

    def existing_extras(self, pks: list[int]) -> dict[int, set[str]]:
        found: dict[int, set[str]] = {}
        through = Enterprise.tags.through
        for enterprise_id, tag_id in through.objects.filter(enterprise_id__in=pks).values_list(
            "enterprise_id", "tag_id"
        ):
            found.setdefault(enterprise_id, set()).add(str(tag_id))
        return found

    def build(self, row: Row) -> Enterprise:
        obj = Enterprise(created_at=self.now, updated_at=self.now, **row.values)
        if "entity_type" not in row.values:
            obj.entity_type = rules.USCC_ENTITY_TYPES.get(row.key[:2], EntityType.COMPANY)
        return obj

    def derive(self, obj, changed: list[str]) -> list[str]:
        if "name" in changed:
            obj.name_pinyin = enterprise_pinyin(obj.name)
            return ["name_pinyin"]
        return []

    def add_extras(self, items) -> None:
        through = Enterprise.tags.through
        through.objects.bulk_create(
            [through(enterprise_id=obj.pk, tag_id=int(tag_id)) for obj, tags in items for tag_id in tags],
            ignore_conflicts=True,
            batch_size=500,
        )

    def extras_shown(self, extras: list[str]) -> list[str]:
        names = {str(t.pk): t.name for t in self.tags.values()}
        return [names[e] for e in extras]
