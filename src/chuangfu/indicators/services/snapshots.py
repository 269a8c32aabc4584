"""A town's year, frozen as submitted to the city: later changes to the data do not alter it."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError

from .. import selectors
from ..models import Snapshot
from .computing import compute_town_year
from .schemes import TARGET_SETTERS, _require


def snapshot_submit(*, actor, jurisdiction, year: int) -> Snapshot:
    """Recompute the year, then freeze every indicator's value, target and method. Once per town and year."""
    _require(actor, TARGET_SETTERS)
    scheme = selectors.scheme_for(year)
    if scheme is None:
        raise DomainError("no_scheme", _("%(year)s 年没有适用的指标体系。") % {"year": year}, status=409)
    if Snapshot.objects.filter(scheme=scheme, jurisdiction=jurisdiction, year=year).exists():
        raise DomainError(
            "snapshot_exists", _("%(year)s 年度的评估结果已提交，提交后不能修改。") % {"year": year}, status=409
        )
    compute_town_year(jurisdiction, year, scheme=scheme)
    data = selectors.year_report(jurisdiction, year, scheme=scheme, serialisable=True)
    try:
        with transaction.atomic():
            snap = Snapshot.objects.create(
                scheme=scheme,
                jurisdiction=jurisdiction,
                year=year,
                data=data,
                submitted_at=timezone.now(),
                submitted_by=actor,
            )
            log_action(actor=actor, action="indicators.snapshot.submitted", obj=snap, jurisdiction=jurisdiction)
    except IntegrityError:
        raise DomainError(
            "snapshot_exists", _("%(year)s 年度的评估结果已提交，提交后不能修改。") % {"year": year}, status=409
        ) from None
    return snap
