"""Working a ticket at the desk: dispatch, answer directly, 退单 decisions, reassign, co-handling
units, merge, close, reopen and 回访 — one function per use case, each firing one transition of
``workflows.TICKET``.

Every function fires through ``core.workflow.fire``, which locks the ticket, lets the machine refuse
what the actor may not do (the same message the page would show), applies the changes, writes the
audit entry and the timeline event in one transaction; the service adds its own rows (``after``)
and notifies after commit. Preconditions beyond the table (a unit of the same town, a number to
merge into) raise ``DomainError`` with a clear message.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from chuangfu.core import timeline
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Unit
from chuangfu.core.workdays import add_working_days
from chuangfu.core.workflow import fire

from .. import deadlines, timeline_text
from ..models import RevisitOutcome, Status, Ticket
from ..workflows import RECTIFICATION, TICKET
from . import notify
from ._common import A, assignments_fire, attach_files, local_today, ticket_answer_changes


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
    accept_due = add_working_days(local_today(), ticket.category.accept_days)
    active = set(ticket.assignments.filter(state__in=A.ACTIVE).values_list("unit_id", flat=True))
    for unit in units:
        if unit.pk in active:
            continue
        A.objects.create(ticket=ticket, unit=unit, role=role, accept_due=accept_due, dispatched_by=actor)


def _withdraw(ticket: Ticket, actor, **lookup) -> None:
    assignments_fire(ticket, "withdraw", actor=actor, state__in=A.ACTIVE, **lookup)


def _notify_dispatched(ticket: Ticket, units, *, co: bool = False) -> None:
    for unit in units:
        title = _("新的协办工单") if co else _("新的派单")
        body = _("工单 %(n)s（%(c)s）请于 %(d)s 前签收：%(s)s") % {
            "n": ticket.number,
            "c": ticket.category.name,
            "d": ticket.accept_due if not co else add_working_days(local_today(), ticket.category.accept_days),
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
            values["accept_due"] = add_working_days(local_today(), t.category.accept_days)
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
        on_event=attach_files("answer_directly", files, actor),
        changes=lambda t: ticket_answer_changes(t, actor, answer, actor.unit),
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
        changes=lambda t: {"accept_due": add_working_days(local_today(), t.category.accept_days)},
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
            "accept_due": add_working_days(local_today(), t.category.accept_days),
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
        return {"closed_at": timezone.now(), "revisit_due": None if waiting else deadlines.revisit_due(local_today())}

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
        assignments_fire(
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
            "revisited_in_time": local_today() <= t.revisit_due if t.revisit_due else None,
        },
        public_note=timeline_text.note(gettext_noop("已回访，感谢您的反馈。")),
    )
