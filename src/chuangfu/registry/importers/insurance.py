"""Social-insurance extracts (参保缴费明细): one row per person and month paid (or a span of
months, 起始年月 … 终止年月), with the employer's USCC and name.

Rows are matched to people by the keyed hash of the ID number (only people already in the
registry, in the chosen town); each (person, month, employer) is stored once, so importing the
same extract again, or an extract that overlaps the last one, finds those months "unchanged".
A row whose employer is an enterprise of the registry is linked to it. A person the extract
does not list has no insured months (``policies.rules.months``)."""

import datetime
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangfu.core.cells import CellError, nfkc, parse_date, text
from chuangfu.core.crypto import lookup_hash, mask_id_number
from chuangfu.core.identifiers import validate_id_number, validate_uscc
from chuangfu.core.imports import Column, SourceRow, Table
from chuangfu.core.models import AuditEntry, Jurisdiction

from ..models import Enterprise, InsuranceMonth, Person
from ..signals import insurance_imported
from .base import Action, RowOutcome, RowRejected, insert_rows, labelled, validated, within_length

COLUMNS = [
    Column(
        "id_number",
        gettext_lazy("身份证号码"),
        ("公民身份号码", "证件号码", "身份证号", "社会保障号码", "社会保障号"),
        required=True,
    ),
    Column("name", gettext_lazy("姓名"), ("参保人姓名", "人员姓名")),
    Column("month", gettext_lazy("缴费年月"), ("费款所属期", "所属期", "参保年月", "缴费月份", "所属年月")),
    Column("first_month", gettext_lazy("起始年月"), ("参保起始年月", "缴费起始年月", "开始年月")),
    Column("last_month", gettext_lazy("终止年月"), ("参保终止年月", "缴费终止年月", "截止年月", "结束年月")),
    Column(
        "employer_uscc",
        gettext_lazy("单位统一社会信用代码"),
        ("统一社会信用代码", "单位信用代码", "参保单位统一社会信用代码", "单位代码"),
    ),
    Column("employer_name", gettext_lazy("参保单位"), ("单位名称", "参保单位名称", "缴费单位")),
]
MAX_SPAN = 600  # months one row may cover (50 years)
_MONTH = re.compile(r"^(\d{4})\s*[-./年]?\s*(\d{1,2})\s*月?$")


