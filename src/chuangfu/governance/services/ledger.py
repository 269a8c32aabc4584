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
    target_source: str = "",
    target_value: int | None = None,
    public: bool = False,
) -> Task:
    """A task of ``plan`` led by ``lead_unit``; the lead and co-units are told it is theirs. With
    ``plan_item`` it is an overlay (叠加) on a unit's own plan item and needs the reason. With
    ``target_source`` (a registered indicator source) and ``target_value`` its figure is the live
    figure (``live.py``); ``public`` shows it on the portal's 工作计划进展."""
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
    target_source, target_value = _live_target(target_source, target_value)
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
            target_source=target_source,
            target_value=target_value,
            public=bool(public),
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


def _live_target(source: str, value) -> tuple[str, int | None]:
    """A live target names a registered source and a positive value, or neither."""
    from .. import live

    source = (source or "").strip()
    if not source and value in (None, ""):
        return "", None
    if source not in dict(live.source_choices()):
        raise DomainError("invalid_source", _("请选择已登记的实时指标。"))
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 10**9:
        raise DomainError("invalid_target_value", _("指标目标值必须是正整数。"))
    return source, value


def task_set_public(*, actor, task: Task, public: bool) -> Task:
    """The office shows a task on the public portal's 工作计划进展, or withdraws it."""
    require_office(actor)
    require_in_scope(actor, task.jurisdiction_id)
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.public != bool(public):
            locked.public = bool(public)
            locked.save(update_fields=["public"])
            log_action(
                actor=actor,
                action="governance.task.published" if public else "governance.task.unpublished",
                obj=locked,
                before={"public": not public},
                after={"public": bool(public)},
            )
    return locked


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


# A problem found on a visit becomes a task due this many working days after the click.
VISIT_TASK_WORKDAYS = 20


def task_from_visit_problem(*, actor, problem) -> Task:
    """The ecosystem's one-click destination (``apps.GovernanceConfig.ecosystem_problem_destination``):
    a problem found on a visit to a carrier (``ecosystem.VisitProblem``, read by its attributes, never
    imported) becomes a task of the town's plan for this year (its newest plan when it has none for
    this year), led by the office's own unit — the clicking account's unit, else the unit of the
    director of the town's 领导小组办公室 — due in ``VISIT_TASK_WORKDAYS`` working days. The office
    then adjusts it like any task. Refused with a clear message when the town has no plan or no
    office unit; the ecosystem's transaction then saves nothing."""
    from django.utils import timezone

    from ..models import Body, BodyKind, Membership, Position

    require_office(actor)
    visit = problem.visit
    carrier = visit.carrier
    require_in_scope(actor, carrier.jurisdiction_id)
    today = timezone.localdate()
    plans = Plan.objects.filter(jurisdiction_id=carrier.jurisdiction_id)
    plan = plans.filter(year=today.year).order_by("-id").first() or plans.order_by("-year", "-id").first()
    if plan is None:
        raise DomainError("no_plan", _("本镇还没有工作计划，请先在工作台账中新建计划。"))
    lead_unit = actor.unit if actor.unit_id and actor.unit.jurisdiction_id == plan.jurisdiction_id else None
    if lead_unit is None:
        office = Body.objects.filter(jurisdiction_id=plan.jurisdiction_id, kind=BodyKind.OFFICE).first()
        director = (
            Membership.objects.filter(term__body=office, position=Position.DIRECTOR, left_on__isnull=True)
            .exclude(unit=None)
            .select_related("unit")
            .order_by("-joined_on", "-id")
            .first()
            if office
            else None
        )
        lead_unit = director.unit if director else None
    if lead_unit is None:
        raise DomainError(
            "no_office_unit", _("请先在“机构与成员”中登记领导小组办公室主任及其单位，任务将由该单位牵头。")
        )
    description = problem.description.strip()
    return task_create(
        actor=actor,
        plan=plan,
        title=(_("走访发现：%(carrier)s——%(problem)s") % {"carrier": carrier.name, "problem": description})[:255],
        target=_("%(problem)s\n来源：%(visit)s 的走访（%(link)s）")
        % {"problem": description, "visit": str(visit), "link": visit.get_absolute_url()},
        lead_unit=lead_unit,
        starts_on=today,
        workdays=VISIT_TASK_WORKDAYS,
    )
