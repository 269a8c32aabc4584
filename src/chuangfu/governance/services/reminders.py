"""Reminders and escalation, run daily by the queue (``tasks.py``). Each sweep is idempotent: a
task is reminded once per due date (3 working days ahead), escalated once per due date (the day
after it passes: the unit and the office are told), and asked for a report once per cycle."""

import datetime

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.workdays import add_working_days

from ..models import CYCLE_DAYS, RUNNING_STATUSES, Task
from ._common import notify, office_accounts, unit_liaisons

REMIND_WORKDAYS = 3


def reminders_send(*, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    horizon = add_working_days(today, REMIND_WORKDAYS)
    counts = {"due_soon": 0, "overdue": 0, "report_due": 0}
    running = Task.objects.filter(status__in=RUNNING_STATUSES).select_related("lead_unit")
    for task in running.filter(due_on__gte=today, due_on__lte=horizon).exclude(reminded_for=F("due_on")):
        with transaction.atomic():
            Task.objects.filter(pk=task.pk).update(reminded_for=task.due_on)
            notify(
                unit_liaisons(task.lead_unit_id),
                title=_("任务即将到期：%(title)s") % {"title": task.title},
                body=_("完成时限 %(due)s，请及时推进并报送进展。") % {"due": task.due_on},
                link=reverse("governance:task", args=[task.pk]),
            )
            counts["due_soon"] += 1
    for task in running.filter(due_on__lt=today).exclude(escalated_for=F("due_on")):
        with transaction.atomic():
            Task.objects.filter(pk=task.pk).update(escalated_for=task.due_on)
            link = reverse("governance:task", args=[task.pk])
            values = {"title": task.title, "unit": task.lead_unit.name, "due": task.due_on}
            notify(
                unit_liaisons(task.lead_unit_id),
                title=_("任务已逾期：%(title)s") % values,
                body=_("完成时限 %(due)s 已过，请尽快办结或申请延期。") % values,
                link=link,
            )
            notify(
                office_accounts(task.jurisdiction_id),
                title=_("任务逾期：%(title)s") % values,
                body=_("牵头单位%(unit)s，完成时限 %(due)s。可督办。") % values,
                link=link,
            )
            log_action(
                actor=None, action="governance.task.escalated", obj=task, after={"due_on": task.due_on.isoformat()}
            )
            counts["overdue"] += 1
    for cycle, days in CYCLE_DAYS.items():
        since = timezone.now() - datetime.timedelta(days=days)
        stale = running.filter(report_cycle=cycle, starts_on__lte=today - datetime.timedelta(days=days)).filter(
            Q(last_report_at__isnull=True) | Q(last_report_at__lt=since)
        )
        stale = stale.filter(
            Q(report_reminded_on__isnull=True) | Q(report_reminded_on__lte=today - datetime.timedelta(days=days))
        )
        for task in stale:
            Task.objects.filter(pk=task.pk).update(report_reminded_on=today)
            notify(
                unit_liaisons(task.lead_unit_id),
                title=_("请报送进展：%(title)s") % {"title": task.title},
                body=_("本任务按%(cycle)s报送进展。") % {"cycle": task.get_report_cycle_display()},
                link=reverse("governance:task", args=[task.pk]),
            )
            counts["report_due"] += 1
    return counts
