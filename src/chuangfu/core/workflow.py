"""State machines declared once, as data, and the one helper that performs a transition.

An app declares its machine in ``workflows.py``::

    TICKET = StateMachine(
        name="desk.ticket", model=Ticket,
        states=[State("received", _("已受理")), ...],
        transitions=[Transition("dispatch", _("派单"), sources={"received"}, target="dispatched",
                                roles={Role.DESK_STAFF})],
    )

and every state change goes through ``fire(TICKET, ticket, "dispatch", actor=..., note=...)``,
the one pipeline: lock the row once, check the table and the guard once, apply the transition's own
changes, save with ``update_fields``, write one audit entry and (for a machine declared with
``timeline=True``) one ``TimelineEvent``, run the service's ``after`` in the same transaction and
its ``effects`` (notifications) after commit. Nowhere else assigns the state field. Pages ask
``machine.available(obj, actor)`` so they offer only the transitions the actor may fire.

``SYSTEM`` is the one actor for what the platform does on its own (the clock, periodic jobs).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.db import transaction
from django.utils.translation import gettext as _

from .audit import log_action, snapshot
from .errors import DomainError
from .models import Role
from .timeline import record

SYSTEM_ROLE = "system"


class SystemActor:
    """The platform itself: the clock and the periodic jobs (registration opens, an offer expires,
    公示 ends without objections). Fires the transitions whose roles include ``SYSTEM_ROLE``; it is no
    user row, so the audit log and timelines show it as 系统."""

    is_superuser = False
    is_authenticated = False
    role = SYSTEM_ROLE
    pk = None
    unit = None
    unit_id = None
    jurisdiction_id = None

    def __str__(self):
        return "系统"


SYSTEM = SystemActor()


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


def all_of(*guards: Callable) -> Callable:
    """One guard made of several: the first reason any of them gives, or None when all allow."""

    def guard(obj, actor):
        for g in guards:
            reason = g(obj, actor)
            if reason:
                return reason
        return None

    return guard


def transitions_checking(first: Callable) -> Callable:
    """A shorthand for a machine whose every transition checks ``first`` (e.g. "the record is in
    the actor's scope") before its own guards::

        T = transitions_checking(_in_scope)
        T("accept", _("签收"), {S.DISPATCHED}, S.IN_PROGRESS, roles, note=True, guards=(_lead_liaison,))
    """

    def make(name, label, sources, target, roles, *, public=False, note=False, guards=()) -> Transition:
        return Transition(
            name=name,
            label=label,
            sources=sources,
            target=target,
            roles=roles,
            public=public,
            note_required=note,
            guard=all_of(first, *guards),
        )

    return make


MACHINES: dict[str, "StateMachine"] = {}  # by name: the audit log reads transitions' labels here


@dataclass
class StateMachine:
    name: str
    model: type
    states: list[State]
    transitions: list[Transition]
    field: str = "status"
    # write a TimelineEvent for every transition (records whose people follow their steps)
    timeline: bool = False
    # related rows read with the locked row (joined, but only the row itself is locked)
    lock_related: tuple = ()
    # (transition, actor) -> fields every transition also sets (e.g. who handled it last)
    stamp: Callable | None = None
    # (locked, actor) -> what someone acting on an out-of-date page is told (who handled it), or
    # None for the plain refusal; ``actor`` is None when the page's state is simply stale
    stale_message: Callable | None = None
    note_required_message: str | None = None
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
        MACHINES[self.name] = self

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

    def who_may(self, obj, candidates: Iterable) -> list[tuple[Transition, list]]:
        """For each transition people fire from ``obj``'s state: the candidates who may fire it now.

        A page that offers its user nothing says from this who can act (segregation of duties must
        be satisfiable by real accounts, and the user should know whom to ask)."""
        current = getattr(obj, self.field)
        candidates = list(candidates)
        return [
            (t, [c for c in candidates if self.refusal(obj, t, c) is None])
            for t in self.transitions
            if current in t.sources and t.roles & set(Role.values)
        ]


def _text(value, saved, default: str = "") -> str:
    if value is None:
        return default
    return value(saved) if callable(value) else str(value)


def fire(
    machine: StateMachine,
    obj,
    name: str,
    *,
    actor,
    note: str = "",
    changes=None,
    after: Callable | None = None,
    effects: Iterable[Callable] = (),
    event_note=None,
    public_note="",
    on_event: Callable | None = None,
    expect: str | None = None,
    audit_extra: dict | None = None,
    jurisdiction=None,
):
    """Perform transition ``name`` on ``obj`` for ``actor``: the only place a state field changes.

    In one transaction: lock the row (with ``machine.lock_related``); when ``expect`` (the state the
    actor's page showed) is given and the row has moved on, refuse with who handled it; check the
    table, role and guard against the locked row (so two people acting at once cannot both
    succeed); apply ``changes`` (a dict, or a callable ``(locked) -> dict`` computed from the locked
    row), the machine's ``stamp`` and the target state, saving only those fields; write one audit
    entry ``<machine>.<transition>`` (``audit_extra`` added to its "after"; filed under
    ``jurisdiction`` when the row has none) and, for a machine with a timeline, one ``TimelineEvent``
    worded by ``event_note`` (default: the note) and ``public_note`` (either may be a callable
    ``(saved) -> str``), passed to ``on_event``; then run ``after(saved)`` (the service's own rows).
    ``effects`` (callables taking the saved object) run after commit. Returns the saved object.
    Raises ``DomainError`` with a message for the user when the transition is not allowed.
    """
    t = machine.transition(name)
    note = (note or "").strip()
    if t.note_required and not note:
        message = machine.note_required_message or _("“%(action)s”需要填写说明。")
        raise DomainError("note_required", message % {"action": t.label})
    with transaction.atomic():
        qs = type(obj).objects.select_for_update(of=("self",) if machine.lock_related else ())
        if machine.lock_related:
            qs = qs.select_related(*machine.lock_related)
        locked = qs.get(pk=obj.pk)
        current = getattr(locked, machine.field)
        if expect and current != expect:
            message = machine.stale_message(locked, None) if machine.stale_message else None
            raise DomainError(
                "already_handled",
                message or _("状态已变为“%(state)s”，请刷新后查看。") % {"state": machine.label(current)},
                status=409,
            )
        reason = machine.refusal(locked, t, actor)
        if reason:
            if current not in t.sources and machine.stale_message:
                reason = machine.stale_message(locked, actor) or reason
            raise DomainError("transition_refused", reason, status=409)
        values = changes(locked) if callable(changes) else dict(changes or {})
        if machine.stamp is not None:
            values.update(machine.stamp(t, actor))
        if t.target is not None:
            values[machine.field] = t.target
        before = snapshot(locked, fields=values.keys())
        for attr, value in values.items():
            setattr(locked, attr, value)
        if values:
            locked.save(update_fields=list(values))
        logged = snapshot(locked, fields=values.keys())
        if audit_extra:
            logged.update(audit_extra)
        log_action(
            actor=actor,
            action=f"{machine.name}.{t.name}",
            obj=locked,
            before=before,
            after=logged,
            note=note,
            jurisdiction=jurisdiction,
        )
        if machine.timeline:
            event = record(
                locked,
                action=t.name,
                label=t.label,
                actor=actor,
                note=_text(event_note, locked, default=note),
                public=t.public,
                public_note=_text(public_note, locked),
                from_state=current,
                to_state=getattr(locked, machine.field),
            )
            if on_event is not None:
                on_event(event)
        if after is not None:
            after(locked)
        for effect in effects:
            transaction.on_commit(lambda effect=effect: effect(locked))
    return locked
