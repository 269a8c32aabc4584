"""What the desk's and the units' handling of a ticket share: today's date, checked uploads filed
on the transition's event, the units' assignments moving with the ticket, and the ticket's changes
when it is answered."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.errors import DomainError
from chuangfu.core.workdays import working_days_between
from chuangfu.core.workflow import fire

from .. import uploads
from ..models import Attachment, Ticket, TicketAssignment
from ..workflows import ASSIGNMENT, ATTACHABLE

A = TicketAssignment


def local_today() -> datetime.date:
    return timezone.localdate()


def check_files(name: str, files) -> tuple[list, list[str]]:
    """The uploads and their content types, checked like the public intake's (count, size, type by content)."""
    files = [f for f in (files or ()) if f]
    if files and name not in ATTACHABLE:
        raise DomainError("invalid_files", _("此操作不能附带附件。"), details={"field": "files"})
    try:
        return files, uploads.check_uploads(files)
    except ValidationError as exc:
        raise DomainError("invalid_files", " ".join(exc.messages), details={"field": "files"}) from None


def attach_files(name: str, files, actor):
    """The ``on_event`` that files the uploads on the transition's timeline event, after checking
    them like the public intake (count, size, type by content) before anything is saved."""
    files, content_types = check_files(name, files)
    if not files:
        return None

    def attach(event):
        for upload, content_type in zip(files, content_types):
            Attachment.objects.create(
                ticket_id=event.subject_id,
                event=event,
                file=upload,
                original_name=(upload.name or "")[:255],
                content_type=content_type,
                size=upload.size,
                uploaded_by=actor,
            )

    return attach


def assignments_fire(ticket: Ticket, name: str, *, actor, changes=None, **lookup) -> None:
    """Fire ``name`` on each of the ticket's assignments matching ``lookup`` (a unit's part moves
    with the ticket's transition, through the same pipeline)."""
    for assignment in ticket.assignments.filter(**lookup).order_by("id"):
        fire(ASSIGNMENT, assignment, name, actor=actor, changes=changes, jurisdiction=ticket.jurisdiction_id)


def ticket_answer_changes(t: Ticket, actor, answer: str, unit) -> dict:
    today = local_today()
    return {
        "answer": answer,
        "answered_at": timezone.now(),
        "answered_by_unit": unit,
        "answered_in_time": today <= t.answer_due,
        "answer_working_days": max(0, working_days_between(t.received_on, today) - t.paused_days),
        "first_handler": t.first_handler or actor,
    }
