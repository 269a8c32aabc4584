"""Working a ticket: one function per use case, each firing one transition of ``workflows.TICKET``.

Every function fires through ``core.workflow.fire``, which locks the ticket, lets the machine refuse
what the actor may not do (the same message the page would show), applies the changes, writes the
audit entry and the timeline event in one transaction; the service adds its own rows (``after``)
and notifies after commit. Preconditions beyond the table (a unit of the
same town, a number to merge into, a number of days) raise ``DomainError`` with a clear message.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from chuangfu.core import timeline
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Unit
from chuangfu.core.workdays import add_working_days, working_days_between
from chuangfu.core.workflow import fire

from .. import deadlines, timeline_text, uploads
from ..models import Attachment, RevisitOutcome, Status, Ticket, TicketAssignment
from ..workflows import ASSIGNMENT, ATTACHABLE, RECTIFICATION, TICKET
from . import notify

A = TicketAssignment
MAX_EXTENSION_DAYS = 15


def _today() -> datetime.date:
    return timezone.localdate()


def _check_files(name: str, files) -> tuple[list, list[str]]:
    """The uploads and their content types, checked like the public intake's (count, size, type by content)."""
    files = [f for f in (files or ()) if f]
    if files and name not in ATTACHABLE:
        raise DomainError("invalid_files", _("此操作不能附带附件。"), details={"field": "files"})
    try:
        return files, uploads.check_uploads(files)
    except ValidationError as exc:
        raise DomainError("invalid_files", " ".join(exc.messages), details={"field": "files"}) from None


def _attach(name: str, files, actor):
    """The ``on_event`` that files the uploads on the transition's timeline event, after checking
    them like the public intake (count, size, type by content) before anything is saved."""
    files, content_types = _check_files(name, files)
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


def _town_unit(ticket: Ticket, unit, field: str = "unit") -> Unit:
    if not isinstance(unit, Unit) or not unit.active or unit.jurisdiction_id != ticket.jurisdiction_id:
        raise DomainError("invalid_unit", _("请选择本镇启用中的单位。"), details={"field": field})
    return unit


def _co_units(ticket: Ticket, units, lead_unit_id) -> list[Unit]:
    units = [_town_unit(ticket, u, "co_units") for u in (units or [])]
    if any(u.pk == lead_unit_id for u in units):
        raise DomainError("invalid_unit", _("主办单位不能同时是协办单位。"), details={"field": "co_units"})
    return list({u.pk: u for u in units}.values())


def _assign(ticket: Ticket, units, role: str, actor) -> None:
    accept_due = add_working_days(_today(), ticket.category.accept_days)
    active = set(ticket.assignments.filter(state__in=A.ACTIVE).values_list("unit_id", flat=True))
    for unit in units:
        if unit.pk in active:
            continue
        A.objects.create(ticket=ticket, unit=unit, role=role, accept_due=accept_due, dispatched_by=actor)


def _assignments_fire(ticket: Ticket, name: str, *, actor, changes=None, **lookup) -> None:
    """Fire ``name`` on each of the ticket's assignments matching ``lookup`` (a unit's part moves
    with the ticket's transition, through the same pipeline)."""
    for assignment in ticket.assignments.filter(**lookup).order_by("id"):
        fire(ASSIGNMENT, assignment, name, actor=actor, changes=changes, jurisdiction=ticket.jurisdiction_id)


def _withdraw(ticket: Ticket, actor, **lookup) -> None:
    _assignments_fire(ticket, "withdraw", actor=actor, state__in=A.ACTIVE, **lookup)


def _accepted(assignment) -> dict:
    return {"accepted_at": timezone.now(), "accepted_in_time": _today() <= assignment.accept_due}


def _notify_dispatched(ticket: Ticket, units, *, co: bool = False) -> None:
    for unit in units:
        title = _("新的协办工单") if co else _("新的派单")
        body = _("工单 %(n)s（%(c)s）请于 %(d)s 前签收：%(s)s") % {
            "n": ticket.number,
            "c": ticket.category.name,
            "d": ticket.accept_due if not co else add_working_days(_today(), ticket.category.accept_days),
            "s": ticket.summary,
        }
        notify.to_staff(notify.liaisons(unit), title=title, body=body, ticket=ticket, sms=True)


# --- the desk --------------------------------------------------------------------------------


