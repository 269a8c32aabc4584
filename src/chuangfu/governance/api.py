"""Governance API: read the ledger (tasks with their rolled-up progress, milestones), meeting
decisions and a plan's roll-up, and submit progress reports (with evidence files), so a unit's own
system can report. The same selectors and services as the pages: another town's task is 404, a
report on another unit's task is 403 with ``code`` and a Chinese ``message``."""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from chuangfu.core.api_schemas import ErrorOut
from chuangfu.core.bounds import Id, Offset, api_number
from chuangfu.core.errors import DomainError

from . import selectors
from .models import Milestone, ProgressReport, Task, TaskStatus
from .services import progress

router = Router(tags=["governance"])
MAX_LIMIT = 200


class TaskOut(Schema):
    id: int
    plan_id: int
    plan: str
    title: str
    target: str
    lead_unit: str
    lead_unit_id: int
    co_units: list[str]
    weight: int
    starts_on: datetime.date
    due_on: datetime.date
    status: str
    status_label: str
    progress: int = Field(description="完成进度（%）：已销号为 100；有时间节点时按节点权重汇总")
    overdue: bool
    supervised_at: datetime.datetime | None
    last_report_at: datetime.datetime | None
    decision_id: int | None = Field(None, description="由会议议定事项生成时的议定事项 id")

    @staticmethod
    def of(task: Task) -> dict:
        return {
            "id": task.pk,
            "plan_id": task.plan_id,
            "plan": task.plan.title,
            "title": task.title,
            "target": task.target,
            "lead_unit": task.lead_unit.name,
            "lead_unit_id": task.lead_unit_id,
            "co_units": [u.name for u in task.co_units.all()],
            "weight": task.weight,
            "starts_on": task.starts_on,
            "due_on": task.due_on,
            "status": task.status,
            "status_label": task.get_status_display(),
            "progress": task.progress,
            "overdue": task.overdue,
            "supervised_at": task.supervised_at,
            "last_report_at": task.last_report_at,
            "decision_id": getattr(getattr(task, "decision", None), "pk", None),
        }


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: datetime.date
    weight: int
    percent_done: int


class TaskDetailOut(TaskOut):
    milestones: list[MilestoneOut]


class TaskPage(Schema):
    items: list[TaskOut]
    next_offset: int | None


class LedgerQuery(Schema):
    plan: Id | None = None
    unit: Id | None = Field(None, description="单位 id（牵头或配合）；单位联络员只能看本单位")
    status: str = Field("", description="|".join(TaskStatus.values))
    overdue: bool = False
    supervised: bool = False
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: Offset = 0


class ReportIn(Schema):
    text: str = Field(description="进展情况")
    percent: api_number(ProgressReport, "percent") = Field(description="完成进度 0–100")
    milestone_id: Id | None = Field(None, description="所报时间节点 id；不填为整项任务")


class ReportOut(Schema):
    id: int
    task_id: int
    unit: str
    percent: int
    text: str
    milestone_id: int | None
    evidence: list[str]
    created_at: datetime.datetime
    task_status: str
    task_progress: int


class DecisionOut(Schema):
    id: int
    meeting_id: int
    meeting: str
    meeting_at: datetime.datetime
    text: str
    lead_unit: str
    co_units: list[str]
    due_on: datetime.date
    task_id: int | None
    task_status: str | None


class UnitFigureOut(Schema):
    unit_id: int
    unit: str
    tasks: int
    closed: int
    overdue: int
    percent: int


class RollupOut(Schema):
    plan_id: int
    plan: str
    percent: int = Field(description="按权重汇总的完成进度（%）")
    tasks: int
    overdue: int
    by_status: dict[str, int]
    by_unit: list[UnitFigureOut]