def parse_month(value) -> datetime.date | None:
    """A month as its first day: 2024-05, 202405, 2024年5月, 2024/5, or any date in it."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 190001 <= value <= 210012:
        value = str(int(value))
    raw = nfkc(value) if isinstance(value, str) else value
    if isinstance(raw, str):
        if not raw:
            return None
        match = _MONTH.match(raw)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if not 1 <= month <= 12:
                raise CellError(_("“%(v)s”不是有效的年月：没有 %(m)d 月。") % {"v": raw, "m": month})
            if not 1900 <= year <= 2100:
                raise CellError(_("年月“%(v)s”不合理。") % {"v": raw})
            return datetime.date(year, month, 1)
    day = parse_date(raw, month_precision=True)
    return None if day is None else day.replace(day=1)


def _next(month: datetime.date) -> datetime.date:
    return datetime.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


class InsuranceImporter:
    kind = "insurance"
    columns = COLUMNS
    audit_action = "registry.person.insurance_imported"

    def __init__(self, *, town: Jurisdiction | None, actor, dry_run: bool, note: str):
        self.town = town
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.actor_repr = str(self.actor) if self.actor else _("系统")
        self.dry_run = dry_run
        self.note = note
        self.now = timezone.now()
        self.label = {c.key: c.label for c in self.columns}
        self.places = (
            set(Jurisdiction.objects.filter(path__startswith=town.path).values_list("id", flat=True)) if town else None
        )
        self.seen: set = set()  # (person key, month, uscc) already read in this file

    def read(self, source: SourceRow) -> dict[str, Any]:
        cells = source.cells
        raw_id = nfkc(cells.get("id_number"))
        if not raw_id:
            raise RowRejected(_("缺少身份证号码。"))
        id_number = validated(validate_id_number, raw_id)
        month = labelled(self.label["month"], parse_month, cells.get("month"))
        first = labelled(self.label["first_month"], parse_month, cells.get("first_month"))
        last = labelled(self.label["last_month"], parse_month, cells.get("last_month"))
        if month is not None:
            first = last = month
        if first is None:
            raise RowRejected(_("缺少缴费年月（或起始年月）。"))
        if last is None:
            raise RowRejected(_("缺少终止年月：一行写一个缴费年月，或写明起始和终止年月。"))
        if last < first:
            raise RowRejected(_("终止年月早于起始年月。"))
        this_month = timezone.localdate().replace(day=1)
        if last > this_month:
            raise RowRejected(_("缴费年月 %(m)s 晚于本月。") % {"m": f"{last:%Y-%m}"})
        span = (last.year - first.year) * 12 + last.month - first.month + 1
        if span > MAX_SPAN:
            raise RowRejected(_("一行最多 %(n)d 个月。") % {"n": MAX_SPAN})
        uscc = nfkc(cells.get("employer_uscc", ""))
        if uscc:
            uscc = validated(validate_uscc, uscc)
        employer = within_length(text(cells.get("employer_name", "")), 255, self.label["employer_name"])
        months, m = [], first
        while m <= last:
            months.append(m)
            m = _next(m)
        return {
            "key": lookup_hash(id_number),
            "shown": mask_id_number(id_number),
            "months": months,
            "uscc": uscc,
            "employer": employer,
            "name": text(cells.get("name", ""))[:64],
        }

    def process(self, batch: list[SourceRow], table: Table) -> list[RowOutcome]:
        outcomes: dict[int, RowOutcome] = {}
        rows = []
        for source in batch:
            try:
                if source.error:
                    raise RowRejected(source.error)
                rows.append((source.number, self.read(source)))
            except (RowRejected, CellError) as exc:
                shown = nfkc(source.cells.get("id_number", "")).upper()
                shown = mask_id_number(shown) if len(shown) > 10 else "*" * len(shown)
                outcomes[source.number] = RowOutcome(
                    source.number, Action.REJECT, shown, text(source.cells.get("name", ""))[:64], str(exc)
                )
        people = {
            p.id_number_hash: p
            for p in Person.objects.filter(id_number_hash__in={r["key"] for _n, r in rows}).only(
                "id", "id_number_hash", "jurisdiction_id", "name"
            )
        }
        enterprises = dict(
            Enterprise.objects.filter(uscc__in={r["uscc"] for _n, r in rows if r["uscc"]}).values_list("uscc", "id")
        )
        held = set(
            InsuranceMonth.objects.filter(person_id__in=[p.pk for p in people.values()])
            .filter(month__in={m for _n, r in rows for m in r["months"]})
            .values_list("person_id", "month", "employer_uscc")
        )
        new, touched = [], {}
        for number, row in rows:
            person = people.get(row["key"])

            def reject(reason, number=number, row=row):
                outcomes[number] = RowOutcome(number, Action.REJECT, row["shown"], row["name"], reason)

            if person is None:
                reject(_("名录中没有此人：请先登记或导入人员，再导入其社保缴费明细。"))
                continue
            if self.places is not None and person.jurisdiction_id not in self.places:
                reject(_("此人登记在其他镇（街道），本次导入不修改其记录。"))
                continue
            added = []
            for month in row["months"]:
                key = (person.pk, month, row["uscc"])
                if key in held or key in self.seen:
                    continue
                self.seen.add(key)
                added.append(
                    InsuranceMonth(
                        person_id=person.pk,
                        month=month,
                        employer_uscc=row["uscc"],
                        employer_name=row["employer"],
                        enterprise_id=enterprises.get(row["uscc"]) if row["uscc"] else None,
                        imported_at=self.now,
                    )
                )
            months = f"{row['months'][0]:%Y-%m}" + (f"…{row['months'][-1]:%Y-%m}" if len(row["months"]) > 1 else "")
            if not added:
                outcomes[number] = RowOutcome(number, Action.UNCHANGED, row["shown"], person.name, months)
                continue
            new += added
            touched.setdefault(person.pk, (person, []))[1].extend(added)
            outcomes[number] = RowOutcome(
                number,
                Action.CREATE,
                row["shown"],
                person.name,
                _("新增 %(n)d 个月：%(m)s") % {"n": len(added), "m": months},
            )
        if new and not self.dry_run:
            self.write(new, touched)
        return [outcomes[n] for n in sorted(outcomes)]

    def write(self, new: list[InsuranceMonth], touched: dict) -> None:
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_model(Person)
        with transaction.atomic():
            insert_rows(InsuranceMonth, new)
            insert_rows(
                AuditEntry,
                [
                    AuditEntry(
                        at=self.now,
                        actor=self.actor,
                        actor_repr=self.actor_repr,
                        action=self.audit_action,
                        content_type=content_type,
                        object_id=str(person.pk),
                        object_repr=str(person)[:255],
                        jurisdiction_id=person.jurisdiction_id,
                        before=None,
                        after={
                            "insurance_months": sorted(f"{m.month:%Y-%m} {m.employer_uscc}".strip() for m in months)
                        },
                        note=self.note,
                    )
                    for person, months in touched.values()
                ],
            )
            people = sorted(touched)
            enterprises = sorted({m.enterprise_id for m in new if m.enterprise_id})
            transaction.on_commit(
                lambda: insurance_imported.send(sender=InsuranceMonth, people=people, enterprises=enterprises)
            )
