"""Bulk import of enterprises and people from other systems' exports (issue 2, point 9).

``run_import`` reads a file through ``core.imports``, decides for every row whether it would
create, update, leave unchanged or reject a record (with the reason in Chinese), and — unless
it is a dry run — writes the result in batches:

* rows are matched to existing records by USCC or by the keyed hash of the ID number, with one
  query per batch, so importing the same file again finds everything "unchanged";
* a blank cell never clears what the registry already holds; tags and priority groups are added,
  never removed;
* each batch is one transaction (records, tags/groups and one audit entry per record); if the
  database refuses it, the batch is retried row by row, each row in its own savepoint, so a bad
  row is rejected whole and never half-saved;
* only rows of the chosen town (or its villages) are accepted; a record already registered in
  another town is not touched.

The ``registry.import`` job handler runs the same thing on the task queue with progress, and
stores the row report (.xlsx) as the job's output file.
"""
import datetime
import functools
import io
import itertools
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypinyin.seg.simpleseg import seg as pinyin_words

from chuangfu.core.audit import snapshot
from chuangfu.core.crypto import lookup_hash, mask_id_number
from chuangfu.core.errors import DomainError
from chuangfu.core.exporters import Column as ExportColumn
from chuangfu.core.exporters import ListExporter
from chuangfu.core.identifiers import birth_date_from_id, gender_from_id, validate_id_number, validate_mobile, validate_uscc
from chuangfu.core.imports import (
    CellError, ForeignCurrency, SourceRow, Table, nfkc, open_table, parse_count, parse_date, parse_wan_yuan, text,
)
from chuangfu.core.jobs import job_handler
from chuangfu.core.models import AuditEntry, Job, Jurisdiction

from . import import_rules as rules
from .models import EntityType, Enterprise, Person, PersonGroup, Tag
from .search import name_pinyin
from .selectors import can_edit_registry, jurisdiction_is_visible

BATCH_SIZE = 2000
JOB_KIND = "registry.import"


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REJECT = "reject"

    LABELS = {
        CREATE: gettext_lazy("新增"), UPDATE: gettext_lazy("更新"),
        UNCHANGED: gettext_lazy("未变化"), REJECT: gettext_lazy("拒绝"),
    }
    ORDER = (CREATE, UPDATE, UNCHANGED, REJECT)


class RowRejected(Exception):
    """The row cannot be imported; the message says why, in Chinese."""


@dataclass(slots=True)
class RowOutcome:
    row: int
    action: str
    key: str  # USCC, or the masked ID number: the report never holds a full ID number
    name: str
    detail: str = ""  # why it is rejected, or which fields change
    warnings: str = ""

    def as_dict(self) -> dict:
        return {"row": self.row, "action": self.action, "key": self.key, "name": self.name,
                "detail": self.detail, "warnings": self.warnings}


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    table: Table
    outcomes: list[RowOutcome] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter(o.action for o in self.outcomes)
        return {action: counts.get(action, 0) for action in Action.ORDER}

    def summary(self) -> str:
        c = self.counts
        lead = _("试导入") if self.dry_run else _("导入完成")
        return _("%(lead)s：新增 %(create)d，更新 %(update)d，未变化 %(unchanged)d，拒绝 %(reject)d，跳过空行/合计行 %(skipped)d。") % {
            "lead": lead, **c, "skipped": self.table.skipped,
        }

    def as_result(self, sample: int = 1000) -> dict:
        """What a job keeps for its pages: counts, the columns read, and the first rows of each outcome."""
        rejected = [o.as_dict() for o in self.outcomes if o.action == Action.REJECT][:sample]
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "counts": self.counts,
            "skipped": self.table.skipped,
            "total": len(self.outcomes),
            "sheet": self.table.sheet,
            "header_row": self.table.header_row,
            "columns": self.table.columns,
            "ignored_headers": self.table.ignored_headers,
            "rows": [o.as_dict() for o in self.outcomes[:sample]],
            "rejected": rejected,
            "summary": self.summary(),
        }

    def write_xlsx(self, fh) -> int:
        return RowReportExporter(self.kind).write(self.outcomes, fh)


