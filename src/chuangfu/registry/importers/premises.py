"""Premises and leases (经营场地与租赁合同) as a park, an incubator or a lease-registration system
exports them: the enterprise by USCC, the address, the carrier by its name in the registry, the
area, the lease's first and last day (both blank for owned premises), the monthly rent, whether
the lease is registered (备案) and a note.

A row is the same premises as a recorded one when the enterprise, the address and the lease's
first day are the same: importing the file again changes nothing, and a later export with a
longer term, another rent or the registration updates that record. A blank rent, carrier or note
never clears what is recorded; a blank 备案 cell keeps what is recorded (on a new record, not
registered). Each record written is logged on the enterprise, as the page's additions are."""

import decimal
import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangfu.core.audit import log_action
from chuangfu.core.cells import CellError, nfkc, parse_bool, parse_date, text
from chuangfu.core.identifiers import validate_uscc
from chuangfu.core.imports import Column, SourceRow, Table
from chuangfu.core.models import Jurisdiction

from ..models import Carrier, Enterprise, Premises
from ..services.premises import premises_problems, shown
from .base import Action, RowOutcome, RowRejected, labelled, validated, within_length

# The Chinese header is also read as such when the staff member works in English: the file is the
# other system's, in Chinese.
COLUMNS = [
    Column(
        "uscc",
        gettext_lazy("统一社会信用代码"),
        ("统一社会信用代码", "信用代码", "社会信用代码", "承租方信用代码"),
        required=True,
    ),
    Column("name", gettext_lazy("企业名称"), ("企业名称", "承租方", "承租人", "名称", "企业")),
    Column(
        "address", gettext_lazy("场地地址"), ("场地地址", "地址", "房屋坐落", "租赁地址", "经营场所"), required=True
    ),
    Column("carrier", gettext_lazy("所在载体"), ("所在载体", "载体", "园区", "孵化器", "载体名称")),
    Column(
        "area",
        gettext_lazy("面积（平方米）"),
        ("面积（平方米）", "面积", "租赁面积", "建筑面积", "使用面积"),
        required=True,
    ),
    Column("lease_start", gettext_lazy("租期起始日"), ("租期起始日", "起租日", "租赁起始日", "租期开始", "起始日期")),
    Column("lease_end", gettext_lazy("租期截止日"), ("租期截止日", "到期日", "租赁截止日", "租期结束", "截止日期")),
    Column("monthly_rent", gettext_lazy("月租金（元）"), ("月租金（元）", "月租金", "租金（元/月）", "每月租金")),
    Column(
        "lease_registered", gettext_lazy("租赁合同已备案"), ("租赁合同已备案", "已备案", "备案", "是否备案", "合同备案")
    ),
    Column("note", gettext_lazy("备注"), ("备注", "说明")),
]

_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)$")
_AREA_UNITS = ("平方米", "平米", "㎡", "m²", "m2", "M2", "平")
_RENT_UNITS = ("元/月", "元每月", "元／月", "元")
_REGISTERED = {"已备案": True, "未备案": False}


