"""Working a ticket in the units and above: the lead unit's 签收, 退单, answer, extensions and
suspension; the co-handling units' part; the leaders' 督办; replies and notes — one function per
use case, each firing one transition of ``workflows.TICKET``.

Every function fires through ``core.workflow.fire``, which locks the ticket, lets the machine refuse
what the actor may not do (the same message the page would show), applies the changes, writes the
audit entry and the timeline event in one transaction; the service adds its own rows (``after``)
and notifies after commit. Preconditions beyond the table (a number of days) raise ``DomainError``
with a clear message.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chuangfu.core.errors import DomainError
from chuangfu.core.workdays import add_working_days, working_days_between
from chuangfu.core.workflow import fire

from .. import timeline_text
from ..models import Ticket
from ..workflows import TICKET
from . import notify
from ._common import A, assignments_fire, attach_files, local_today, ticket_answer_changes


def _accepted(assignment) -> dict:
    return {"accepted_at": timezone.now(), "accepted_in_time": local_today() <= assignment.accept_due}


def _answered(ticket: Ticket, answer: str) -> dict:
    """A unit's answer on its assignment, judged against the ticket's answer deadline."""
    return {
        "answered_at": timezone.now(),
        "answer": (answer or "").strip(),
        "answered_in_time": local_today() <= ticket.answer_due,
    }


MAX_EXTENSION_DAYS = 15


# --- the lead unit ---------------------------------------------------------------------------


def ticket_accept(*, ticket: Ticket, actor, note: str = "") -> Ticket:
    """签收 by the lead unit; ends the first handler's watch. Whether it was in time is recorded on
    the unit's assignment (against its own accept deadline), which the figures count."""

    def changes(t):
        return {"accepted_at": timezone.now()}

    def after(saved):
        assignments_fire(
            saved,
            "accept",
            actor=actor,
            changes=lambda a: {**_accepted(a), "accepted_by": actor},
            role=A.Role.LEAD,
            state=A.State.PENDING,
        )

    return fire(
        TICKET,
        ticket,
        "accept",
        actor=actor,
        note=note,
        changes=changes,
        after=after,
        public_note=timeline_text.note(gettext_noop("承办单位已签收。")),
    )


def ticket_return(*, ticket: Ticket, actor, reason: str) -> Ticket:
    """退单: the lead unit sends the ticket back with a reason; the desk reviews it."""

    def after(saved):
        assignments_fire(saved, "return", actor=actor, role=A.Role.LEAD, state__in=A.OPEN)
        notify.to_staff(
            notify.desk_staff(saved),
            title=_("工单被退单"),
            ticket=saved,
            body=_("%(u)s 退回工单 %(n)s：%(r)s") % {"u": saved.lead_unit, "n": saved.number, "r": reason},
        )

    return fire(
        TICKET,
        ticket,
        "return",
        actor=actor,
        note=reason,
        after=after,
        changes=lambda t: {"return_count": t.return_count + 1, "accepted_at": None},
    )


def ticket_start(*, ticket: Ticket, actor, note: str = "") -> Ticket:
    return fire(
        TICKET, ticket, "start", actor=actor, note=note, public_note=timeline_text.note(gettext_noop("正在办理。"))
    )


def ticket_answer(*, ticket: Ticket, actor, answer: str, files=()) -> Ticket:
    """答复 by the lead unit (every co-handler must have reported first). The requester hears it when
    the desk closes the ticket (``ticket_close``)."""
    answer = (answer or "").strip()

    def after(saved):
        assignments_fire(
            saved,
            "answer",
            actor=actor,
            changes=_answered(saved, answer),
            role=A.Role.LEAD,
            state=A.State.ACCEPTED,
        )

    return fire(
        TICKET,
        ticket,
        "answer",
        actor=actor,
        note=answer,
        public_note=answer,
        after=after,
        on_event=attach_files("answer", files, actor),
        changes=lambda t: ticket_answer_changes(t, actor, answer, t.lead_unit),
    )