class RowReportExporter(ListExporter):
    def __init__(self, kind: str):
        self.title = _("导入报告")
        key, name = (_("统一社会信用代码"), _("企业名称")) if kind == "enterprise" else (_("身份证号码"), _("姓名"))
        self.columns = [
            ExportColumn(_("行号"), "row", 8),
            ExportColumn(_("结果"), lambda o: str(Action.LABELS[o.action]), 10),
            ExportColumn(key, "key", 22),
            ExportColumn(name, "name", 30),
            ExportColumn(_("说明"), "detail", 60),
            ExportColumn(_("提示"), "warnings", 40),
        ]


@dataclass(slots=True)
class _Row:
    """A row read and validated, ready to compare with the registry."""

    number: int
    key: str
    shown_key: str
    name: str
    values: dict[str, Any]  # model field → value, only for cells that were filled
    extras: list[str]  # tag ids (as str) or priority-group codes to add
    town: Jurisdiction
    warnings: list[str]


@dataclass(slots=True)
class _Pending:
    row: _Row
    obj: models.Model
    action: str
    changed: list[str]
    before: dict | None
    new_extras: list[str]


class _Importer:
    """The shared pipeline; subclasses say how a row maps onto their model."""

    kind = ""
    model: type[models.Model]
    columns: list = []
    extras_field = ""
    audit_action = ""
    labels: dict[str, str] = {}

    def __init__(self, *, town: Jurisdiction | None, actor, dry_run: bool, note: str):
        self.town = town
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.actor_repr = str(self.actor) if self.actor else _("系统")
        self.dry_run = dry_run
        self.note = note
        self.seen: dict[str, int] = {}
        self.towns = list(Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN))
        self._villages: dict[int, dict[str, Jurisdiction]] = {}
        self._subtrees: dict[int, set[int]] = {}
        self.content_type = ContentType.objects.get_for_model(self.model)
        self.label = {c.key: c.label for c in self.columns}  # lazy: translated only for a message
        self.now = timezone.now()

    # --- reading rows --------------------------------------------------------------------------

    def read(self, source: SourceRow, table: Table) -> _Row:
        raise NotImplementedError

    def place(self, cells: dict, address: str, warnings: list[str]) -> tuple[Jurisdiction, Jurisdiction]:
        """(town, jurisdiction) of a row: its own town column, else the chosen town; a village if named."""
        named = text(cells.get("town", ""))
        row_town = None
        if named:
            row_town = self._match_town(named)
            if row_town is None:
                raise RowRejected(_("所属街镇“%(v)s”不是系统中的镇（街道）。") % {"v": named})
        elif address:
            mentioned = [t for t in self.towns if t.name in address]
            if len(mentioned) == 1 and (self.town is None or mentioned[0].pk != self.town.pk):
                if self.town is None or self.town.name not in address:
                    row_town = mentioned[0]
        row_town = row_town or self.town
        if row_town is None:
            raise RowRejected(_("无法确定所属街镇：请指定导入到哪个镇（街道），或在表格中加“所属街镇”列。"))
        if self.town is not None and row_town.pk != self.town.pk:
            raise RowRejected(
                _("该行属于%(row)s，不属于本次导入的%(town)s。") % {"row": row_town.name, "town": self.town.name}
            )
        if self.actor is not None and not jurisdiction_is_visible(self.actor, row_town.pk):
            raise RowRejected(_("%(town)s不在您的管辖范围内。") % {"town": row_town.name})
        village_name = text(cells.get("village", ""))
        if village_name:
            village = self._match_village(row_town, village_name)
            if village is not None:
                return row_town, village
            warnings.append(_("村居“%(v)s”在%(town)s下没有找到，记在镇一级。") % {"v": village_name, "town": row_town.name})
        return row_town, row_town

    def _match_town(self, named: str) -> Jurisdiction | None:
        for town in self.towns:
            if named == town.name or town.name in named or named == town.code:
                return town
        short = named.removesuffix("街道").removesuffix("镇")
        matches = [t for t in self.towns if short and t.name.startswith(short)]
        return matches[0] if len(matches) == 1 else None

    def _match_village(self, town: Jurisdiction, named: str) -> Jurisdiction | None:
        if town.pk not in self._villages:
            self._villages[town.pk] = {v.name: v for v in Jurisdiction.objects.filter(parent=town)}
        villages = self._villages[town.pk]
        if named in villages:
            return villages[named]
        matches = [v for name, v in villages.items() if name in named or named in name]
        return matches[0] if len(matches) == 1 else None

    def in_town(self, town: Jurisdiction, jurisdiction_id: int) -> bool:
        if town.pk not in self._subtrees:
            self._subtrees[town.pk] = set(
                Jurisdiction.objects.filter(path__startswith=town.path).values_list("id", flat=True)
            )
        return jurisdiction_id in self._subtrees[town.pk]

    # --- comparing with the registry --------------------------------------------------------------

    def existing(self, rows: list[_Row]) -> dict[str, models.Model]:
        raise NotImplementedError

    def existing_extras(self, pks: list[int]) -> dict[int, set[str]]:
        raise NotImplementedError

    def conflicts(self, rows: list[_Row], existing: dict) -> dict[int, str]:
        """Row number → reason, for rows that clash with a different record (e.g. its mobile)."""
        return {}

    def build(self, row: _Row) -> models.Model:
        raise NotImplementedError

    def derive(self, obj: models.Model, changed: list[str]) -> list[str]:
        """Keep derived columns current after ``changed`` fields were set; returns extra fields written."""
        return []

    # --- the pipeline ------------------------------------------------------------------------------

    def process(self, batch: list[SourceRow], table: Table) -> list[RowOutcome]:
        outcomes: dict[int, RowOutcome] = {}
        rows: list[_Row] = []
        for source in batch:
            try:
                if source.error:
                    raise RowRejected(source.error)
                row = self.read(source, table)
            except (RowRejected, CellError) as exc:
                outcomes[source.number] = RowOutcome(source.number, Action.REJECT, self.shown(source), self.name_of(source), str(exc))
                continue
            first = self.seen.get(row.key)
            if first is not None:
                outcomes[row.number] = self.reject(row, _("与第 %(n)d 行是同一%(what)s，已按第 %(n)d 行处理。") % {"n": first, "what": self.same_what()})
                continue
            self.seen[row.key] = row.number
            rows.append(row)
        existing = self.existing(rows)
        conflicts = self.conflicts(rows, existing)
        have_extras = self.existing_extras([o.pk for o in existing.values()]) if any(r.extras for r in rows) else {}
        pending: list[_Pending] = []
        for row in rows:
            if row.number in conflicts:
                outcomes[row.number] = self.reject(row, conflicts[row.number])
                continue
            obj = existing.get(row.key)
            if obj is None:
                obj = self.build(row)
                pending.append(_Pending(row, obj, Action.CREATE, list(row.values), None, row.extras))
                continue
            if not self.in_town(row.town, obj.jurisdiction_id):
                outcomes[row.number] = self.reject(row, self.elsewhere_message())
                continue
            changed = [name for name, value in row.values.items() if name != "jurisdiction" and getattr(obj, name) != value]
            if "jurisdiction" in row.values and row.values["jurisdiction"].pk != obj.jurisdiction_id:
                if row.values["jurisdiction"].pk != row.town.pk:  # a named village moves it; a bare town does not
                    changed.append("jurisdiction")
            new_extras = [e for e in row.extras if e not in have_extras.get(obj.pk, set())]
            if not changed and not new_extras:
                outcomes[row.number] = RowOutcome(row.number, Action.UNCHANGED, row.shown_key, row.name, "", "；".join(row.warnings))
                continue
            before = self.record(obj, changed)
            for name in changed:
                setattr(obj, name, row.values[name])
            pending.append(_Pending(row, obj, Action.UPDATE, changed, before, new_extras))
        if pending and not self.dry_run:
            self.write(pending, outcomes)
        for item in pending:
            if item.row.number not in outcomes:
                outcomes[item.row.number] = RowOutcome(
                    item.row.number, item.action, item.row.shown_key, item.row.name,
                    self.describe(item), "；".join(item.row.warnings),
                )
        return [outcomes[number] for number in sorted(outcomes)]

    def reject(self, row: _Row, reason: str) -> RowOutcome:
        return RowOutcome(row.number, Action.REJECT, row.shown_key, row.name, reason, "；".join(row.warnings))

    def describe(self, item: _Pending) -> str:
        if item.action == Action.CREATE:
            return ""
        names = [str(self.labels.get(n, n)) for n in item.changed]
        if item.new_extras:
            names.append(str(self.labels[self.extras_field]))
        return _("更新：%(fields)s") % {"fields": "、".join(dict.fromkeys(names))}

    def write(self, pending: list[_Pending], outcomes: dict[int, RowOutcome]) -> None:
        try:
            with transaction.atomic():
                self._write_many(pending)
        except (IntegrityError, DatabaseError):
            # Someone else wrote one of these records meanwhile: fall back to one savepoint per row.
            for item in pending:
                if item.action == Action.CREATE:
                    item.obj.pk = None
                    item.obj._state.adding = True
                try:
                    with transaction.atomic():
                        self._write_many([item])
                except (IntegrityError, DatabaseError):
                    outcomes[item.row.number] = self.reject(item.row, _("保存失败：该记录刚被其他人修改或登记，请重新导入这一行。"))

    def _write_many(self, pending: list[_Pending]) -> None:
        creates = [p for p in pending if p.action == Action.CREATE]
        updates = [p for p in pending if p.action == Action.UPDATE]
        if creates:
            for item in creates:
                self.derive(item.obj, item.changed)
            self.model.objects.bulk_create([p.obj for p in creates], batch_size=500)
        if updates:
            fields: set[str] = set()
            for item in updates:
                item.obj.updated_at = self.now
                fields.update(item.changed)
                fields.update(self.derive(item.obj, item.changed))
            fields.add("updated_at")
            fields.discard("id_number")  # the match key: never rewritten
            self.model.objects.bulk_update([p.obj for p in updates], sorted(fields), batch_size=500)
        self.add_extras([(p.obj, p.new_extras) for p in pending if p.new_extras])
        AuditEntry.objects.bulk_create([self.audit_entry(p) for p in pending], batch_size=500)

    def add_extras(self, items: list[tuple[models.Model, list[str]]]) -> None:
        raise NotImplementedError

    def record(self, obj: models.Model, fields: list[str]) -> dict:
        data = snapshot(obj, fields=[f for f in fields if f != "jurisdiction"])
        if "jurisdiction" in fields:
            data["jurisdiction"] = str(obj.jurisdiction)
        return data

    def audit_entry(self, item: _Pending) -> AuditEntry:
        after = self.record(item.obj, item.changed)
        if item.new_extras:
            after[self.extras_field] = self.extras_shown(item.new_extras)
        return AuditEntry(
            at=self.now,
            actor=self.actor,
            actor_repr=self.actor_repr,
            action=self.audit_action,
            content_type=self.content_type,
            object_id=str(item.obj.pk),
            object_repr=str(item.obj)[:255],
            jurisdiction_id=item.obj.jurisdiction_id,
            before=item.before,
            after=after,
            note=self.note,
        )

    def extras_shown(self, extras: list[str]) -> list[str]:
        return extras

    def shown(self, source: SourceRow) -> str:
        return text(source.cells.get(self.key_column, ""))

    def name_of(self, source: SourceRow) -> str:
        return text(source.cells.get("name", ""))[:64]


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