def _number(value, units, problem) -> decimal.Decimal | None:
    """A non-negative amount with two decimals, its unit optional; ``None`` for an empty cell."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raw = str(value)
    else:
        raw = nfkc(value).replace(",", "").replace(" ", "")
        for unit in units:
            if raw.endswith(nfkc(unit)):
                raw = raw[: -len(nfkc(unit))]
                break
    if raw in ("", "-", "—", "/"):
        return None
    if _NUMBER.match(raw) is None:
        raise CellError(problem % {"v": text(value)})
    amount = decimal.Decimal(raw).quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)
    if amount >= decimal.Decimal(10) ** 8:
        raise CellError(_("“%(v)s”过大。") % {"v": text(value)})
    return amount


def parse_area(value) -> decimal.Decimal | None:
    return _number(value, _AREA_UNITS, _("面积“%(v)s”应为平方米数，如 50 或 50.5平方米。"))


def parse_rent(value) -> decimal.Decimal | None:
    return _number(value, _RENT_UNITS, _("月租金“%(v)s”应为元数，如 3000 或 3000元。"))


def parse_registered(value) -> bool | None:
    raw = nfkc(value)
    return _REGISTERED[raw] if raw in _REGISTERED else parse_bool(value)


class PremisesImporter:
    kind = "premises"
    columns = COLUMNS

    def __init__(self, *, town: Jurisdiction | None, actor, dry_run: bool, note: str):
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.dry_run = dry_run
        self.note = note
        self.label = {c.key: c.label for c in self.columns}
        self.places = (
            set(Jurisdiction.objects.filter(path__startswith=town.path).values_list("id", flat=True)) if town else None
        )
        self.carriers: dict[str, list[Carrier]] = {}
        for carrier in Carrier.objects.all():  # a town's carriers are few
            if self.places is None or carrier.jurisdiction_id in self.places:
                self.carriers.setdefault(carrier.name, []).append(carrier)
        self.seen: set = set()

    def read(self, source: SourceRow) -> dict[str, Any]:
        cells, label = source.cells, self.label
        uscc = validated(validate_uscc, nfkc(cells.get("uscc", "")))
        address = within_length(text(cells.get("address", "")), 255, label["address"])
        if not address:
            raise RowRejected(_("缺少场地地址。"))
        area = labelled(label["area"], parse_area, cells.get("area"))
        start = labelled(label["lease_start"], parse_date, cells.get("lease_start"), open_ended=True)
        end = labelled(label["lease_end"], parse_date, cells.get("lease_end"), open_ended=True)
        row = {
            "uscc": uscc,
            "name": text(cells.get("name", ""))[:64],
            "address": address,
            "area": area,
            "lease_start": start,
            "lease_end": end,
            "monthly_rent": labelled(label["monthly_rent"], parse_rent, cells.get("monthly_rent")),
            "lease_registered": labelled(label["lease_registered"], parse_registered, cells.get("lease_registered")),
            "note": within_length(text(cells.get("note", "")), 255, label["note"]),
            "carrier": None,
        }
        carrier_name = text(cells.get("carrier", ""))
        if carrier_name:
            found = self.carriers.get(carrier_name, [])
            if len(found) != 1:
                raise RowRejected(
                    (_("名录中本镇没有名为“%(name)s”的载体。") if not found else _("本镇有多个名为“%(name)s”的载体。"))
                    % {"name": carrier_name}
                )
            row["carrier"] = found[0]
        problems = premises_problems(
            area=area,
            lease_start=start,
            lease_end=end,
            monthly_rent=row["monthly_rent"],
            lease_registered=bool(row["lease_registered"]),
        )
        if problems:
            raise RowRejected(" ".join(problems.values()))
        return row

    def process(self, batch: list[SourceRow], table: Table) -> list[RowOutcome]:
        outcomes = []
        for source in batch:
            try:
                if source.error:
                    raise RowRejected(source.error)
                row = self.read(source)
            except (RowRejected, CellError) as exc:
                key = nfkc(source.cells.get("uscc", ""))[:18]
                outcomes.append(
                    RowOutcome(source.number, Action.REJECT, key, text(source.cells.get("name", ""))[:64], str(exc))
                )
                continue
            outcomes.append(self._one(source.number, row))
        return outcomes

    def _changes(self, existing: Premises, row: dict) -> dict:
        """The fields the row changes on a recorded lease (blank cells change nothing)."""
        wanted = {"area": row["area"], "lease_end": row["lease_end"]}
        for name in ("monthly_rent", "lease_registered", "carrier"):
            if row[name] is not None:
                wanted[name] = row[name]
        if row["note"]:
            wanted["note"] = row["note"]
        return {k: v for k, v in wanted.items() if getattr(existing, k) != v}

    def _one(self, number: int, row: dict) -> RowOutcome:
        def outcome(action, detail=""):
            return RowOutcome(number, action, row["uscc"], row["name"], detail)

        enterprise = Enterprise.objects.filter(uscc=row["uscc"]).first()
        if enterprise is None:
            return outcome(Action.REJECT, _("名录中没有该企业。"))
        if self.places is not None and enterprise.jurisdiction_id not in self.places:
            return outcome(Action.REJECT, _("该企业登记在其他镇（街道），本次导入不修改其记录。"))
        key = (enterprise.pk, row["address"], row["lease_start"])
        if key in self.seen:
            return outcome(Action.UNCHANGED, _("与前面的行相同。"))
        self.seen.add(key)
        existing = (
            Premises.objects.filter(enterprise=enterprise, address=row["address"], lease_start=row["lease_start"])
            .select_related("carrier")
            .first()
        )
        changes = self._changes(existing, row) if existing is not None else None
        if existing is not None and not changes:
            return outcome(Action.UNCHANGED)
        detail = "" if existing is None else "、".join(str(Premises._meta.get_field(k).verbose_name) for k in changes)
        if self.dry_run:
            return outcome(Action.CREATE if existing is None else Action.UPDATE, detail)
        with transaction.atomic():
            if existing is None:
                record = Premises.objects.create(
                    enterprise=enterprise,
                    address=row["address"],
                    carrier=row["carrier"],
                    area=row["area"],
                    lease_start=row["lease_start"],
                    lease_end=row["lease_end"],
                    monthly_rent=row["monthly_rent"],
                    lease_registered=bool(row["lease_registered"]),
                    note=row["note"],
                )
                before = None
            else:
                before = shown(existing)
                for name, value in changes.items():
                    setattr(existing, name, value)
                existing.save(update_fields=list(changes))
                record = existing
            log_action(
                actor=self.actor,
                action="registry.enterprise.premises_imported",
                obj=enterprise,
                before=before,
                after=shown(record),
                note=self.note,
            )
        return outcome(Action.CREATE if existing is None else Action.UPDATE, detail)
