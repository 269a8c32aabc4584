"""Timelines: the steps of a record (a ticket, a subsidy application) as its people see them.

One model (``TimelineEvent``) for every app. ``record`` is its only writer: ``core.workflow.fire``
calls it for each transition of a machine declared with ``timeline=True``; services call it for the
steps that are not transitions. ``events_for`` is the one read the apps' selectors build on.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.utils import translation

from .models import TimelineEvent


def subject_type(model) -> ContentType:
    """The content type of ``model`` (a class or an instance); cached by Django per process."""
    return ContentType.objects.get_for_model(model)


def record(
    subject: Model,
    *,
    action: str,
    label,
    actor=None,
    note: str = "",
    public: bool = False,
    public_note: str = "",
    from_state: str = "",
    to_state: str = "",
    unit=None,
    at=None,
) -> TimelineEvent:
    """Add one step to ``subject``'s timeline. ``actor`` may be a user, the ``SystemActor`` or None
    (the platform); ``unit`` defaults to the actor's unit. The event is filed under the subject's
    jurisdiction so it can be scoped like the subject. ``label`` is kept in the source language
    (pass a lazy message): pages show it in the reader's (``gettext(event.label)``)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    if unit is None and user is not None:
        unit = getattr(user, "unit", None)
    extra = {"at": at} if at is not None else {}
    with translation.override(settings.LANGUAGE_CODE):
        label = str(label)
    return TimelineEvent.objects.create(
        **extra,
        subject_type=subject_type(subject),
        subject_id=subject.pk,
        jurisdiction_id=getattr(subject, "jurisdiction_id", None),
        actor=user,
        actor_repr=str(actor) if actor is not None else "系统",
        unit=unit,
        action=action,
        label=label[:64],
        note=note,
        public=public,
        public_note=public_note if public else "",
        from_state=from_state,
        to_state=to_state,
    )


def events_for(model, ids, *, public_only: bool = False) -> QuerySet[TimelineEvent]:
    """The events of the ``model`` records ``ids`` (one id, a list or a subquery), oldest first."""
    if isinstance(ids, int):
        ids = [ids]
    qs = TimelineEvent.objects.filter(subject_type=subject_type(model), subject_id__in=ids)
    if public_only:
        qs = qs.filter(public=True)
    return qs.order_by("at", "id")
