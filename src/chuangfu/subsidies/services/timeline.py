"""Firing an application transition from the 公示 and 拨付 services: the state change through
``core.workflow.fire`` plus the step on the application's timeline (``ApplicationEvent``) and the
applicant's notification, in the caller's transaction."""
from django.utils import timezone

from chuangfu.core.models import Role
from chuangfu.core.notifications import Message, send_on_commit
from chuangfu.core.workflow import fire

from ..models import Application, ApplicationEvent
from ..workflows import APPLICATION


def applicant_account(application: Application):
    """Who hears about the application: the subject's own account, else the entrepreneur who filled it in."""
    subject = application.subject
    if subject is not None and subject.account_id:
        return subject.account
    creator = application.created_by
    return creator if creator.role == Role.ENTREPRENEUR else None


def application_fire(application: Application, name: str, *, actor, note: str = "", public_note: str = "",
                     changes: dict | None = None, notify: tuple[str, str] | None = None) -> Application:
    """Fire ``name`` on ``application`` (locked and re-checked by ``fire``), record the timeline step
    and, when ``notify`` is ``(title, body)``, tell the applicant in-app and by SMS after commit."""
    before = application.status
    changes = dict(changes or {})
    changes.update(handled_by=actor if getattr(actor, "is_authenticated", False) else None,
                   handled_action=name, handled_at=timezone.now())
    saved = fire(APPLICATION, application, name, actor=actor, note=note, changes=changes)
    transition = APPLICATION.transition(name)
    ApplicationEvent.objects.create(
        application=saved, actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_repr=str(actor), action=name, label=str(transition.label), note=note, public=transition.public,
        public_note=public_note, from_status=before, to_status=saved.status,
    )
    if notify is not None:
        recipient = applicant_account(saved)
        if recipient is not None:
            title, body = notify
            send_on_commit(Message(title=title, body=body, user=recipient))
    return saved
