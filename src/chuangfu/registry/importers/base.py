"""The import pipeline every kind of record shares: row outcomes, the report, and ``Importer``.

An ``Importer`` subclass says how one row maps onto its model (``read``), how existing records
are found (``existing``, one query per batch) and how derived columns are kept (``derive``);
``Importer.process`` does the rest — compare, decide, write in one transaction per batch with
one audit entry per record, and fall back to one savepoint per row if the batch is refused.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangfu.core.audit import snapshot
from chuangfu.core.cells import CellError, ForeignCurrency, text
from chuangfu.core.exporters import Column as ExportColumn
from chuangfu.core.exporters import ListExporter
from chuangfu.core.imports import SourceRow, Table
from chuangfu.core.models import AuditEntry, Jurisdiction

from ..selectors import jurisdiction_is_visible

BATCH_SIZE = 2000


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REJECT = "reject"

    LABELS = {
        CREATE: gettext_lazy("新增"),
        UPDATE: gettext_lazy("更新"),
        UNCHANGED: gettext_lazy("未变化"),
        REJECT: gettext_lazy("拒绝"),
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
        return {
            "row": self.row,
            "action": self.action,
            "key": self.key,
            "name": self.name,
            "detail": self.detail,
            "warnings": self.warnings,
        }


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
        return _(
            "%(lead)s：新增 %(create)d，更新 %(update)d，未变化 %(unchanged)d，拒绝 %(reject)d，跳过空行/合计行 %(skipped)d。"
        ) % {
            "lead": lead,
            **c,
            "skipped": self.table.skipped,
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
class Row:
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
class Pending:
    row: Row
    obj: models.Model
    action: str
    changed: list[str]
    before: dict | None
    new_extras: list[str]


class Importer:
    """The shared pipeline; subclasses say how a row maps onto their model."""

    kind = ""
    model: type[models.Model]
    columns: list = []
    key_column = ""  # the column that identifies a record (USCC, ID number)
    key_field = ""  # the model field holding a row's key (uscc, id_number_hash)
    extras_field = ""  # tags or priority groups: added by an import, never removed
    audit_action = ""

    def __init__(self, *, town: Jurisdiction | None, actor, dry_run: bool, note: str):
        self.town = town
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.actor_repr = str(self.actor) if self.actor else _("系统")
        self.dry_run = dry_run
        self.note = note
        self.seen: dict[str, int] = {}
        self.towns = list(Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN))
        # A town named in an address, but not as part of a road name (唐镇路 is a road, 唐镇 a town).
        self.town_patterns = [(t, re.compile(re.escape(t.name) + r"(?!路|街|大道|公路|港|河|桥)")) for t in self.towns]
        self._villages: dict[int, dict[str, Jurisdiction]] = {}
        self._subtrees: dict[int, set[int]] = {}
        self.content_type = ContentType.objects.get_for_model(self.model)
        self.label = {c.key: c.label for c in self.columns}  # lazy: translated only for a message
        self.field_labels = {
            f.name: f.verbose_name for f in self.model._meta.get_fields() if hasattr(f, "verbose_name")
        }
        self.now = timezone.now()

    # --- reading rows --------------------------------------------------------------------------

    def read(self, source: SourceRow, table: Table) -> Row:
        raise NotImplementedError

    def same_what(self) -> str:
        """How a duplicate row is described: “企业（统一社会信用代码相同）”."""
        raise NotImplementedError

    def elsewhere_message(self) -> str:
        """Why a record registered in another town is left alone."""
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
            mentioned = [t for t, pattern in self.town_patterns if pattern.search(address)]
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
            warnings.append(
                _("村居“%(v)s”在%(town)s下没有找到，记在镇一级。") % {"v": village_name, "town": row_town.name}
            )
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

    def existing(self, rows: list[Row]) -> dict[str, models.Model]:
        raise NotImplementedError

    def existing_extras(self, pks: list[int]) -> dict[int, set[str]]:
        raise NotImplementedError

    def conflicts(self, rows: list[Row], existing: dict) -> dict[int, str]:
        """Row number → reason, for rows that clash with a different record (e.g. its mobile)."""
        return {}

    def build(self, row: Row) -> models.Model:
        raise NotImplementedError

    def derive(self, obj: models.Model, changed: list[str]) -> list[str]:
        """Keep derived columns current after ``changed`` fields were set; returns extra fields written."""
        return []

    # --- the pipeline ------------------------------------------------------------------------------

    def process(self, batch: list[SourceRow], table: Table) -> list[RowOutcome]:
        outcomes: dict[int, RowOutcome] = {}
        rows: list[Row] = []
        for source in batch:
            try:
                if source.error:
                    raise RowRejected(source.error)
                row = self.read(source, table)
            except (RowRejected, CellError) as exc:
                outcomes[source.number] = RowOutcome(
                    source.number, Action.REJECT, self.shown(source), self.name_of(source), str(exc)
                )
                continue
            first = self.seen.get(row.key)
            if first is not None:
                outcomes[row.number] = self.reject(
                    row,
                    _("与第 %(n)d 行是同一%(what)s，已按第 %(n)d 行处理。") % {"n": first, "what": self.same_what()},
                )
                continue
            self.seen[row.key] = row.number
            rows.append(row)
        existing = self.existing(rows)
        conflicts = self.conflicts(rows, existing)
        have_extras = self.existing_extras([o.pk for o in existing.values()]) if any(r.extras for r in rows) else {}
        pending: list[Pending] = []
        for row in rows:
            if row.number in conflicts:
                outcomes[row.number] = self.reject(row, conflicts[row.number])
                continue
            obj = existing.get(row.key)
            if obj is None:
                obj = self.build(row)
                pending.append(Pending(row, obj, Action.CREATE, list(row.values), None, row.extras))
                continue
            if not self.in_town(row.town, obj.jurisdiction_id):
                outcomes[row.number] = self.reject(row, self.elsewhere_message())
                continue
            changed = [
                name for name, value in row.values.items() if name != "jurisdiction" and getattr(obj, name) != value
            ]
            if "jurisdiction" in row.values and row.values["jurisdiction"].pk != obj.jurisdiction_id:
                if row.values["jurisdiction"].pk != row.town.pk:  # a named village moves it; a bare town does not
                    changed.append("jurisdiction")
            new_extras = [e for e in row.extras if e not in have_extras.get(obj.pk, set())]
            if not changed and not new_extras:
                outcomes[row.number] = RowOutcome(
                    row.number, Action.UNCHANGED, row.shown_key, row.name, "", "；".join(row.warnings)
                )
                continue
            before = self.record(obj, changed)
            for name in changed:
                setattr(obj, name, row.values[name])
            pending.append(Pending(row, obj, Action.UPDATE, changed, before, new_extras))
        if pending and not self.dry_run:
            self.write(pending, outcomes)
        for item in pending:
            if item.row.number not in outcomes:
                outcomes[item.row.number] = RowOutcome(
                    item.row.number,
                    item.action,
                    item.row.shown_key,
                    item.row.name,
                    self.describe(item),
                    "；".join(item.row.warnings),
                )
        return [outcomes[number] for number in sorted(outcomes)]

    def reject(self, row: Row, reason: str) -> RowOutcome:
        return RowOutcome(row.number, Action.REJECT, row.shown_key, row.name, reason, "；".join(row.warnings))

    def describe(self, item: Pending) -> str:
        if item.action == Action.CREATE:
            return ""
        names = [str(self.field_labels.get(n, n)) for n in item.changed]
        if item.new_extras:
            names.append(str(self.field_labels[self.extras_field]))
        return _("更新：%(fields)s") % {"fields": "、".join(dict.fromkeys(names))}

    def write(self, pending: list[Pending], outcomes: dict[int, RowOutcome]) -> None:
        try:
            with transaction.atomic():
                self._write_many(pending)
        except IntegrityError:
            # Someone else wrote one of these records meanwhile: fall back to one savepoint per row.
            # (Other database errors, such as a lock timeout, end the import: batches already
            # written are whole, and importing the file again completes it.)
            for item in pending:
                if item.action == Action.CREATE:
                    item.obj.pk = None
                    item.obj._state.adding = True
                try:
                    with transaction.atomic():
                        self._write_many([item])
                except IntegrityError:
                    outcomes[item.row.number] = self.reject(
                        item.row, _("保存失败：该记录刚被其他人修改或登记，请重新导入这一行。")
                    )

    def _write_many(self, pending: list[Pending]) -> None:
        creates = [p for p in pending if p.action == Action.CREATE]
        updates = [p for p in pending if p.action == Action.UPDATE]
        if creates:
            for item in creates:
                self.derive(item.obj, item.changed)
            insert_rows(self.model, [p.obj for p in creates])
            ids = dict(
                self.model.objects.filter(**{f"{self.key_field}__in": [p.row.key for p in creates]}).values_list(
                    self.key_field, "pk"
                )
            )
            for item in creates:
                item.obj.pk = ids[item.row.key]
                item.obj._state.adding = False
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
        insert_rows(AuditEntry, [self.audit_entry(p) for p in pending])

    def add_extras(self, items: list[tuple[models.Model, list[str]]]) -> None:
        raise NotImplementedError

    def record(self, obj: models.Model, fields: list[str]) -> dict:
        data = snapshot(obj, fields=[f for f in fields if f != "jurisdiction"])
        if "jurisdiction" in fields:
            data["jurisdiction"] = str(obj.jurisdiction)
        return data

    def audit_entry(self, item: Pending) -> AuditEntry:
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


def insert_rows(model: type[models.Model], objs: list[models.Model]) -> None:
    """``bulk_create`` without its per-statement SQL assembly: one INSERT run with executemany.

    Each value goes through its field's ``pre_save`` and ``get_db_prep_save``, as in
    ``bulk_create``, so encryption, lookup hashes, time zones and JSON are the same; primary
    keys are not returned (the caller looks them up by its unique key when it needs them).
    Django's assembly of each multi-row INSERT costs more than the database's work at 100,000
    rows, which is what this saves.
    """
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    params = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def set_filled(values: dict, name: str, value) -> None:
    if value is not None and value != "":
        values[name] = value


def within_length(value: str, limit: int, label) -> str:
    if len(value) > limit:
        raise RowRejected(
            _("“%(label)s”最多 %(n)d 个字，这一行有 %(m)d 个字。") % {"label": label, "n": limit, "m": len(value)}
        )
    return value


def not_future(value: datetime.date | None, label) -> datetime.date | None:
    if value is not None and value > timezone.localdate():
        raise RowRejected(_("%(label)s %(d)s 晚于今天。") % {"label": label, "d": value.isoformat()})
    return value


def validated(validator, value) -> str:
    try:
        return validator(value)
    except ValidationError as exc:
        raise RowRejected(" ".join(exc.messages)) from None


def labelled(label, fn, *args, **kwargs):
    """Run a cell parser and name the column in its error."""
    try:
        return fn(*args, **kwargs)
    except ForeignCurrency:
        raise
    except CellError as exc:
        raise CellError(f"{label}：{exc}") from None