@functools.lru_cache(maxsize=200_000)
def person_pinyin(name: str) -> str:
    """People's names repeat (张伟, 王芳): spell each distinct one once."""
    return name_pinyin(name, surname=True)


def _set(values: dict, name: str, value) -> None:
    if value is not None and value != "":
        values[name] = value


def _max_length(value: str, limit: int, label) -> str:
    if len(value) > limit:
        raise RowRejected(_("“%(label)s”最多 %(n)d 个字，这一行有 %(m)d 个字。") % {"label": label, "n": limit, "m": len(value)})
    return value


def _not_future(value: datetime.date | None, label) -> datetime.date | None:
    if value is not None and value > timezone.localdate():
        raise RowRejected(_("%(label)s %(d)s 晚于今天。") % {"label": label, "d": value.isoformat()})
    return value


def _validated(validator, value) -> str:
    try:
        return validator(value)
    except ValidationError as exc:
        raise RowRejected(" ".join(exc.messages)) from None


def _labelled(label, fn, *args, **kwargs):
    """Run a cell parser and name the column in its error."""
    try:
        return fn(*args, **kwargs)
    except ForeignCurrency:
        raise
    except CellError as exc:
        raise CellError(f"{label}：{exc}") from None


class EnterpriseImporter(_Importer):
    kind = "enterprise"
    model = Enterprise
    columns = rules.ENTERPRISE_COLUMNS
    key_column = "uscc"
    extras_field = "tags"
    audit_action = "registry.enterprise.imported"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.tags = {t.name: t for t in Tag.objects.all()}
        self.labels = {f.name: f.verbose_name for f in Enterprise._meta.get_fields() if hasattr(f, "verbose_name")}

    def same_what(self) -> str:
        return _("企业（统一社会信用代码相同）")

    def elsewhere_message(self) -> str:
        return _("该统一社会信用代码已登记在其他镇（街道）的名录中，本次导入不修改它。")

    def read(self, source: SourceRow, table: Table) -> _Row:
        cells = source.cells
        uscc_raw = nfkc(cells.get("uscc"))
        if not uscc_raw:
            raise RowRejected(_("缺少统一社会信用代码。"))
        uscc = _validated(validate_uscc, uscc_raw)
        name = text(cells.get("name"))
        if not name:
            raise RowRejected(_("缺少企业名称。"))
        values: dict[str, Any] = {"uscc": uscc, "name": _max_length(name, 255, self.label["name"])}
        warnings: list[str] = []
        kind = text(cells.get("entity_type", ""))
        if kind:
            values["entity_type"] = rules.ENTITY_TYPES(kind) or EntityType.OTHER
        _set(values, "legal_representative_name", _max_length(text(cells.get("legal_representative_name", "")), 64, self.label["legal_representative_name"]))
        founded = _labelled(self.label["founded_on"], parse_date, cells.get("founded_on"))
        _set(values, "founded_on", _not_future(founded, self.label["founded_on"]))
        status = text(cells.get("registration_status", ""))
        if status:
            code = rules.REGISTRATION_STATUSES(status)
            if code is None:
                warnings.append(_("登记状态“%(v)s”无法识别，未导入。") % {"v": status})
            else:
                values["registration_status"] = code
        address = _max_length(text(cells.get("address", "")), 255, self.label["address"])
        _set(values, "address", address)
        industry = text(cells.get("industry", ""))
        if industry:
            try:
                section, division = rules.industry(industry)
            except CellError as exc:
                warnings.append(str(exc))
            else:
                values["industry_section"] = section
                _set(values, "industry_division", division)
        try:
            capital = _labelled(self.label["registered_capital"], parse_wan_yuan, cells.get("registered_capital"),
                                unit=table.units.get("registered_capital", "万元"))
        except ForeignCurrency as exc:
            warnings.append(str(exc))
        else:
            _set(values, "registered_capital", capital)
        _set(values, "insured_employees", _labelled(self.label["insured_employees"], parse_count, cells.get("insured_employees")))
        _set(values, "business_scope", text(cells.get("business_scope", "")))
        extras = []
        for tag_name in rules.split_list(cells.get("tags", "")):
            tag = self.tags.get(tag_name)
            if tag is None:
                warnings.append(_("标签“%(v)s”不存在，未导入（可由管理员先添加该标签）。") % {"v": tag_name})
            elif str(tag.pk) not in extras:
                extras.append(str(tag.pk))
        town, jurisdiction = self.place(cells, address, warnings)
        values["jurisdiction"] = jurisdiction
        return _Row(source.number, uscc, uscc, name[:64], values, extras, town, warnings)

    def existing(self, rows: list[_Row]) -> dict[str, models.Model]:
        if not rows:
            return {}
        return {e.uscc: e for e in Enterprise.objects.filter(uscc__in=[r.key for r in rows]).select_related("jurisdiction")}

    def existing_extras(self, pks: list[int]) -> dict[int, set[str]]:
        found: dict[int, set[str]] = {}
        through = Enterprise.tags.through
        for enterprise_id, tag_id in through.objects.filter(enterprise_id__in=pks).values_list("enterprise_id", "tag_id"):
            found.setdefault(enterprise_id, set()).add(str(tag_id))
        return found

    def build(self, row: _Row) -> Enterprise:
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
            ignore_conflicts=True, batch_size=500,
        )

    def extras_shown(self, extras: list[str]) -> list[str]:
        names = {str(t.pk): t.name for t in self.tags.values()}
        return [names[e] for e in extras]


