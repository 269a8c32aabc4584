"""Incubation: enterprises hosted by a carrier move through 入孵 → 在孵 → 毕业 / 迁出 / 注销 on
the declared machine; carriers report quarterly figures per hosted enterprise, by form or from
their usual spreadsheet."""

import datetime
import decimal
import os

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.cells import CellError, is_empty, parse_count, parse_wan_yuan, text
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.imports import Column, check_file, open_table
from chuangfu.core.jobs import job_handler, job_start
from chuangfu.core.models import Job
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.core.workflow import fire
from chuangfu.registry.models import Carrier, Enterprise

from ..models import LIVE_INCUBATION, Incubation, QuarterlyReport, RevenueBand
from ..selectors import QUARTERLY_IMPORT_KIND as IMPORT_KIND
from ..selectors import get_carrier_for, get_incubation_for
from ..workflows import INCUBATION
from ._common import clean_text

DATE_FIELD = {"start": "started_on", "graduate": "ended_on", "move_out": "ended_on", "deregister": "ended_on"}


@transaction.atomic
def incubation_admit(*, actor, carrier: Carrier, enterprise: Enterprise, admitted_on: datetime.date) -> Incubation:
    """入孵: an enterprise of the actor's jurisdiction is hosted by a carrier they may work with.
    An enterprise hosted anywhere already (入孵 or 在孵) is refused: one live incubation each."""
    carrier = get_carrier_for(actor, carrier.pk)
    ids = visible_jurisdiction_ids(actor)
    if ids is not None and enterprise.jurisdiction_id not in ids:
        raise NotFound()
    if admitted_on is None or admitted_on > timezone.localdate():
        raise DomainError("admitted_on", _("入孵日期不能为空，也不能晚于今天。"))
    live = (
        Incubation.objects.filter(enterprise=enterprise, status__in=LIVE_INCUBATION).select_related("carrier").first()
    )
    if live is not None:
        raise DomainError(
            "duplicate_admission",
            _("“%(e)s”已在“%(c)s”孵化中（%(s)s），不能重复入孵。")
            % {"e": enterprise, "c": live.carrier, "s": live.get_status_display()},
        )
    try:
        with transaction.atomic():
            incubation = Incubation.objects.create(
                carrier=carrier, enterprise=enterprise, admitted_on=admitted_on, created_by=actor
            )
    except IntegrityError:
        raise DomainError("duplicate_admission", _("“%(e)s”已在孵化中，不能重复入孵。") % {"e": enterprise}) from None
    log_action(
        actor=actor,
        action="ecosystem.incubation.admitted",
        obj=incubation,
        after={"carrier": carrier.pk, "enterprise": enterprise.pk, "admitted_on": admitted_on.isoformat()},
    )
    return incubation


def incubation_transition(*, actor, incubation: Incubation, name: str, on_date: datetime.date, note: str = ""):
    """开始在孵 / 毕业 / 迁出 / 注销 on a date not before 入孵 and not after today."""
    incubation = get_incubation_for(actor, incubation.pk)
    INCUBATION.transition(name)
    if on_date is None or on_date > timezone.localdate() or on_date < incubation.admitted_on:
        raise DomainError("date", _("日期须在入孵日期（%(d)s）和今天之间。") % {"d": incubation.admitted_on})
    return fire(
        INCUBATION,
        incubation,
        name,
        actor=actor,
        note=note,
        changes={DATE_FIELD[name]: on_date},
        jurisdiction=incubation.carrier.jurisdiction_id,
    )


# --- quarterly figures -------------------------------------------------------------------------


def _band_key(value: str) -> str:
    return str(value).replace(" ", "").replace("-", "–").replace("~", "–")


REVENUE_BY_TEXT = {_band_key(label): code for code, label in RevenueBand.choices} | {c: c for c in RevenueBand.values}


def _quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - datetime.timedelta(days=1)
    return start, end


