"""The task's transitions with what each one brings: extension dates, 督办 records, closing dates,
and telling the unit or the office. Every state change goes through ``core.workflow.fire``."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangfu.core.errors import DomainError
from chuangfu.core.workflow import fire

from ..models import Supervision, Task
from ..workflows import TASK
from ._common import notify, office_accounts, require_in_scope, unit_liaisons

# What each transition tells whom: (to the unit or the office, title, body).
_NOTICES = {
    "request_close": (
        "office",
        gettext_lazy("申请销号：%(title)s"),
        gettext_lazy("%(unit)s申请销号，请审核佐证材料。"),
    ),
    "approve_close": ("unit", gettext_lazy("已销号：%(title)s"), gettext_lazy("办公室审核通过，任务已销号。")),
    "reject_close": ("unit", gettext_lazy("销号被退回：%(title)s"), gettext_lazy("退回理由：%(note)s")),
    "request_extension": (
        "office",
        gettext_lazy("延期申请：%(title)s"),
        gettext_lazy("%(unit)s申请延期至 %(until)s：%(note)s"),
    ),
    "approve_extension": ("unit", gettext_lazy("延期已批准：%(title)s"), gettext_lazy("完成时限调整为 %(until)s。")),
    "reject_extension": ("unit", gettext_lazy("延期未批准：%(title)s"), gettext_lazy("理由：%(note)s")),
    "suspend": ("unit", gettext_lazy("任务暂缓：%(title)s"), gettext_lazy("理由：%(note)s")),
    "resume": ("unit", gettext_lazy("任务恢复推进：%(title)s"), gettext_lazy("完成时限 %(due)s。")),
    "supervise": ("unit", gettext_lazy("督办：%(title)s"), gettext_lazy("督办意见：%(note)s")),
}


def task_transition(
    *, actor, task: Task, name: str, note: str = "", extension_until: datetime.date | None = None, now=None
) -> Task:
    """Fire ``name`` on ``task`` for ``actor`` and record what goes with it, in one transaction."""
    require_in_scope(actor, task.jurisdiction_id)
    TASK.transition(name)  # unknown names are refused before anything else
    now = now or timezone.now()
    note = (note or "").strip()
    changes = {}
    if name == "request_extension":
        if extension_until is None or extension_until <= task.due_on:
            raise DomainError(
                "invalid_extension", _("延期后的时限必须晚于当前完成时限 %(due)s。") % {"due": task.due_on}
            )
        changes = {"extension_until": extension_until, "extension_reason": note[:255]}
    elif name == "approve_extension":
        # from the locked row: the request another leader may have just decided is the one applied
        def changes(locked):
            return {"due_on": locked.extension_until, "extension_until": None, "extension_reason": ""}

    elif name == "reject_extension":
        changes = {"extension_until": None, "extension_reason": ""}
    elif name == "approve_close":
        changes = {"closed_on": timezone.localdate(now)}
    elif name == "supervise":
        changes = {"supervised_at": now}
    until = extension_until or task.extension_until
    with transaction.atomic():
        saved = fire(TASK, task, name, actor=actor, note=note, changes=changes)
        if name == "supervise":
            Supervision.objects.create(task=saved, leader=actor, note=note, created_at=now)
        _tell(saved, name, note=note, until=until)
    return saved


def _tell(task: Task, name: str, *, note: str, until) -> None:
    notice = _NOTICES.get(name)
    if notice is None:
        return
    whom, title, body = notice
    users = office_accounts(task.jurisdiction_id) if whom == "office" else unit_liaisons(task.lead_unit_id)
    values = {"title": task.title, "unit": task.lead_unit.name, "note": note, "until": until, "due": task.due_on}
    notify(users, title=str(title) % values, body=str(body) % values, link=reverse("governance:task", args=[task.pk]))
