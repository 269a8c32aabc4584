"""Dishonesty lists (失信名单) as other systems export them: a person by ID number or an
enterprise by USCC, the day listed, the day removed (blank: still listed), the authority and the
reason. One record per subject, listing day and authority: importing the list again changes
nothing, and a later export that adds the removal day updates that record."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangfu.core.audit import log_action
from chuangfu.core.cells import CellError, nfkc, parse_date, text
from chuangfu.core.crypto import lookup_hash, mask_id_number
from chuangfu.core.identifiers import validate_id_number, validate_uscc
from chuangfu.core.imports import Column, SourceRow, Table
from chuangfu.core.models import Jurisdiction

from ..models import CreditRecord, Enterprise, Person
from .base import Action, RowOutcome, RowRejected, labelled, validated, within_length

COLUMNS = [
    Column("id_number", gettext_lazy("身份证号码"), ("公民身份号码", "证件号码", "身份证号")),
    Column("uscc", gettext_lazy("统一社会信用代码"), ("信用代码", "社会信用代码", "组织机构代码")),
    Column("name", gettext_lazy("名称"), ("姓名", "企业名称", "被执行人姓名/名称", "失信主体名称")),
    Column("listed_on", gettext_lazy("列入日期"), ("发布日期", "列入时间", "认定日期"), required=True),
    Column("removed_on", gettext_lazy("移出日期"), ("移出时间", "撤销日期", "屏蔽日期")),
    Column("authority", gettext_lazy("认定机关"), ("执行法院", "作出决定机关", "认定部门")),
    Column("reason", gettext_lazy("列入事由"), ("失信情形", "列入原因", "失信被执行人行为具体情形")),
]


class CreditImporter:
    kind = "credit"
    columns = COLUMNS

    def __init__(self, *, town: Jurisdiction | None, actor, dry_run: bool, note: str):
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.dry_run = dry_run
        self.note = note
        self.label = {c.key: c.label for c in self.columns}
        self.places = (
            set(Jurisdiction.objects.filter(path__startswith=town.path).values_list("id", flat=True)) if town else None
        )
        self.seen: set = set()

    def read(self, source: SourceRow) -> dict[str, Any]:
        cells = source.cells
        raw_id, raw_uscc = nfkc(cells.get("id_number", "")), nfkc(cells.get("uscc", ""))
        if bool(raw_id) == bool(raw_uscc):
            raise RowRejected(_("每行填写身份证号码（个人）或统一社会信用代码（企业）之一。"))
        listed = labelled(self.label["listed_on"], parse_date, cells.get("listed_on"))
        if listed is None:
            raise RowRejected(_("缺少列入日期。"))
        if listed > timezone.localdate():
            raise RowRejected(_("列入日期 %(d)s 晚于今天。") % {"d": listed.isoformat()})
        removed = labelled(self.label["removed_on"], parse_date, cells.get("removed_on"), open_ended=True)
        if removed is not None and removed <= listed:
            raise RowRejected(_("移出日期应晚于列入日期。"))
        row = {
            "listed_on": listed,
            "removed_on": removed,
            "authority": within_length(text(cells.get("authority", "")), 128, self.label["authority"]),
            "reason": within_length(text(cells.get("reason", "")), 255, self.label["reason"]),
            "name": text(cells.get("name", ""))[:64],
        }
        if raw_id:
            number = validated(validate_id_number, raw_id)
            row.update(kind="person", key=lookup_hash(number), shown=mask_id_number(number))
        else:
            uscc = validated(validate_uscc, raw_uscc)
            row.update(kind="enterprise", key=uscc, shown=uscc)
        return row

    def _subject(self, row):
        if row["kind"] == "person":
            return Person.objects.filter(id_number_hash=row["key"]).first()
        return Enterprise.objects.filter(uscc=row["key"]).first()

    def process(self, batch: list[SourceRow], table: Table) -> list[RowOutcome]:
        outcomes = []
        for source in batch:
            try:
                if source.error:
                    raise RowRejected(source.error)
                row = self.read(source)
            except (RowRejected, CellError) as exc:
                outcomes.append(
                    RowOutcome(source.number, Action.REJECT, "", text(source.cells.get("name", ""))[:64], str(exc))
                )
                continue
            outcomes.append(self._one(source.number, row))
        return outcomes

    def _one(self, number: int, row: dict) -> RowOutcome:
        def outcome(action, detail=""):
            return RowOutcome(number, action, row["shown"], row["name"], detail)

        subject = self._subject(row)
        if subject is None:
            return outcome(Action.REJECT, _("名录中没有该人员或企业。"))
        if self.places is not None and subject.jurisdiction_id not in self.places:
            return outcome(Action.REJECT, _("该人员或企业登记在其他镇（街道），本次导入不修改其记录。"))
        key = (row["kind"], subject.pk, row["listed_on"], row["authority"])
        if key in self.seen:
            return outcome(Action.UNCHANGED, _("与前面的行相同。"))
        self.seen.add(key)
        existing = CreditRecord.objects.filter(
            **{row["kind"]: subject}, listed_on=row["listed_on"], authority=row["authority"]
        ).first()
        if existing is not None and existing.removed_on == row["removed_on"] and existing.reason == row["reason"]:
            return outcome(Action.UNCHANGED)
        if self.dry_run:
            return outcome(Action.CREATE if existing is None else Action.UPDATE)
        with transaction.atomic():
            if existing is None:
                record = CreditRecord.objects.create(
                    **{row["kind"]: subject},
                    listed_on=row["listed_on"],
                    removed_on=row["removed_on"],
                    authority=row["authority"],
                    reason=row["reason"],
                )
                before = None
            else:
                before = {"removed_on": str(existing.removed_on or ""), "reason": existing.reason}
                existing.removed_on, existing.reason = row["removed_on"], row["reason"]
                existing.save(update_fields=["removed_on", "reason"])
                record = existing
            log_action(
                actor=self.actor,
                action="registry.credit.imported",
                obj=subject,
                before=before,
                after={
                    "listed_on": str(record.listed_on),
                    "removed_on": str(record.removed_on or ""),
                    "authority": record.authority,
                    "reason": record.reason,
                },
                note=self.note,
            )
        return outcome(Action.CREATE if existing is None else Action.UPDATE)