def ticket_dispatch(*, ticket: Ticket, actor, unit: Unit, co_units=(), note: str = "") -> Ticket:
    """Send a received (or returned) ticket to a lead unit, with optional co-handling units.

    The first dispatch keeps the accept deadline counted from receipt; a re-dispatch after 退单
    gives the new unit its own accept time from today. The answer deadline never restarts.
    """
    unit = _town_unit(ticket, unit)
    co = _co_units(ticket, co_units, unit.pk)
    redispatch = ticket.status == Status.RETURNED

    def changes(t):
        values = {"lead_unit": unit, "first_handler": t.first_handler or actor}
        if t.dispatched_at is None:
            values["dispatched_at"] = timezone.now()
        if redispatch:
            values["accept_due"] = add_working_days(_today(), t.category.accept_days)
        return values

    def after(saved):
        _withdraw(saved, actor)
        _assign(saved, [unit], A.Role.LEAD, actor)
        _assign(saved, co, A.Role.CO, actor)
        _notify_dispatched(saved, [unit])
        _notify_dispatched(saved, co, co=True)

    names = "、".join([unit.name] + [u.name for u in co])
    return fire(
        TICKET,
        ticket,
        "dispatch",
        actor=actor,
        note=note,
        changes=changes,
        after=after,
        event_note=(
            _("主办：%(lead)s%(co)s。%(note)s")
            % {"lead": unit.name, "co": (_("；协办：%s") % "、".join(u.name for u in co)) if co else "", "note": note}
        ).strip(),
        public_note=timeline_text.note(gettext_noop("已派至 %(units)s 办理。"), units=names),
    )


def ticket_dispatch_bulk(*, tickets, actor, unit: Unit) -> tuple[list[Ticket], list[tuple[Ticket, str]]]:
    """Dispatch several tickets to one unit; each succeeds or fails on its own."""
    done, failed = [], []
    for ticket in tickets:
        try:
            done.append(ticket_dispatch(ticket=ticket, actor=actor, unit=unit))
        except DomainError as exc:
            failed.append((ticket, str(exc.message)))
    return done, failed


def _answered(ticket: Ticket, answer: str) -> dict:
    """A unit's answer on its assignment, judged against the ticket's answer deadline."""
    return {
        "answered_at": timezone.now(),
        "answer": (answer or "").strip(),
        "answered_in_time": _today() <= ticket.answer_due,
    }


def _answered_changes(t: Ticket, actor, answer: str, unit) -> dict:
    today = _today()
    return {
        "answer": answer,
        "answered_at": timezone.now(),
        "answered_by_unit": unit,
        "answered_in_time": today <= t.answer_due,
        "answer_working_days": max(0, working_days_between(t.received_on, today) - t.paused_days),
        "first_handler": t.first_handler or actor,
    }


def ticket_answer_directly(*, ticket: Ticket, actor, answer: str, files=()) -> Ticket:
    """The desk answers the requester itself (政策咨询 answered at the window)."""
    answer = (answer or "").strip()
    return fire(
        TICKET,
        ticket,
        "answer_directly",
        actor=actor,
        note=answer,
        public_note=answer,
        on_event=_attach("answer_directly", files, actor),
        changes=lambda t: _answered_changes(t, actor, answer, actor.unit),
    )


def ticket_return_reject(*, ticket: Ticket, actor, note: str) -> Ticket:
    """The desk refuses a unit's 退单: the ticket goes back to the same unit to accept."""

    def after(saved):
        _assign(saved, [saved.lead_unit], A.Role.LEAD, actor)
        notify.to_staff(
            notify.liaisons(saved.lead_unit),
            title=_("退单未获同意"),
            ticket=saved,
            sms=True,
            body=_("工单 %(n)s 的退单未获同意，请签收办理。理由：%(r)s") % {"n": saved.number, "r": note},
        )

    return fire(
        TICKET,
        ticket,
        "return_reject",
        actor=actor,
        note=note,
        after=after,
        changes=lambda t: {"accept_due": add_working_days(_today(), t.category.accept_days)},
    )


