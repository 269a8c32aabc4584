"""The briefing pack (会前材料) for a meeting as .docx: the decisions of earlier meetings of the series
and where their tasks stand, tasks overdue and due soon, what moved since the previous meeting, and
the agenda. Laid out after GB/T 9704 (A4, its margins, 仿宋 body, 小标宋 title); a read, no writes."""

import datetime
import io

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from chuangfu.core.workdays import add_working_days

from .models import RUNNING_STATUSES, AgendaStatus, Decision, Meeting, Plan, ProgressReport, Task, TaskStatus
from .selectors import plan_rollup, with_progress

DUE_SOON_WORKDAYS = 10


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = "仿宋_GB2312"
    normal.font.size = Pt(16)  # 3号
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    return doc


def _heading(doc, text: str) -> None:
    _font(doc.add_paragraph().add_run(text), "黑体", 16)


def _table(doc, header: list[str], rows: list[list]) -> None:
    if not rows:
        doc.add_paragraph(_("（无）"))
        return
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _font(cell.paragraphs[0].add_run(str(text)), "黑体", 10.5)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            _font(cell.paragraphs[0].add_run(str(value)), "仿宋_GB2312", 10.5)


def _previous(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(series_id=meeting.series_id, starts_at__lt=meeting.starts_at)
        .exclude(status="cancelled")
        .order_by("-starts_at")
        .first()
    )


def briefing_pack(meeting: Meeting, *, today: datetime.date | None = None) -> bytes:
    today = today or timezone.localdate()
    day = timezone.localdate(meeting.starts_at)
    doc = _document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(_("%(title)s会前材料") % {"title": meeting.title}), "方正小标宋简体", 22)
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    doc.add_paragraph(_("会议时间：%(when)s　地点：%(place)s") % {"when": when, "place": meeting.place or "—"})
    doc.add_paragraph(_("材料生成日期：%(day)s") % {"day": today.isoformat()})

    _heading(doc, _("一、前次会议议定事项落实情况"))
    decisions = (
        Decision.objects.filter(meeting__series_id=meeting.series_id, meeting__starts_at__lt=meeting.starts_at)
        .select_related("meeting", "lead_unit", "task")
        .order_by("meeting__starts_at", "id")
    )
    tasks = {t.pk: t for t in with_progress([d.task for d in decisions if d.task_id])}
    rows = []
    for d in decisions:
        task = tasks.get(d.task_id)
        rows.append(
            [
                d.meeting.title,
                d.text,
                d.lead_unit.name,
                d.due_on.isoformat(),
                task.get_status_display() if task else "—",
                f"{task.progress}%" if task else "—",
                _("逾期") if task and task.overdue else "",
            ]
        )
    _table(doc, [_("会议"), _("议定事项"), _("牵头单位"), _("完成时限"), _("状态"), _("完成进度"), _("逾期")], rows)

    running = Task.objects.filter(jurisdiction_id=meeting.jurisdiction_id, status__in=RUNNING_STATUSES).select_related(
        "lead_unit"
    )
    _heading(doc, _("二、逾期任务"))
    overdue = with_progress(running.filter(due_on__lt=day).order_by("due_on")[:200])
    _table(
        doc,
        [_("任务"), _("牵头单位"), _("完成时限"), _("完成进度"), _("督办")],
        [
            [t.title, t.lead_unit.name, t.due_on.isoformat(), f"{t.progress}%", _("是") if t.supervised_at else ""]
            for t in overdue
        ],
    )
    _heading(doc, _("三、近期到期任务（%(n)d 个工作日内）") % {"n": DUE_SOON_WORKDAYS})
    horizon = add_working_days(day, DUE_SOON_WORKDAYS)
    soon = with_progress(running.filter(due_on__gte=day, due_on__lte=horizon).order_by("due_on")[:200])
    _table(
        doc,
        [_("任务"), _("牵头单位"), _("完成时限"), _("完成进度")],
        [[t.title, t.lead_unit.name, t.due_on.isoformat(), f"{t.progress}%"] for t in soon],
    )

    _heading(doc, _("四、自上次会议以来的变化"))
    previous = _previous(meeting)
    since = previous.starts_at if previous else None
    scope = Q(jurisdiction_id=meeting.jurisdiction_id)
    closed = Task.objects.filter(scope, status=TaskStatus.CLOSED)
    reports = ProgressReport.objects.filter(task__jurisdiction_id=meeting.jurisdiction_id)
    if since is not None:
        closed = closed.filter(closed_on__gte=timezone.localdate(since))
        reports = reports.filter(created_at__gte=since)
        doc.add_paragraph(
            _("上次会议：%(title)s（%(day)s）") % {"title": previous.title, "day": timezone.localdate(since)}
        )
    doc.add_paragraph(
        _("销号任务 %(closed)d 项，进展报告 %(reports)d 份。") % {"closed": closed.count(), "reports": reports.count()}
    )
    plans = Plan.objects.filter(jurisdiction_id=meeting.jurisdiction_id).order_by("-year", "id")[:10]
    _table(
        doc,
        [_("工作计划"), _("任务数"), _("逾期"), _("总体完成进度（按权重）")],
        [[p.title, r.tasks, r.overdue, f"{r.percent}%"] for p, r in ((p, plan_rollup(p, today=today)) for p in plans)],
    )

    _heading(doc, _("五、本次会议议程"))
    items = meeting.agenda_items.filter(status=AgendaStatus.ACCEPTED).select_related("unit")
    _table(doc, [_("议题"), _("提交单位")], [[i.title, i.unit.name if i.unit else _("办公室")] for i in items])
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
