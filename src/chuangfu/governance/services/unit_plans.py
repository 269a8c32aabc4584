"""Member units' annual plan items, imported from .xlsx; and the plan document published to the
units, each acknowledging receipt (签收). Plan items are imported from .xlsx. The sheet's columns are 单位, 编号, 事项,
目标, 完成时限 (header on the first row). Every row is checked before anything is written: one bad
row (an unknown unit, an impossible date, a missing code or title, a code twice) and the import
saves nothing and reports every bad row. A re-import updates items by (unit, code) and adds nothing
twice."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role, Unit
from chuangfu.core.uploads import check_upload

from ..models import Acknowledgement, PlanDocument, UnitPlanItem
from ._common import clean_text, notify, require_in_scope, require_office, unit_liaisons

COLUMNS = ("单位", "编号", "事项", "目标", "完成时限")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)  # [(row number, message)]


def _date(value, row: int, errors: list) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        errors.append((row, _("完成时限“%(value)s”不是有效日期（如 2026-06-30）。") % {"value": value}))
        return None


def _rows(upload) -> list[tuple]:
    try:
        sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise DomainError("invalid_file", _("无法读取文件：请上传 .xlsx 格式的工作簿。")) from None
    rows = list(sheet.iter_rows(values_only=True))
    if not rows or tuple(str(c or "").strip() for c in rows[0][: len(COLUMNS)]) != COLUMNS:
        raise DomainError("invalid_header", _("第一行必须是表头：%(columns)s。") % {"columns": "、".join(COLUMNS)})
    return rows[1:]


def plan_items_import(*, actor, jurisdiction, year: int, upload) -> ImportResult:
    require_office(actor)
    require_in_scope(actor, jurisdiction.pk)
    units = {u.name: u for u in Unit.objects.filter(jurisdiction=jurisdiction)}
    result, parsed, seen = ImportResult(), [], {}
    for number, row in enumerate(_rows(upload), start=2):
        cells = [("" if c is None else c) for c in (*row, *[None] * len(COLUMNS))[: len(COLUMNS)]]
        if not any(str(c).strip() for c in cells):
            continue
        unit_name, code, title, target = (str(c).strip() for c in cells[:4])
        errors = []
        unit = units.get(unit_name)
        if unit is None:
            errors.append((number, _("单位“%(unit)s”不是本区划的单位。") % {"unit": unit_name}))
        if not code:
            errors.append((number, _("缺少编号。")))
        if not title:
            errors.append((number, _("缺少事项。")))
        due_on = _date(cells[4], number, errors)
        if unit is not None and code:
            if (unit.pk, code) in seen:
                errors.append(
                    (number, _("编号 %(code)s 与第 %(row)d 行重复。") % {"code": code, "row": seen[unit.pk, code]})
                )
            seen[unit.pk, code] = number
        result.errors += errors
        if not errors:
            parsed.append((unit, code, title[:255], target, due_on))
    if result.errors:
        raise DomainError(
            "import_rows",
            _("有 %(n)d 处错误，未导入任何数据。") % {"n": len(result.errors)},
            details={"errors": [{"row": r, "message": str(m)} for r, m in result.errors]},
        )
    with transaction.atomic():
        existing = {
            (i.unit_id, i.code): i
            for i in UnitPlanItem.objects.select_for_update().filter(jurisdiction=jurisdiction, year=year)
        }
        for unit, code, title, target, due_on in parsed:
            item = existing.get((unit.pk, code))
            if item is None:
                UnitPlanItem.objects.create(
                    jurisdiction=jurisdiction,
                    year=year,
                    unit=unit,
                    code=code,
                    title=title,
                    target=target,
                    due_on=due_on,
                )
                result.created += 1
            elif (item.title, item.target, item.due_on) != (title, target, due_on):
                item.title, item.target, item.due_on, item.updated_at = title, target, due_on, timezone.now()
                item.save(update_fields=["title", "target", "due_on", "updated_at"])
                result.updated += 1
            else:
                result.unchanged += 1
        log_action(
            actor=actor,
            action="governance.unit_plan.imported",
            jurisdiction=jurisdiction,
            after={"year": year, "created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
    return result


def plan_item_save(
    *, actor, jurisdiction, year: int, unit, code: str, title: str, target: str = "", due_on=None
) -> UnitPlanItem:
    """Enter one plan item by hand (the office for any unit of its town, a liaison for their own
    unit): the same key and checks as the import, so entering an item that exists updates it."""
    from chuangfu.core.bounds import in_date_range

    from ..access import is_unit_liaison

    require_in_scope(actor, jurisdiction.pk)
    if is_unit_liaison(actor):
        unit = actor.unit
    else:
        require_office(actor)
    if unit is None or unit.jurisdiction_id != jurisdiction.pk:
        raise DomainError("invalid_unit", _("请选择本区划的单位。"))
    if not 2000 <= int(year) <= 2100:
        raise DomainError("invalid_year", _("年度无效。"))
    code = clean_text(code, label=_("编号"), max_length=32)
    title = clean_text(title, label=_("计划事项"), max_length=255)
    target = clean_text(target, label=_("目标"), max_length=4000, required=False)
    if due_on is not None and not in_date_range(due_on):
        raise DomainError("invalid_date", _("完成时限无效。"))
    with transaction.atomic():
        item, created = UnitPlanItem.objects.select_for_update().get_or_create(
            jurisdiction=jurisdiction,
            year=year,
            unit=unit,
            code=code,
            defaults={"title": title, "target": target, "due_on": due_on},
        )
        if not created:
            item.title, item.target, item.due_on, item.updated_at = title, target, due_on, timezone.now()
            item.save(update_fields=["title", "target", "due_on", "updated_at"])
        log_action(
            actor=actor,
            action="governance.unit_plan.item_saved",
            obj=item,
            after={"unit": unit.pk, "year": year, "code": code, "title": title, "created": created},
        )
    return item


def document_publish(*, actor, plan, title: str, upload) -> PlanDocument:
    """Publish the plan's document to the town's units: each unit's liaisons are told to acknowledge it."""
    require_office(actor)
    require_in_scope(actor, plan.jurisdiction_id)
    title = clean_text(title, label=_("文件标题"), max_length=200)
    try:
        check_upload(upload, kinds=("pdf", "office"))
    except ValidationError as exc:
        raise DomainError("invalid_file", exc.messages[0]) from None
    with transaction.atomic():
        document = PlanDocument.objects.create(
            plan=plan, jurisdiction_id=plan.jurisdiction_id, title=title, file=upload
        )
        log_action(actor=actor, action="governance.document.published", obj=document, after={"title": title})
        for unit in Unit.objects.filter(jurisdiction_id=plan.jurisdiction_id, active=True):
            notify(
                unit_liaisons(unit.pk),
                title=_("请签收：%(title)s") % {"title": title},
                body=plan.title,
                link=reverse("governance:plan", args=[plan.pk]),
            )
    return document


def document_acknowledge(*, actor, document):
    """The liaison's unit acknowledges receipt; a second acknowledgement returns the first."""
    require_in_scope(actor, document.jurisdiction_id)
    if actor.role != Role.UNIT_LIAISON or actor.unit_id is None:
        raise DomainError("not_a_unit", _("由单位联络员代表本单位签收。"), status=403)
    existing = Acknowledgement.objects.filter(document=document, unit_id=actor.unit_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(document=document, unit_id=actor.unit_id, user=actor)
            log_action(
                actor=actor,
                action="governance.document.acknowledged",
                obj=document,
                after={"unit": actor.unit_id},
            )
    except IntegrityError:
        return Acknowledgement.objects.get(document=document, unit_id=actor.unit_id)
    return ack