def ticket_request_extension(*, ticket: Ticket, actor, days: int, reason: str) -> Ticket:
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise DomainError(
            "invalid_days",
            _("延期天数应为 1–%(max)d 个工作日。") % {"max": MAX_EXTENSION_DAYS},
            details={"field": "days"},
        )
    reason = (reason or "").strip()

    def after(saved):
        title = _("延期申请待审批")
        body = _("%(u)s 申请工单 %(n)s 延期 %(d)s 个工作日：%(r)s") % {
            "u": saved.lead_unit,
            "n": saved.number,
            "d": days,
            "r": reason,
        }
        notify.to_staff(notify.desk_staff(saved) + notify.leaders(saved), title=title, body=body, ticket=saved)

    return fire(
        TICKET,
        ticket,
        "request_extension",
        actor=actor,
        note=reason,
        after=after,
        event_note=_("申请延期 %(d)s 个工作日：%(r)s") % {"d": days, "r": reason},
        changes={"extension_pending_days": days, "extension_reason": reason[:500]},
    )


def ticket_approve_extension(*, ticket: Ticket, actor, note: str = "") -> Ticket:
    """The answer deadline moves by the requested working days; the requester is told why."""
    current = Ticket.objects.get(pk=ticket.pk)
    days, reason = current.extension_pending_days or 0, current.extension_reason
    new_due = add_working_days(current.answer_due, days)

    def after(saved):
        notify.to_requester(
            saved,
            title=_("办理期限延长"),
            body=_("工单 %(n)s 办理期限延长 %(d)s 个工作日至 %(due)s。原因：%(r)s")
            % {"n": saved.number, "d": days, "due": new_due, "r": reason},
        )
        notify.to_staff(
            notify.liaisons(saved.lead_unit),
            title=_("延期已批准"),
            ticket=saved,
            body=_("工单 %(n)s 新的答复时限：%(due)s") % {"n": saved.number, "due": new_due},
        )

    def changes(t):
        return {
            "answer_due": add_working_days(t.answer_due, t.extension_pending_days),
            "extension_days": t.extension_days + t.extension_pending_days,
            "extension_pending_days": None,
        }

    return fire(
        TICKET,
        ticket,
        "approve_extension",
        actor=actor,
        note=note,
        changes=changes,
        after=after,
        event_note=(
            _("批准延期 %(d)s 个工作日，答复时限改为 %(due)s。%(note)s") % {"d": days, "due": new_due, "note": note}
        ).strip(),
        public_note=timeline_text.note(
            gettext_noop("办理期限延长 %(d)s 个工作日至 %(due)s。原因：%(r)s"), d=days, due=new_due, r=reason
        ),
    )


def ticket_reject_extension(*, ticket: Ticket, actor, note: str) -> Ticket:
    def after(saved):
        notify.to_staff(
            notify.liaisons(saved.lead_unit),
            title=_("延期未获批准"),
            ticket=saved,
            body=_("工单 %(n)s 的延期申请未获批准：%(r)s") % {"n": saved.number, "r": note},
        )

    return fire(
        TICKET,
        ticket,
        "reject_extension",
        actor=actor,
        note=note,
        after=after,
        changes={"extension_pending_days": None},
    )


def ticket_suspend(*, ticket: Ticket, actor, reason: str) -> Ticket:
    """挂起 while waiting for the requester: the answer clock stops until 恢复."""
    reason = (reason or "").strip()

    def after(saved):
        notify.to_requester(
            saved,
            title=_("诉求办理暂停"),
            body=_("工单 %(n)s 需要您的配合：%(r)s 办理期限在此期间暂停计算。") % {"n": saved.number, "r": reason},
        )

    return fire(
        TICKET,
        ticket,
        "suspend",
        actor=actor,
        note=reason,
        public_note=reason,
        after=after,
        changes={"paused_since": local_today()},
    )


def ticket_resume(*, ticket: Ticket, actor, note: str = "") -> Ticket:
    """恢复: the answer deadline moves by the working days spent suspended."""

    def changes(t):
        days = max(0, working_days_between(t.paused_since or local_today(), local_today()))
        return {
            "paused_since": None,
            "paused_days": t.paused_days + days,
            "answer_due": add_working_days(t.answer_due, days),
        }

    return fire(
        TICKET,
        ticket,
        "resume",
        actor=actor,
        note=note,
        changes=changes,
        public_note=timeline_text.note(gettext_noop("已恢复办理。")),
    )