def ticket_reassign(*, ticket: Ticket, actor, unit: Unit, note: str) -> Ticket:
    """转派: move a ticket still at a unit to another lead unit (co-handlers stay)."""
    unit = _town_unit(ticket, unit)
    if unit.pk == ticket.lead_unit_id:
        raise DomainError("invalid_unit", _("新的主办单位与原单位相同。"), details={"field": "unit"})
    previous = ticket.lead_unit

    def after(saved):
        _withdraw(saved, actor, role=A.Role.LEAD)
        _withdraw(saved, actor, unit=unit)
        _assign(saved, [unit], A.Role.LEAD, actor)
        _notify_dispatched(saved, [unit])
        notify.to_staff(
            notify.liaisons(previous),
            title=_("工单已转派"),
            ticket=saved,
            body=_("工单 %(n)s 已转派给 %(u)s。") % {"n": saved.number, "u": unit.name},
        )

    return fire(
        TICKET,
        ticket,
        "reassign",
        actor=actor,
        note=note,
        after=after,
        event_note=_("由 %(a)s 转派至 %(b)s：%(note)s")
        % {"a": previous.name if previous else "—", "b": unit.name, "note": note.strip()},
        changes=lambda t: {
            "lead_unit": unit,
            "accepted_at": None,
            "accept_due": add_working_days(_today(), t.category.accept_days),
        },
    )


def ticket_co_assign(*, ticket: Ticket, actor, co_units, note: str = "") -> Ticket:
    co = _co_units(ticket, co_units, ticket.lead_unit_id)
    if not co:
        raise DomainError("invalid_unit", _("请选择协办单位。"), details={"field": "co_units"})

    def after(saved):
        _assign(saved, co, A.Role.CO, actor)
        _notify_dispatched(saved, co, co=True)

    return fire(
        TICKET,
        ticket,
        "co_assign",
        actor=actor,
        note=note,
        after=after,
        event_note=(_("协办：%(units)s。%(note)s") % {"units": "、".join(u.name for u in co), "note": note}).strip(),
    )


def ticket_merge(*, ticket: Ticket, actor, into: Ticket | None, note: str = "") -> Ticket:
    """并单: the duplicate ends here and is handled in ``into``; both keep their histories."""
    if into is None:
        raise DomainError("invalid_target", _("请填写要并入的工单编号。"), details={"field": "target_number"})
    if into.pk == ticket.pk or into.jurisdiction_id != ticket.jurisdiction_id:
        raise DomainError("invalid_target", _("只能并入本镇的另一张工单。"), details={"field": "target_number"})
    if into.status == Status.MERGED:
        raise DomainError(
            "invalid_target",
            _("工单 %(n)s 本身已并单，请并入它所并入的工单。") % {"n": into.number},
            details={"field": "target_number"},
        )

    def after(saved):
        _withdraw(saved, actor)
        timeline.record(
            into,
            actor=actor,
            action="merged_in",
            label=gettext_lazy("并入重复工单"),
            note=(_("工单 %(n)s 并入本工单。%(note)s") % {"n": saved.number, "note": note}).strip(),
        )
        notify.to_requester(
            saved,
            title=_("诉求已合并办理"),
            body=_("您的工单 %(m)s 与工单 %(n)s 反映的是同一事项，已合并办理，答复将同时告知您。")
            % {"m": saved.number, "n": into.number},
        )

    return fire(
        TICKET,
        ticket,
        "merge",
        actor=actor,
        note=note,
        after=after,
        changes={"merged_into": into},
        event_note=(_("并入工单 %(n)s。%(note)s") % {"n": into.number, "note": note}).strip(),
        public_note=timeline_text.note(gettext_noop("与工单 %(n)s 为同一事项，已合并办理。"), n=into.number),
    )


def ticket_close(*, ticket: Ticket, actor, note: str = "") -> Ticket:
    """办结; the desk then owes a 回访 within 1 working day (unless a 差评 is being rectified: the
    回访 follows the rectification). The requester is texted the answer now, once the desk has
    accepted it — not when the unit answered, since the desk may still send it back (退回重办)."""

    def changes(t):
        rect = getattr(t, "rectification", None)
        waiting = rect is not None and rect.state == rect.State.OPEN
        return {"closed_at": timezone.now(), "revisit_due": None if waiting else deadlines.revisit_due(_today())}

    return fire(
        TICKET,
        ticket,
        "close",
        actor=actor,
        note=note,
        changes=changes,
        after=lambda saved: notify.answered(saved, saved.answer),
        public_note=timeline_text.note(gettext_noop("本诉求已办结。")),
    )


