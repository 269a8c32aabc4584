"""The one way services change an application: lock, compare, fire, record."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.errors import DomainError
from chuangfu.core.workflow import fire

from ..models import Application, ApplicationEvent
from ..workflows import APPLICATION


def today() -> datetime.date:
    return timezone.localdate()


def handled_message(locked: Application) -> str:
    """What someone acting on an out-of-date page is told: who handled it, when, and how."""
    from chuangfu.core.models import User

    state = APPLICATION.label(locked.status)
    # read the handler on its own: under PostgreSQL a row re-read after waiting for a lock keeps the
    # joined columns of the snapshot it first saw
    who = User.objects.filter(pk=locked.handled_by_id).first() if locked.handled_by_id else None
    if who is not None and locked.handled_at:
        return _("该申请已由%(who)s于 %(when)s 处理（%(action)s），当前状态为“%(state)s”，请刷新后查看。") % {
            "who": who,
            "when": timezone.localtime(locked.handled_at).strftime("%Y-%m-%d %H:%M"),
            "action": locked.handled_action,
            "state": state,
        }
    return _("该申请的状态已变为“%(state)s”，请刷新后查看。") % {"state": state}


def lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("form", "policy", "person", "enterprise")
        .get(pk=application.pk)
    )


def fire_and_record(
    application: Application,
    name: str,
    *,
    actor,
    note: str = "",
    seen_status: str | None = None,
    changes=None,
    public_note: str = "",
    event_note: str | None = None,
    after=None,
    audit_extra: dict | None = None,
) -> Application:
    """Fire transition ``name`` and write its timeline event, in one transaction.

    ``seen_status`` is the status the actor's page showed: if the application has moved on since
    (someone else acted first), the actor is told who handled it and nothing changes. ``changes``
    may be a callable ``(locked) -> dict`` so values are computed from the locked row; ``after``
    (saved) runs in the same transaction, before the timeline event is written; ``event_note`` and
    ``public_note`` may be callables ``(saved) -> str`` to word the event from the outcome. Raises ``DomainError`` (409) when the table refuses.
    """
    note = (note or "").strip()
    t = APPLICATION.transition(name)
    if t.note_required and not note:
        raise DomainError("note_required", _("“%(action)s”需要填写理由。") % {"action": t.label})
    with transaction.atomic():
        locked = lock(application)
        if seen_status and locked.status != seen_status:
            raise DomainError("already_handled", handled_message(locked), status=409)
        reason = APPLICATION.refusal(locked, t, actor)
        if reason:
            if locked.status not in t.sources and locked.handled_by_id and locked.handled_by_id != actor.pk:
                reason = handled_message(locked)
            raise DomainError("transition_refused", reason, status=409)
        values = changes(locked) if callable(changes) else dict(changes or {})
        values.update(handled_by=actor, handled_at=timezone.now(), handled_action=str(t.label))
        before = locked.status
        saved = fire(APPLICATION, locked, name, actor=actor, note=note, changes=values, audit_extra=audit_extra)
        if after is not None:
            after(saved)
        ApplicationEvent.objects.create(
            application=saved,
            actor=actor,
            actor_repr=str(actor),
            action=name,
            label=str(t.label),
            note=_text(event_note, saved, default=note),
            public=t.public,
            public_note=_text(public_note, saved) if t.public else "",
            from_status=before,
            to_status=saved.status,
        )
    return saved


def _text(value, saved, default: str = "") -> str:
    if value is None:
        return default
    return value(saved) if callable(value) else value


def record_event(
    application: Application,
    *,
    action: str,
    label: str,
    actor=None,
    note: str = "",
    public: bool = False,
    public_note: str = "",
) -> ApplicationEvent:
    """A timeline entry that is not a transition (created, a file uploaded, deemed accepted …)."""
    return ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        actor_repr=str(actor) if actor else _("系统"),
        action=action,
        label=label,
        note=note,
        public=public,
        public_note=public_note,
        from_status=application.status,
        to_status=application.status,
    )