def _clean_figures(incubation: Incubation, values: dict) -> dict:
    """Check one quarter's figures; every problem found is reported at once."""
    problems = []
    year, quarter = values.get("year"), values.get("quarter")
    if not isinstance(year, int) or not isinstance(quarter, int) or not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise DomainError("quarter", _("请填写有效的年度和季度（1–4）。"))
    start, end = _quarter_bounds(year, quarter)
    if start > timezone.localdate():
        problems.append(_("%(y)d 年第 %(q)d 季度尚未开始。") % {"y": year, "q": quarter})
    ended = incubation.ended_on or datetime.date.max
    if incubation.admitted_on > end or ended < start:
        problems.append(
            _("该季度“%(e)s”不在本载体孵化（入孵 %(a)s）。") % {"e": incubation.enterprise, "a": incubation.admitted_on}
        )
    headcount = values.get("insured_headcount")
    if headcount is None or headcount < 0:
        problems.append(_("参保人数须为不小于 0 的整数。"))
    if values.get("revenue_band") not in RevenueBand.values:
        problems.append(
            _("营收区间须为以下之一：%(bands)s。")
            % {"bands": "、".join(str(label) for _c, label in RevenueBand.choices)}
        )
    financing = values.get("financing_wan") or decimal.Decimal(0)
    if financing < 0:
        problems.append(_("融资额不能为负数。"))
    ip_count = values.get("ip_count") or 0
    if ip_count < 0:
        problems.append(_("知识产权数不能为负数。"))
    if problems:
        raise DomainError("figures", "；".join(problems))
    return {
        "insured_headcount": headcount,
        "revenue_band": values["revenue_band"],
        "financing_wan": financing,
        "ip_count": ip_count,
        "awards": clean_text(values.get("awards"), label=_("获奖情况"), max_length=255, required=False),
    }


def _save_report(actor, incubation: Incubation, year: int, quarter: int, figures: dict) -> tuple[QuarterlyReport, bool]:
    report, created = QuarterlyReport.objects.update_or_create(
        incubation=incubation, year=year, quarter=quarter, defaults={**figures, "submitted_by": actor}
    )
    log_action(
        actor=actor,
        action="ecosystem.quarterly_report.saved",
        obj=incubation,
        after={"year": year, "quarter": quarter, **{k: str(v) for k, v in figures.items()}},
    )
    return report, created


@transaction.atomic
def quarterly_report_save(*, actor, incubation: Incubation, year: int, quarter: int, **values) -> QuarterlyReport:
    """Save one quarter's figures for a hosted enterprise; saving the same quarter again replaces them."""
    incubation = get_incubation_for(actor, incubation.pk)
    figures = _clean_figures(incubation, {"year": year, "quarter": quarter, **values})
    return _save_report(actor, incubation, year, quarter, figures)[0]


IMPORT_COLUMNS = [
    Column("uscc", "统一社会信用代码", ("信用代码", "社会信用代码"), required=True),
    Column("name", "企业名称", ("企业",)),
    Column("year", "年度", ("年份",), required=True),
    Column("quarter", "季度", (), required=True),
    Column("insured_headcount", "参保人数", ("社保人数", "参保员工数"), required=True),
    Column("revenue_band", "营收区间", ("营业收入区间", "营收"), required=True),
    Column("financing_wan", "融资额", ("本季融资额", "融资额（万元）", "本季融资额（万元）")),
    Column("ip_count", "知识产权数", ("知识产权", "专利商标数")),
    Column("awards", "获奖情况", ("获奖",)),
]


def _cell_int(value, what) -> int | None:
    if is_empty(value):
        return None
    try:
        return int(decimal.Decimal(text(value).removeprefix("Q").removeprefix("q").removeprefix("第").rstrip("季度")))
    except (decimal.InvalidOperation, ValueError):
        raise CellError(_("%(what)s“%(v)s”应为整数。") % {"what": what, "v": text(value)}) from None


