"""Open datasets: their metadata, saved by administrators and the office."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action, snapshot

from ..datasets import SOURCES
from ..models import Dataset
from ..workflows import PUBLISHERS
from .publishing import _require

FIELDS = [
    "jurisdiction", "name", "title", "description", "publisher", "source", "licence", "frequency",
    "suppress_below", "published",
]  # fmt: skip


def dataset_save(*, actor, dataset: Dataset | None = None, data: dict) -> Dataset:
    _require(actor, PUBLISHERS)
    if data.get("source") not in SOURCES:
        raise ValidationError({"source": _("未知的数据来源。")})
    dataset = dataset or Dataset()
    before = snapshot(dataset, fields=FIELDS) if dataset.pk else None
    for name in FIELDS:
        if name in data:
            setattr(dataset, name, data[name])
    dataset.full_clean()
    with transaction.atomic():
        dataset.save()
        log_action(
            actor=actor,
            action="portal.dataset.saved",
            obj=dataset,
            before=before,
            after=snapshot(dataset, fields=FIELDS),
        )
    return dataset