class PersonImporter(_Importer):
    kind = "person"
    model = Person
    columns = rules.PERSON_COLUMNS
    key_column = "id_number"
    extras_field = "groups"
    audit_action = "registry.person.imported"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.labels = {f.name: f.verbose_name for f in Person._meta.get_fields() if hasattr(f, "verbose_name")}
        self.labels["groups"] = _("重点人群")
        self.mobiles_seen: dict[str, int] = {}

    def same_what(self) -> str:
        return _("人（身份证号码相同）")

    def elsewhere_message(self) -> str:
        return _("该身份证号码已登记在其他镇（街道）的名录中，本次导入不修改它。")

    def shown(self, source: SourceRow) -> str:
        raw = nfkc(source.cells.get("id_number", "")).upper()
        return mask_id_number(raw) if len(raw) > 10 else ("*" * len(raw))

    def read(self, source: SourceRow, table: Table) -> _Row:
        cells = source.cells
        raw_id = nfkc(cells.get("id_number"))
        if not raw_id:
            raise RowRejected(_("缺少身份证号码。"))
        id_number = _validated(validate_id_number, raw_id)
        name = text(cells.get("name"))
        if not name:
            raise RowRejected(_("缺少姓名。"))
        values: dict[str, Any] = {"id_number": id_number, "name": _max_length(name, 64, self.label["name"])}
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
                values["mobile"] = _validated(validate_mobile, mobile)
        kind = text(cells.get("hukou_kind", ""))
        if kind:
            code = rules.hukou_kind(kind)
            if code is None:
                warnings.append(_("户籍性质“%(v)s”无法确定（如外省市户籍请注明是否持有上海市居住证），未导入。") % {"v": kind})
            else:
                values["hukou_kind"] = code
        address = _max_length(text(cells.get("address", "")), 255, self.label["address"])
        _set(values, "address", address)
        for column, table_ in (("education", rules.EDUCATIONS), ("employment_status", rules.EMPLOYMENT_STATUSES)):
            raw = text(cells.get(column, ""))
            if raw:
                code = table_(raw)
                if code is None:
                    warnings.append(_("%(label)s“%(v)s”无法识别，未导入。") % {"label": self.label[column], "v": raw})
                else:
                    values[column] = code
        graduated = _labelled(self.label["graduation_date"], parse_date, cells.get("graduation_date"), month_precision=True)
        _set(values, "graduation_date", _not_future(graduated, self.label["graduation_date"]))
        registered = _labelled(self.label["unemployment_registered_on"], parse_date, cells.get("unemployment_registered_on"))
        _set(values, "unemployment_registered_on", _not_future(registered, self.label["unemployment_registered_on"]))
        intent = rules.entrepreneurial_intent(cells.get("entrepreneurial_intent", ""))
        if intent is not None:
            values["entrepreneurial_intent"] = intent
        groups, unknown = rules.priority_groups(cells.get("groups", ""))
        if unknown:
            warnings.append(_("重点人群“%(v)s”无法识别，未导入。") % {"v": "、".join(unknown)})
        town, jurisdiction = self.place(cells, address, warnings)
        values["jurisdiction"] = jurisdiction
        key = lookup_hash(id_number)
        return _Row(source.number, key, mask_id_number(id_number), name, values, groups, town, warnings)

    def existing(self, rows: list[_Row]) -> dict[str, models.Model]:
        if not rows:
            return {}
        found = Person.objects.filter(id_number_hash__in=[r.key for r in rows]).select_related("jurisdiction")
        return {p.id_number_hash: p for p in found}

    def conflicts(self, rows: list[_Row], existing: dict) -> dict[int, str]:
        """A mobile already held by someone else (in the registry or earlier in the file) is refused."""
        wanted = [(lookup_hash(r.values["mobile"]), r) for r in rows if "mobile" in r.values]
        holders: dict[str, set[str]] = {}
        held = Person.objects.filter(mobile_hash__in={h for h, _r in wanted}).values_list("mobile_hash", "id_number_hash")
        for mobile_hash, id_hash in held:
            holders.setdefault(mobile_hash, set()).add(id_hash)
        clashes = {}
        for mobile_hash, row in wanted:
            others = holders.get(mobile_hash, set()) - {row.key}
            if others:
                clashes[row.number] = _("手机号码 %(m)s 已登记在名录中的另一人名下。") % {"m": row.values["mobile"][:3] + "****" + row.values["mobile"][-4:]}
                continue
            first = self.mobiles_seen.setdefault(mobile_hash, row.number)
            if first != row.number:
                clashes[row.number] = _("手机号码与第 %(n)d 行的另一人相同。") % {"n": first}
        return clashes

    def existing_extras(self, pks: list[int]) -> dict[int, set[str]]:
        found: dict[int, set[str]] = {}
        for person_id, group in PersonGroup.objects.filter(person_id__in=pks).values_list("person_id", "group"):
            found.setdefault(person_id, set()).add(group)
        return found

    def build(self, row: _Row) -> Person:
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
            [PersonGroup(person_id=obj.pk, group=group) for obj, groups in items for group in groups],
            ignore_conflicts=True, batch_size=500,
        )

    def extras_shown(self, extras: list[str]) -> list[str]:
        from .models import PriorityGroup

        return [str(PriorityGroup(g).label) for g in extras]