def ticket_reopen(*, ticket: Ticket, actor, note: str) -> Ticket:
    """退回重办: the desk finds the answer wanting and sends it back to the lead unit, whose part is
    open again until it answers anew."""

    def after(saved):
        _assignments_fire(
            saved,
            "reopen",
            actor=actor,
            changes={"answered_at": None, "answered_in_time": None},
            role=A.Role.LEAD,
            state=A.State.ANSWERED,
        )
        notify.to_staff(
            notify.liaisons(saved.lead_unit),
            title=_("答复被退回重办"),
            ticket=saved,
            sms=True,
            body=_("工单 %(n)s 的答复被退回重办：%(r)s") % {"n": saved.number, "r": note},
        )

    return fire(
        TICKET,
        ticket,
        "reopen",
        actor=actor,
        note=note,
        after=after,
        changes={"answered_at": None, "answered_in_time": None, "answer_working_days": None},
    )


def ticket_revisit(*, ticket: Ticket, actor, outcome: str, note: str = "") -> Ticket:
    """回访: record how the requester found the outcome; closes an open 差评 rectification."""
    if outcome not in RevisitOutcome.values:
        raise DomainError("invalid_outcome", _("请选择回访结果。"), details={"field": "outcome"})
    label = RevisitOutcome(outcome).label

    def after(saved):
        rect = getattr(saved, "rectification", None)
        if rect is not None and rect.state == rect.State.RECTIFIED:
            saved.rectification = fire(
                RECTIFICATION,
                rect,
                "revisit",
                actor=actor,
                note=note,
                changes={
                    "revisit_outcome": outcome,
                    "revisit_note": note,
                    "revisited_at": timezone.now(),
                    "revisited_by": actor,
                },
                jurisdiction=saved.jurisdiction_id,
            )

    return fire(
        TICKET,
        ticket,
        "revisit",
        actor=actor,
        note=note,
        after=after,
        event_note=(_("回访结果：%(o)s。%(note)s") % {"o": label, "note": note}).strip(),
        changes=lambda t: {
            "revisited_at": timezone.now(),
            "revisit_outcome": outcome,
            "revisit_due": None,
            "revisited_in_time": _today() <= t.revisit_due if t.revisit_due else None,
        },
        public_note=timeline_text.note(gettext_noop("已回访，感谢您的反馈。")),
    )


# --- the lead unit ---------------------------------------------------------------------------


def ticket_accept(*, ticket: Ticket, actor, note: str = "") -> Ticket:
    """签收 by the lead unit; ends the first handler's watch. Whether it was in time is recorded on
    the unit's assignment (against its own accept deadline), which the figures count."""

    def changes(t):
        return {"accepted_at": timezone.now()}

    def after(saved):
        _assignments_fire(
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
        _assignments_fire(saved, "return", actor=actor, role=A.Role.LEAD, state__in=A.OPEN)
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
        _assignments_fire(
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
        on_event=_attach("answer", files, actor),
        changes=lambda t: _answered_changes(t, actor, answer, t.lead_unit),
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
        changes={"paused_since": _today()},
    )


def ticket_resume(*, ticket: Ticket, actor, note: str = "") -> Ticket:
    """恢复: the answer deadline moves by the working days spent suspended."""

    def changes(t):
        days = max(0, working_days_between(t.paused_since or _today(), _today()))
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
        _assignments_fire(
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
        _assignments_fire(
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
        TICKET, ticket, "co_answer", actor=actor, note=opinion, after=after, on_event=_attach("co_answer", files, actor)
    )


def ticket_co_return(*, ticket: Ticket, actor, reason: str) -> Ticket:
    """协办退回: a co-handling unit returns its part with a reason (not its business, wrong unit…).

    Its assignment ends as returned, so it no longer holds the lead's answer or the close; the desk
    and the lead unit are told, and the desk decides: add another co-handler, or the same unit again
    (驳回) with ``co_assign``.
    """
    reason = (reason or "").strip()

    def after(saved):
        _assignments_fire(saved, "return", actor=actor, unit=actor.unit, role=A.Role.CO, state__in=A.OPEN)
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
        on_event=_attach("reply", files, actor),
    )


def ticket_comment(*, ticket: Ticket, actor, text: str, files=()) -> Ticket:
    """An internal note (and its files), never shown to the requester."""
    return fire(TICKET, ticket, "comment", actor=actor, note=text, on_event=_attach("comment", files, actor))
