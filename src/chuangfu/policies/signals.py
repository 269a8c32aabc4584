"""Keep stored matches current: a saved person or enterprise (or a change to its groups, links,
premises or tags) is re-matched on the queue once the change has committed."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from chuangfu.registry.models import (
    CreditRecord,
    Enterprise,
    EnterprisePerson,
    InsuranceMonth,
    Person,
    PersonGroup,
    Premises,
)
from chuangfu.registry.signals import insurance_imported

REMATCH_AFTER_IMPORT = 2000  # subjects re-matched at once after an import; the nightly match does larger ones


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


def _insurance_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _queue("person", instance.person_id)
        _queue("enterprise", instance.enterprise_id)


def _premises_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _queue("enterprise", instance.enterprise_id)


def _insurance_imported(sender, people, enterprises, **kwargs):
    """After an extract's batch: re-match what it touched, unless that is more than the nightly
    full match should do anyway."""
    if len(people) + len(enterprises) > REMATCH_AFTER_IMPORT:
        return
    from .services.matching import rematch_subject

    for pk in people:
        rematch_subject("person", pk)
    for pk in enterprises:
        rematch_subject("enterprise", pk)


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
        signal.connect(
            _insurance_changed, sender=InsuranceMonth, dispatch_uid=f"policies.insurance_{signal is post_save}"
        )
        signal.connect(_insurance_changed, sender=CreditRecord, dispatch_uid=f"policies.credit_{signal is post_save}")
        signal.connect(_premises_changed, sender=Premises, dispatch_uid=f"policies.premises_{signal is post_save}")
    insurance_imported.connect(_insurance_imported, dispatch_uid="policies.insurance_imported")
    m2m_changed.connect(_tags_changed, sender=Enterprise.tags.through, dispatch_uid="policies.tags_changed")