IMPORTERS = {"enterprise": EnterpriseImporter, "person": PersonImporter}
KIND_LABELS = {"enterprise": gettext_lazy("企业"), "person": gettext_lazy("人员")}


def check_import_allowed(*, actor, town: Jurisdiction | None) -> None:
    """Only registry editors import, and only into a town of their own jurisdiction."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        if not can_edit_registry(actor):
            raise DomainError("forbidden", _("您没有导入名录的权限。"), status=403)
        if town is None or not jurisdiction_is_visible(actor, town.pk):
            raise DomainError("town", _("请选择您管辖范围内的镇（街道）。"))
    if town is not None and town.level != Jurisdiction.Level.TOWN:
        raise DomainError("town", _("“%(name)s”不是镇（街道），请选择要导入到的镇（街道）。") % {"name": town.name})


def open_import(source, *, kind: str) -> Table:
    """Check the file and find its header (raises ``ImportFileError``); used before a job starts."""
    return open_table(source, IMPORTERS[kind].columns)


def run_import(*, kind: str, source, town: Jurisdiction | None, actor, dry_run: bool, note: str = "",
               progress=None) -> ImportReport:
    """Import an enterprise or person file into ``town`` (``None``: each row's own town column).

    Raises ``ImportFileError`` for a file that cannot be read and ``DomainError`` when the actor
    may not import there. A dry run writes nothing. Otherwise every accepted row is written
    whole with its audit entry, batch by batch; rerunning the same file changes nothing.
    """
    check_import_allowed(actor=actor, town=town)
    importer = IMPORTERS[kind](town=town, actor=actor, dry_run=dry_run, note=note)
    table = open_table(source, importer.columns)
    report = ImportReport(kind=kind, dry_run=dry_run, table=table)
    rows = iter(table)
    while batch := list(itertools.islice(rows, BATCH_SIZE)):
        report.outcomes.extend(importer.process(batch, table))
        if progress is not None:
            progress(len(report.outcomes) + table.skipped, max(table.estimated_rows, len(report.outcomes) + table.skipped))
    return report


@job_handler(JOB_KIND)
def import_job(job: Job, progress) -> dict:
    """Run an import (or its dry run) for a job started by the import pages."""
    params = job.params
    town = Jurisdiction.objects.get(code=params["town"]) if params.get("town") else None
    note = _("批量导入（任务 #%(id)d，文件 %(file)s）") % {"id": job.pk, "file": params.get("filename", "")}
    with job.input_file.open("rb") as fh:
        report = run_import(kind=params["kind"], source=fh, town=town, actor=job.created_by,
                            dry_run=params.get("dry_run", True), note=note, progress=progress)
    buffer = io.BytesIO()
    report.write_xlsx(buffer)
    stem = _("导入报告") if not report.dry_run else _("试导入报告")
    job.output_file.save(f"{stem}-{job.pk}.xlsx", ContentFile(buffer.getvalue()), save=False)
    # Update only these columns: the job row's status and progress belong to the job runner.
    Job.objects.filter(pk=job.pk).update(output_file=job.output_file.name, message=report.summary())
    return report.as_result()
