"""Every write of the desk, one function per use case (see the submodules' docstrings).

``ticket_transition`` maps a transition name and the inputs a page or the API collected to the
use case, so both call the same code with the same rules.
"""

from chuangfu.core.errors import DomainError

from .dispatching import (
    ticket_answer_directly,
    ticket_close,
    ticket_co_assign,
    ticket_dispatch,
    ticket_dispatch_bulk,
    ticket_merge,
    ticket_reassign,
    ticket_reopen,
    ticket_return_reject,
    ticket_revisit,
)
from .handling import (
    ticket_accept,
    ticket_answer,
    ticket_approve_extension,
    ticket_co_accept,
    ticket_co_answer,
    ticket_co_return,
    ticket_comment,
    ticket_reject_extension,
    ticket_reply,
    ticket_request_extension,
    ticket_resume,
    ticket_return,
    ticket_start,
    ticket_supervise,
    ticket_suspend,
)
from .intake import ticket_record_by_staff, ticket_record_from_origin, ticket_submit_public
from .ratings import rating_appeal, rating_appeal_dismiss, rating_exclude, rating_submit, ticket_rectify
from .throttle import throttle_exceeded, throttle_purge, throttle_take

_BY_NAME = {
    "dispatch": lambda t, a, note, i: ticket_dispatch(
        ticket=t, actor=a, unit=i.get("unit"), co_units=i.get("co_units") or (), note=note
    ),
    "answer_directly": lambda t, a, note, i: ticket_answer_directly(
        ticket=t, actor=a, answer=note, files=i.get("files") or ()
    ),
    "return_reject": lambda t, a, note, i: ticket_return_reject(ticket=t, actor=a, note=note),
    "reassign": lambda t, a, note, i: ticket_reassign(ticket=t, actor=a, unit=i.get("unit"), note=note),
    "co_assign": lambda t, a, note, i: ticket_co_assign(ticket=t, actor=a, co_units=i.get("co_units"), note=note),
    "merge": lambda t, a, note, i: ticket_merge(ticket=t, actor=a, into=i.get("target"), note=note),
    "close": lambda t, a, note, i: ticket_close(ticket=t, actor=a, note=note),
    "reopen": lambda t, a, note, i: ticket_reopen(ticket=t, actor=a, note=note),
    "revisit": lambda t, a, note, i: ticket_revisit(ticket=t, actor=a, outcome=i.get("outcome") or "", note=note),
    "accept": lambda t, a, note, i: ticket_accept(ticket=t, actor=a, note=note),
    "return": lambda t, a, note, i: ticket_return(ticket=t, actor=a, reason=note),
    "start": lambda t, a, note, i: ticket_start(ticket=t, actor=a, note=note),
    "answer": lambda t, a, note, i: ticket_answer(ticket=t, actor=a, answer=note, files=i.get("files") or ()),
    "request_extension": lambda t, a, note, i: ticket_request_extension(
        ticket=t, actor=a, days=i.get("days"), reason=note
    ),
    "approve_extension": lambda t, a, note, i: ticket_approve_extension(ticket=t, actor=a, note=note),
    "reject_extension": lambda t, a, note, i: ticket_reject_extension(ticket=t, actor=a, note=note),
    "suspend": lambda t, a, note, i: ticket_suspend(ticket=t, actor=a, reason=note),
    "resume": lambda t, a, note, i: ticket_resume(ticket=t, actor=a, note=note),
    "co_accept": lambda t, a, note, i: ticket_co_accept(ticket=t, actor=a, note=note),
    "co_answer": lambda t, a, note, i: ticket_co_answer(ticket=t, actor=a, opinion=note, files=i.get("files") or ()),
    "co_return": lambda t, a, note, i: ticket_co_return(ticket=t, actor=a, reason=note),
    "supervise": lambda t, a, note, i: ticket_supervise(ticket=t, actor=a, note=note),
    "rectify": lambda t, a, note, i: ticket_rectify(ticket=t, actor=a, measures=note),
    "appeal": lambda t, a, note, i: rating_appeal(ticket=t, actor=a, reason=note),
    "exclude_rating": lambda t, a, note, i: rating_exclude(ticket=t, actor=a, reason=note),
    "dismiss_appeal": lambda t, a, note, i: rating_appeal_dismiss(ticket=t, actor=a, note=note),
    "reply": lambda t, a, note, i: ticket_reply(ticket=t, actor=a, text=note, files=i.get("files") or ()),
    "comment": lambda t, a, note, i: ticket_comment(ticket=t, actor=a, text=note, files=i.get("files") or ()),
}


def ticket_transition(*, ticket, actor, name: str, note: str = "", inputs: dict | None = None):
    """Fire transition ``name`` with ``inputs`` (``unit``, ``co_units``, ``target``, ``days``, ``outcome``,
    ``files`` for the transitions in ``workflows.ATTACHABLE``)."""
    from ..workflows import TICKET

    handler = _BY_NAME.get(name)
    if handler is None:
        TICKET.transition(name)  # raises the "unknown transition" error
        raise DomainError("unknown_transition", name)
    return handler(ticket, actor, note or "", inputs or {})


__all__ = [name for name in dir() if name.startswith(("ticket_", "rating_", "throttle_"))]