@router.get("/tasks", response=TaskPage, summary="工作台账：任务列表（按完成时限排序）")
def task_list(request, query: Query[LedgerQuery]):
    filters = selectors.LedgerFilters(
        plan=query.plan,
        unit=query.unit,
        status=query.status if query.status in TaskStatus.values else "",
        overdue=query.overdue,
        supervised=query.supervised,
    )
    qs = selectors.ledger(actor=request.user, filters=filters).select_related("decision").prefetch_related("co_units")
    rows = list(qs[query.offset : query.offset + query.limit + 1])
    more = len(rows) > query.limit
    items = selectors.with_progress(rows[: query.limit])
    return {"items": [TaskOut.of(t) for t in items], "next_offset": query.offset + query.limit if more else None}


@router.get("/tasks/{task_id}", response={200: TaskDetailOut, 404: ErrorOut}, summary="工作台账：一项任务及其时间节点")
def task_detail(request, task_id: Id):
    task = selectors.with_progress([selectors.get_task_for(request.user, task_id)])[0]
    milestones = Milestone.objects.filter(task=task).values("id", "title", "due_on", "weight", "percent_done")
    return {**TaskOut.of(task), "milestones": list(milestones)}


def _report(request, task_id: Id, payload: ReportIn, files) -> dict:
    task = selectors.get_task_for(request.user, task_id)
    milestone = None
    if payload.milestone_id is not None:
        milestone = Milestone.objects.filter(pk=payload.milestone_id, task=task).first()
        if milestone is None:
            raise DomainError("invalid_milestone", _("时间节点不属于这项任务。"))
    report = progress.progress_report_submit(
        actor=request.user, task=task, text=payload.text, percent=payload.percent, milestone=milestone, files=files
    )
    task = selectors.with_progress([selectors.get_task_for(request.user, task_id)])[0]
    return {
        "id": report.pk,
        "task_id": task.pk,
        "unit": report.unit.name,
        "percent": report.percent,
        "text": report.text,
        "milestone_id": report.milestone_id,
        "evidence": [e.name for e in report.evidence.all()],
        "created_at": report.created_at,
        "task_status": task.status,
        "task_progress": task.progress,
    }


@router.post(
    "/tasks/{task_id}/reports",
    response={201: ReportOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="报送进展（JSON，无附件）：牵头或配合单位的联络员",
)
def report_create(request, task_id: Id, payload: ReportIn):
    return Status(201, _report(request, task_id, payload, ()))


@router.post(
    "/tasks/{task_id}/reports/with-files",
    response={201: ReportOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="报送进展并上传佐证材料（multipart/form-data；图片、PDF、Office，每个 10 MB）",
)
def report_create_with_files(request, task_id: Id, payload: Form[ReportIn], files: File[list[UploadedFile]] = None):
    return Status(201, _report(request, task_id, payload, files or ()))


@router.get("/decisions", response=list[DecisionOut], summary="会议议定事项及其台账任务状态")
def decision_list(request, limit: int = Query(100, ge=1, le=MAX_LIMIT), offset: Offset = 0):
    rows = selectors.decisions_for(request.user)[offset : offset + limit]
    return [
        {
            "id": d.pk,
            "meeting_id": d.meeting_id,
            "meeting": d.meeting.title,
            "meeting_at": d.meeting.starts_at,
            "text": d.text,
            "lead_unit": d.lead_unit.name,
            "co_units": [u.name for u in d.co_units.all()],
            "due_on": d.due_on,
            "task_id": d.task_id,
            "task_status": d.task.status if d.task_id else None,
        }
        for d in rows
    ]


@router.get(
    "/plans/{plan_id}/rollup",
    response={200: RollupOut, 404: ErrorOut},
    summary="工作计划完成进度（按权重汇总，含各牵头单位）",
)
def plan_rollup(request, plan_id: Id):
    plan = selectors.get_plan_ref_for(request.user, plan_id)
    rollup = selectors.plan_rollup(plan)
    return {
        "plan_id": plan.pk,
        "plan": plan.title,
        "percent": rollup.percent,
        "tasks": rollup.tasks,
        "overdue": rollup.overdue,
        "by_status": rollup.by_status,
        "by_unit": [
            {
                "unit_id": f.unit.pk,
                "unit": f.unit.name,
                "tasks": f.tasks,
                "closed": f.closed,
                "overdue": f.overdue,
                "percent": f.percent,
            }
            for f in rollup.by_unit
        ],
    }
