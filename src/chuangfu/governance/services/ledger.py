"""Plans, tasks and milestones: the office sets up the ledger. Due dates may be given as a date
or as a number of working days from the start (the platform's calendar, 开始之日不计入)."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action, snapshot
from chuangfu.core.errors import DomainError
from chuangfu.core.workdays import add_working_days

from ..models import Milestone, Plan, ReportCycle, Task
from ._common import clean_text, milestone_figure, notify, require_in_scope, require_office, unit_liaisons


def plan_create(*, actor, jurisdiction, year: int, title: str, description: str = "") -> Plan:
    require_office(actor)
    require_in_scope(actor, jurisdiction.pk)
    title = clean_text(title, label=_("计划名称"), max_length=200)
    if not 2000 <= int(year) <= 2100:
        raise DomainError("invalid_year", _("年度无效。"))
    with transaction.atomic():
        if Plan.objects.filter(jurisdiction=jurisdiction, title=title).exists():
            raise DomainError("duplicate", _("已有名为“%(title)s”的计划。") % {"title": title})
        plan = Plan.objects.create(jurisdiction=jurisdiction, year=year, title=title, description=description)
        log_action(actor=actor, action="governance.plan.created", obj=plan, after=snapshot(plan))
    return plan


def due_date(*, starts_on: datetime.date, due_on: datetime.date | None, workdays: int | None) -> datetime.date:
    """The due date given directly, or ``workdays`` working days after ``starts_on``."""
    if due_on is None and not workdays:
        raise DomainError("due_required", _("请填写完成时限（日期或工作日数）。"))
    if due_on is None:
        if workdays < 1:
            raise DomainError("invalid_workdays", _("工作日数必须大于 0。"))
        return add_working_days(starts_on, workdays)
    if due_on < starts_on:
        raise DomainError("invalid_dates", _("完成时限不能早于开始日期。"))
    return due_on


def task_create(
    *,
    actor,
    plan: Plan,
    title: str,
    lead_unit,
    starts_on: datetime.date,
    due_on: datetime.date | None = None,
    workdays: int | None = None,
    target: str = "",
    co_units=(),
    weight: int = 1,
    report_cycle: str = ReportCycle.MONTHLY,
    plan_item=None,
    overlay_reason: str = "",
    indicator: str = "",
) -> Task:
    """A task of ``plan`` led by ``lead_unit``; the lead and co-units are told it is theirs. With
    ``plan_item`` it is an overlay (叠加) on a unit's own plan item and needs the reason."""
    require_office(actor)
    require_in_scope(actor, plan.jurisdiction_id)
    title = clean_text(title, label=_("任务"), max_length=255)
    if lead_unit is None:
        raise DomainError("lead_unit_required", _("请选择牵头单位。"))
    co_units = [u for u in co_units if u.pk != lead_unit.pk]
    for unit in (lead_unit, *co_units):
        if unit.jurisdiction_id != plan.jurisdiction_id:
            raise DomainError("invalid_unit", _("单位“%(unit)s”不属于本区划。") % {"unit": unit.name})
    if not 1 <= int(weight) <= 100:
        raise DomainError("invalid_weight", _("权重必须在 1 到 100 之间。"))
    if report_cycle not in ReportCycle.values:
        raise DomainError("invalid_cycle", _("报送周期无效。"))
    due = due_date(starts_on=starts_on, due_on=due_on, workdays=workdays)
    overlay_reason = (overlay_reason or "").strip()
    if plan_item is not None:
        if plan_item.jurisdiction_id != plan.jurisdiction_id:
            raise DomainError("invalid_plan_item", _("单位计划事项不属于本区划。"))
        if not overlay_reason:
            raise DomainError("overlay_reason_required", _("叠加任务请写明叠加理由。"))
    with transaction.atomic():
        task = Task.objects.create(
            plan=plan,
            jurisdiction_id=plan.jurisdiction_id,
            title=title,
            target=(target or "").strip(),
            lead_unit=lead_unit,
            weight=weight,
            starts_on=starts_on,
            due_on=due,
            report_cycle=report_cycle,
            plan_item=plan_item,
            overlay_reason=overlay_reason,
            indicator=(indicator or "").strip()[:200],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        task.co_units.set(co_units)
        log_action(
            actor=actor,
            action="governance.task.created",
            obj=task,
            after={**snapshot(task), "co_units": [u.pk for u in co_units]},
        )
        link = reverse("governance:task", args=[task.pk])
        notify(
            unit_liaisons(lead_unit.pk),
            title=_("新任务：%(title)s") % {"title": task.title},
            body=_("贵单位牵头，完成时限 %(due)s。") % {"due": due},
            link=link,
        )
        for unit in co_units:
            notify(
                unit_liaisons(unit.pk),
                title=_("新任务：%(title)s") % {"title": task.title},
                body=_("贵单位配合，牵头单位%(lead)s，完成时限 %(due)s。") % {"lead": lead_unit.name, "due": due},
                link=link,
            )
    return task


def milestone_add(*, actor, task: Task, title: str, due_on: datetime.date, weight: int = 1) -> Milestone:
    require_office(actor)
    require_in_scope(actor, task.jurisdiction_id)
    title = clean_text(title, label=_("时间节点"), max_length=255)
    if not 1 <= int(weight) <= 100:
        raise DomainError("invalid_weight", _("权重必须在 1 到 100 之间。"))
    if not task.starts_on <= due_on <= task.due_on:
        raise DomainError(
            "invalid_dates",
            _("节点时限必须在任务的开始日期 %(start)s 与完成时限 %(due)s 之间。")
            % {"start": task.starts_on, "due": task.due_on},
        )
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        milestone = Milestone.objects.create(task=locked, title=title, due_on=due_on, weight=weight)
        locked.percent_done = milestone_figure(locked)  # a new milestone at 0% weighs on the task
        locked.save(update_fields=["percent_done"])
        log_action(
            actor=actor,
            action="governance.milestone.created",
            obj=milestone,
            after=snapshot(milestone),
            jurisdiction=task.jurisdiction_id,
        )
    return milestone
