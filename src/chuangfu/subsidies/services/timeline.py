"""Firing an application transition from the 公示 and 拨付 services: the state change through
``core.workflow.fire`` plus the step on the application's timeline (``ApplicationEvent``) and the
applicant's notification (``notify.to_applicant``), in the caller's transaction.

Unlike ``_common.fire_and_record`` it also serves the clock (``SYSTEM``, which is no user row), for
the daily final approval of 公示 that ended without objections."""

from django.utils import timezone

from chuangfu.core.workflow import fire

from ..models import Application, ApplicationEvent
from ..workflows import APPLICATION
from . import notify as notify_


def application_fire(
    application: Application,
    name: str,
    *,
    actor,
    note: str = "",
    public_note: str = "",
    changes: dict | None = None,
    notify: tuple[str, str] | None = None,
) -> Application:
    """Fire ``name`` on ``application`` (locked and re-checked by ``fire``), record the timeline step
    and, when ``notify`` is ``(title, body)``, tell the applicant in-app and by SMS after commit."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    transition = APPLICATION.transition(name)
    before = application.status
    changes = {
        **(changes or {}),
        "handled_by": user,
        "handled_at": timezone.now(),
        "handled_action": str(transition.label),
    }
    saved = fire(APPLICATION, application, name, actor=actor, note=note, changes=changes)
    ApplicationEvent.objects.create(
        application=saved,
        actor=user,
        actor_repr=str(actor),
        action=name,
        label=str(transition.label),
        note=note,
        public=transition.public,
        public_note=public_note,
        from_status=before,
        to_status=saved.status,
    )
    if notify is not None:
        title, body = notify
        notify_.to_applicant(saved, title=title, body=body)
    return saved