# --- co-handling units -------------------------------------------------------------------------


def ticket_co_accept(*, ticket: Ticket, actor, note: str = "") -> Ticket:
    def after(saved):
        assignments_fire(
            saved,
            "accept",
            actor=actor,
            changes=lambda a: {**_accepted(a), "accepted_by": actor},
            unit=actor.unit,
            role=A.Role.CO,
            state=A.State.PENDING,
        )

    return fire(TICKET, ticket, "co_accept", actor=actor, note=note, after=after)


def ticket_co_answer(*, ticket: Ticket, actor, opinion: str, files=()) -> Ticket:
    """A co-handler reports its part to the lead unit (internal)."""

    def after(saved):
        assignments_fire(
            saved,
            "answer",
            actor=actor,
            changes=_answered(saved, opinion),
            unit=actor.unit,
            role=A.Role.CO,
            state=A.State.ACCEPTED,
        )
        notify.to_staff(
            notify.liaisons(saved.lead_unit),
            title=_("协办单位已反馈"),
            ticket=saved,
            body=_("%(u)s 已反馈工单 %(n)s 的协办意见。") % {"u": actor.unit, "n": saved.number},
        )

    return fire(
        TICKET,
        ticket,
        "co_answer",
        actor=actor,
        note=opinion,
        after=after,
        on_event=attach_files("co_answer", files, actor),
    )


def ticket_co_return(*, ticket: Ticket, actor, reason: str) -> Ticket:
    """协办退回: a co-handling unit returns its part with a reason (not its business, wrong unit…).

    Its assignment ends as returned, so it no longer holds the lead's answer or the close; the desk
    and the lead unit are told, and the desk decides: add another co-handler, or the same unit again
    (驳回) with ``co_assign``.
    """
    reason = (reason or "").strip()

    def after(saved):
        assignments_fire(saved, "return", actor=actor, unit=actor.unit, role=A.Role.CO, state__in=A.OPEN)
        body = _("%(u)s 退回了工单 %(n)s 的协办任务：%(r)s") % {"u": actor.unit, "n": saved.number, "r": reason}
        notify.to_staff(
            notify.desk_staff(saved) + notify.liaisons(saved.lead_unit),
            title=_("协办任务被退回"),
            ticket=saved,
            body=body,
        )

    return fire(
        TICKET,
        ticket,
        "co_return",
        actor=actor,
        note=reason,
        after=after,
        event_note=_("%(u)s 退回协办任务：%(r)s") % {"u": actor.unit, "r": reason},
    )


# --- leaders -------------------------------------------------------------------------------------


def ticket_supervise(*, ticket: Ticket, actor, note: str) -> Ticket:
    """督办: a leader flags the ticket; the units and the desk are told."""

    def after(saved):
        units = [saved.lead_unit] + [a.unit for a in saved.assignments.filter(role=A.Role.CO, state__in=A.ACTIVE)]
        users = [u for unit in units for u in notify.liaisons(unit)] + notify.desk_staff(saved)
        notify.to_staff(
            users,
            title=_("工单被督办"),
            ticket=saved,
            sms=True,
            body=_("工单 %(n)s 被督办：%(r)s") % {"n": saved.number, "r": note},
        )

    return fire(
        TICKET,
        ticket,
        "supervise",
        actor=actor,
        note=note,
        after=after,
        changes={"supervised": True, "supervised_at": timezone.now()},
    )


# --- replies and notes ---------------------------------------------------------------------------


def ticket_reply(*, ticket: Ticket, actor, text: str, files=()) -> Ticket:
    """A progress reply the requester sees (and receives by SMS)."""
    text = (text or "").strip()

    def after(saved):
        notify.to_requester(saved, title=_("办理进展"), body=_("工单 %(n)s：%(t)s") % {"n": saved.number, "t": text})

    return fire(
        TICKET,
        ticket,
        "reply",
        actor=actor,
        note=text,
        public_note=text,
        after=after,
        on_event=attach_files("reply", files, actor),
    )


def ticket_comment(*, ticket: Ticket, actor, text: str, files=()) -> Ticket:
    """An internal note (and its files), never shown to the requester."""
    return fire(TICKET, ticket, "comment", actor=actor, note=text, on_event=attach_files("comment", files, actor))
