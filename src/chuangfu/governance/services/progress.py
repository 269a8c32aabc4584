"""Progress reports by units, with evidence files. A report is the unit's record of where the task
stands; its figure becomes the current figure of the milestone (or the task) it is about."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from chuangfu.core.uploads import check_upload
from chuangfu.core.workflow import fire

from ..live import live_figure
from ..models import Evidence, Milestone, ProgressReport, Task, TaskStatus
from ..workflows import TASK
from ._common import clean_text, milestone_figure, notify, office_accounts, require_in_scope

# A second identical report within this window is the same submission sent twice.
DOUBLE_SUBMIT_WINDOW = datetime.timedelta(minutes=2)


def reporting_unit(actor, task: Task) -> int:
    """The unit ``actor`` reports for: their own, when it leads or co-handles ``task``."""
    if actor.role != Role.UNIT_LIAISON or actor.unit_id is None:
        raise DomainError("not_a_unit", _("进展由牵头或配合单位的联络员报送。"), status=403)
    if actor.unit_id != task.lead_unit_id and not task.co_units.filter(pk=actor.unit_id).exists():
        raise DomainError("other_unit", _("这项任务不由贵单位牵头或配合，不能报送进展。"), status=403)
    return actor.unit_id


def progress_report_submit(
    *, actor, task: Task, text: str, percent: int, milestone=None, files=(), now=None
) -> ProgressReport:
    """Record a report of ``actor``'s unit on ``task``, with its evidence files.

    Checks everything first (unit, figure, milestone, every file's type and size) and then writes
    the report, its files and the current figure under the task's row lock: all or nothing. Only
    the lead unit's report moves a figure: the milestone's it names, and then the task's (its
    milestones' figures by weight); a task without milestones takes the report's figure. A
    not-started task starts; an open 督办 is answered. The same report sent twice within two
    minutes returns the first one.
    """
    require_in_scope(actor, task.jurisdiction_id)
    unit_id = reporting_unit(actor, task)
    text = clean_text(text, label=_("进展情况"), max_length=4000)
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        percent = -1
    if not 0 <= percent <= 100:
        raise DomainError("invalid_percent", _("完成进度必须是 0 到 100 之间的整数。"))
    if milestone is not None and milestone.task_id != task.pk:
        raise DomainError("invalid_milestone", _("时间节点不属于这项任务。"))
    files = list(files)
    checked = []
    for upload in files:
        try:
            checked.append((upload, check_upload(upload)))
        except ValidationError as exc:
            raise DomainError("invalid_file", exc.messages[0]) from None
    now = now or timezone.now()
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.status in (TaskStatus.CLOSED, TaskStatus.SUSPENDED):
            raise DomainError(
                "task_not_open",
                _("任务%(status)s，不能报送进展。") % {"status": locked.get_status_display()},
                status=409,
            )
        earlier = ProgressReport.objects.filter(
            task=locked,
            unit_id=unit_id,
            milestone=milestone,
            text=text,
            percent=percent,
            created_at__gte=now - DOUBLE_SUBMIT_WINDOW,
        ).first()
        if earlier is not None:
            return earlier
        report = ProgressReport.objects.create(
            task=locked, milestone=milestone, unit_id=unit_id, author=actor, text=text, percent=percent, created_at=now
        )
        for upload, mime in checked:
            Evidence.objects.create(
                report=report, file=upload, name=getattr(upload, "name", "")[:255], content_type=mime, size=upload.size
            )
        if unit_id == locked.lead_unit_id:
            if milestone is not None:
                Milestone.objects.filter(pk=milestone.pk).update(percent_done=percent)
                locked.percent_done = milestone_figure(locked)
            elif not locked.milestones.exists():
                locked.percent_done = percent
            figure = live_figure(locked, today=timezone.localdate(now))
            if figure is not None and figure.percent is not None:
                locked.percent_done = figure.percent  # measured by the live figure, not by what is said
            locked.last_report_at = now
            locked.save(update_fields=["last_report_at", "percent_done"])
        locked.supervisions.filter(answered_at__isnull=True).update(answered_at=now)
        log_action(
            actor=actor,
            action="governance.task.reported",
            obj=locked,
            after={
                "report": report.pk,
                "percent": percent,
                "milestone": getattr(milestone, "pk", None),
                "files": [e.name for e in report.evidence.all()],
            },
        )
        if locked.status == TaskStatus.NOT_STARTED and unit_id == locked.lead_unit_id:
            fire(TASK, locked, "start", actor=actor, note=_("首次报送进展"))
        if locked.supervised_at:
            notify(
                office_accounts(locked.jurisdiction_id),
                title=_("督办任务有新进展：%(title)s") % {"title": locked.title},
                body=_("%(unit)s报送：完成 %(percent)d%%。") % {"unit": report.unit.name, "percent": percent},
                link=reverse("governance:task", args=[locked.pk]),
            )
    return report


def live_figures_refresh(*, today: datetime.date | None = None) -> int:
    """Daily: each open task measured by a live figure takes its figure now (under its row lock), so
    the ledger and the roll-up, which read the stored figure, follow the live records. Returns how
    many figures changed."""
    from ..models import OPEN_STATUSES

    today = today or timezone.localdate()
    changed = 0
    candidates = Task.objects.filter(status__in=OPEN_STATUSES, target_value__isnull=False).exclude(target_source="")
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            task = Task.objects.select_for_update().select_related("jurisdiction").get(pk=pk)
            figure = live_figure(task, today=today)
            if figure is None or figure.percent is None or figure.percent == task.percent_done:
                continue
            before = task.percent_done
            task.percent_done = figure.percent
            task.save(update_fields=["percent_done"])
            log_action(
                actor=None,
                action="governance.task.live_figure",
                obj=task,
                before={"percent_done": before},
                after={"percent_done": figure.percent, "value": figure.value, "target": figure.target},
            )
            changed += 1
    return changed
