"""The publicity log: media coverage and the town's own campaigns (氛围营造 evidence)."""

from django.db import transaction

from chuangfu.core.audit import log_action, snapshot

from ..models import Campaign, MediaCoverage
from ..workflows import EDITORS
from .publishing import _require


def _create(model, *, actor, data: dict, action: str):
    _require(actor, EDITORS)
    record = model(created_by=actor, **data)
    record.full_clean(exclude=["created_by"])
    with transaction.atomic():
        record.save()
        log_action(actor=actor, action=action, obj=record, after=snapshot(record, fields=list(data)))
    return record


def coverage_create(*, actor, data: dict) -> MediaCoverage:
    return _create(MediaCoverage, actor=actor, data=data, action="portal.coverage.created")


def campaign_create(*, actor, data: dict) -> Campaign:
    return _create(Campaign, actor=actor, data=data, action="portal.campaign.created")