def quarterly_import_start(*, actor, carrier: Carrier, upload) -> Job:
    """Check the file before any cell is read (size, type by content, unpacked size, row count;
    ``ImportFileError`` now) and queue the reading: the cells are read on the queue, by
    ``run_quarterly_import``. The file is stored encrypted and deleted when the job ends."""
    carrier = get_carrier_for(actor, carrier.pk)
    check_file(upload)
    upload.seek(0)
    filename = os.path.basename(getattr(upload, "name", "") or "upload.xlsx")
    return job_start(
        kind=IMPORT_KIND,
        title=_("导入季度报表：%(carrier)s（%(file)s）") % {"carrier": carrier.name, "file": filename},
        actor=actor,
        params={"carrier": carrier.pk, "filename": filename},
        input_file=upload,
        jurisdiction=carrier.jurisdiction,
    )


@job_handler(IMPORT_KIND)
def run_quarterly_import(job: Job, progress) -> dict:
    """The queue's half: read the stored file as the person who uploaded it (their scope again:
    an operator who lost the carrier meanwhile gets a failed job, not an import)."""
    carrier = get_carrier_for(job.created_by, job.params["carrier"])
    with job.input_file.open("rb") as fh:
        result = quarterly_import(actor=job.created_by, carrier=carrier, upload=fh)
    if result["errors"]:
        message = _("表格中有 %(n)d 行有错误，全部未导入。") % {"n": len(result["errors"])}
    else:
        message = _("已导入：新增 %(c)d 条，更新 %(u)d 条。") % {"c": result["created"], "u": result["updated"]}
    Job.objects.filter(pk=job.pk).update(message=message)
    return result


@transaction.atomic
def quarterly_import(*, actor, carrier: Carrier, upload) -> dict:
    """Read a carrier's quarterly spreadsheet (one row per enterprise and quarter).

    All or nothing: when any row is wrong, nothing is saved and every row's problem is listed
    with its row number. Importing the same file again changes nothing (one report per
    enterprise and quarter, updated in place). Returns ``{"created", "updated", "errors"}``.
    """
    carrier = get_carrier_for(actor, carrier.pk)
    table = open_table(upload, IMPORT_COLUMNS)
    live = {
        i.enterprise.uscc: i
        for i in Incubation.objects.filter(carrier=carrier).select_related("enterprise").order_by("admitted_on")
    }
    rows, errors, seen = [], [], set()
    for row in table:
        if row.error:
            errors.append({"row": row.number, "message": row.error})
            continue
        uscc = text(row.cells.get("uscc")).upper()
        try:
            incubation = live.get(uscc)
            if incubation is None:
                raise CellError(_("统一社会信用代码 %(u)s 的企业不在本载体孵化。") % {"u": uscc or "—"})
            headcount = parse_count(row.cells.get("insured_headcount"))
            raw_band = text(row.cells.get("revenue_band"))
            values = {
                "year": _cell_int(row.cells.get("year"), _("年度")),
                "quarter": _cell_int(row.cells.get("quarter"), _("季度")),
                "insured_headcount": headcount,
                "revenue_band": REVENUE_BY_TEXT.get(_band_key(raw_band), raw_band),
                "financing_wan": parse_wan_yuan(
                    row.cells.get("financing_wan"), unit=table.units.get("financing_wan", "万元")
                ),
                "ip_count": parse_count(row.cells.get("ip_count")) or 0,
                "awards": text(row.cells.get("awards")),
            }
            key = (uscc, values["year"], values["quarter"])
            if key in seen:
                raise CellError(_("同一企业同一季度在表中出现了两次。"))
            seen.add(key)
            figures = _clean_figures(incubation, values)
        except CellError as exc:
            errors.append({"row": row.number, "message": str(exc)})
            continue
        except DomainError as exc:
            errors.append({"row": row.number, "message": str(exc.message)})
            continue
        rows.append((incubation, values["year"], values["quarter"], figures))
    if not rows and not errors:
        raise DomainError("empty", _("表格中没有数据行。"))
    if errors:
        return {"created": 0, "updated": 0, "errors": errors}
    created = updated = 0
    for incubation, year, quarter, figures in rows:
        _report, is_new = _save_report(actor, incubation, year, quarter, figures)
        created += is_new
        updated += not is_new
    return {"created": created, "updated": updated, "errors": []}
