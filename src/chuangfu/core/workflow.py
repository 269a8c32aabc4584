"""State machines declared once, as data, and the one helper that performs a transition.

An app declares its machine in ``workflows.py``::

    TICKET = StateMachine(
        name="desk.ticket", model=Ticket,
        states=[State("received", _("已受理")), ...],
        transitions=[Transition("dispatch", _("派单"), sources={"received"}, target="dispatched",
                                roles={Role.DESK_STAFF})],
    )

and every state change goes through ``fire(TICKET, ticket, "dispatch", actor=..., note=...)``:
check the table, lock the row, save with ``update_fields``, audit, and run effects after commit.
Nowhere else assigns the state field. Pages ask ``machine.available(obj, actor)`` so they offer
only the transitions the actor may fire.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.db import transaction
from django.utils.translation import gettext as _

from .audit import log_action, snapshot
from .errors import DomainError


@dataclass(frozen=True)
class State:
    code: str
    label: str
    terminal: bool = False


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str | None  # None keeps the current state (a recorded action such as 督办)
    roles: frozenset
    public: bool = False  # shown to the requester on the public timeline
    note_required: bool = False
    # guard(obj, actor) -> None when allowed, or a message saying why not
    guard: Callable | None = None

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))
        object.__setattr__(self, "roles", frozenset(self.roles))


@dataclass
class StateMachine:
    name: str
    model: type
    states: list[State]
    transitions: list[Transition]
    field: str = "status"
    _by_name: dict = dataclass_field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        codes = {s.code for s in self.states}
        for t in self.transitions:
            unknown = (set(t.sources) | ({t.target} if t.target else set())) - codes
            if unknown:
                raise ValueError(f"{self.name}.{t.name}: unknown states {unknown}")
            if t.name in self._by_name:
                raise ValueError(f"{self.name}: duplicate transition {t.name}")
            self._by_name[t.name] = t

    def choices(self) -> list[tuple[str, str]]:
        return [(s.code, s.label) for s in self.states]

    def label(self, code: str) -> str:
        return next((str(s.label) for s in self.states if s.code == code), code)

    def transition(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise DomainError("unknown_transition", _("未知的操作：%(name)s") % {"name": name}) from None

    def refusal(self, obj, t: Transition, actor) -> str | None:
        """Why ``actor`` may not fire ``t`` on ``obj`` now, or None when they may."""
        current = getattr(obj, self.field)
        if current not in t.sources:
            return _("当前状态为“%(state)s”，不能执行“%(action)s”。") % {
                "state": self.label(current),
                "action": t.label,
            }
        if not (actor.is_superuser or actor.role in t.roles):
            return _("您的角色不能执行“%(action)s”。") % {"action": t.label}
        if t.guard is not None:
            return t.guard(obj, actor)
        return None

    def available(self, obj, actor) -> list[Transition]:
        return [t for t in self.transitions if self.refusal(obj, t, actor) is None]


def fire(
    machine: StateMachine,
    obj,
    name: str,
    *,
    actor,
    note: str = "",
    changes: dict | None = None,
    effects: Iterable[Callable] = (),
    audit_extra: dict | None = None,
    jurisdiction=None,
):
    """Perform transition ``name`` on ``obj`` for ``actor``.

    Locks the row, re-checks the table against the locked state (so two people acting at once
    cannot both succeed), applies ``changes`` (other fields the transition sets), saves only the
    touched fields, writes one audit entry ``<machine>.<transition>`` and schedules ``effects``
    (callables taking the saved object) to run after commit. Returns the saved object.
    ``jurisdiction`` files the audit entry under it when the row has no ``jurisdiction`` of its own.
    Raises ``DomainError`` with a message for the user when the transition is not allowed.
    """
    t = machine.transition(name)
    if t.note_required and not note.strip():
        raise DomainError("note_required", _("“%(action)s”需要填写说明。") % {"action": t.label})
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        reason = machine.refusal(locked, t, actor)
        if reason:
            raise DomainError("transition_refused", reason, status=409)
        changes = dict(changes or {})
        if t.target is not None:
            changes[machine.field] = t.target
        before = snapshot(locked, fields=changes.keys())
        for attr, value in changes.items():
            setattr(locked, attr, value)
        if changes:
            locked.save(update_fields=list(changes))
        after = snapshot(locked, fields=changes.keys())
        if audit_extra:
            after.update(audit_extra)
        log_action(
            actor=actor,
            action=f"{machine.name}.{t.name}",
            obj=locked,
            before=before,
            after=after,
            note=note,
            jurisdiction=jurisdiction,
        )
        for effect in effects:
            transaction.on_commit(lambda effect=effect: effect(locked))
    return locked
