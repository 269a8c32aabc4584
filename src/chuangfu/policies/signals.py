"""Keep stored matches current: a saved person or enterprise (or a change to its groups, links
or tags) is re-matched on the queue once the change has committed."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from chuangfu.registry.models import Enterprise, EnterprisePerson, Person, PersonGroup


def _queue(kind: str, subject_id: int | None) -> None:
    if subject_id is None:
        return
    from .services.matching import rematch_subject  # services load the models: not at app import

    transaction.on_commit(lambda: rematch_subject(kind, subject_id))


def _person_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _queue("person", instance.pk)


def _enterprise_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _queue("enterprise", instance.pk)


def _group_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _queue("person", instance.person_id)


def _link_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _queue("enterprise", instance.enterprise_id)
        _queue("person", instance.person_id)


def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # tag.enterprise_set changed
        for pk in pk_set or ():
            _queue("enterprise", pk)
    else:
        _queue("enterprise", instance.pk)


def connect() -> None:
    post_save.connect(_person_saved, sender=Person, dispatch_uid="policies.person_saved")
    post_save.connect(_enterprise_saved, sender=Enterprise, dispatch_uid="policies.enterprise_saved")
    for signal in (post_save, post_delete):
        signal.connect(_group_changed, sender=PersonGroup, dispatch_uid=f"policies.group_{signal is post_save}")
        signal.connect(_link_changed, sender=EnterprisePerson, dispatch_uid=f"policies.link_{signal is post_save}")
    m2m_changed.connect(_tags_changed, sender=Enterprise.tags.through, dispatch_uid="policies.tags_changed")
