"""An enterprise's premises and their lease: add one, remove one; each logged on the enterprise."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import NotFound

from ..models import Carrier, Enterprise, Premises
from ._base import _check_text, _Errors, _require_editor, _require_visible


def _shown(premises: Premises) -> dict:
    return {
        "premises_address": premises.address,
        "premises_carrier": str(premises.carrier) if premises.carrier_id else None,
        "area": str(premises.area),
        "lease_start": premises.lease_start.isoformat() if premises.lease_start else None,
        "lease_end": premises.lease_end.isoformat() if premises.lease_end else None,
        "monthly_rent": str(premises.monthly_rent) if premises.monthly_rent is not None else None,
        "lease_registered": premises.lease_registered,
    }


@transaction.atomic
def premises_add(
    *,
    actor,
    enterprise: Enterprise,
    address: str,
    area: Decimal | None,
    carrier: Carrier | None = None,
    lease_start: datetime.date | None = None,
    lease_end: datetime.date | None = None,
    monthly_rent: Decimal | None = None,
    lease_registered: bool = False,
    note: str = "",
) -> Premises:
    """Record premises of ``enterprise``: a lease has both its first and last day (the last not
    before the first); premises without a lease (owned) have neither and are registered as none."""
    _require_editor(actor)
    _require_visible(actor, enterprise)
    if carrier is not None:
        _require_visible(actor, carrier)
    errors = _Errors()
    values = {"address": address, "note": note}
    _check_text(errors, Premises, values, required=("address",))
    if area is None or area <= 0:
        errors.add("area", _("请填写大于 0 的面积（平方米）。"))
    if monthly_rent is not None and monthly_rent < 0:
        errors.add("monthly_rent", _("月租金不能为负数。"))
    if (lease_start is None) != (lease_end is None):
        errors.add("lease_end" if lease_start else "lease_start", _("租期须同时填写起始日和截止日（自有场地都不填）。"))
    elif lease_start and lease_end < lease_start:
        errors.add("lease_end", _("租期截止日早于起始日。"))
    if lease_registered and lease_start is None:
        errors.add("lease_registered", _("没有租期的场地不能登记为租赁合同已备案。"))
    errors.raise_if_any()
    premises = Premises.objects.create(
        enterprise=enterprise,
        carrier=carrier,
        area=area,
        lease_start=lease_start,
        lease_end=lease_end,
        monthly_rent=monthly_rent,
        lease_registered=lease_registered,
        **values,
    )
    log_action(actor=actor, action="registry.enterprise.premises_added", obj=enterprise, after=_shown(premises))
    return premises


@transaction.atomic
def premises_remove(*, actor, enterprise: Enterprise, premises_id: int) -> None:
    _require_editor(actor)
    _require_visible(actor, enterprise)
    premises = Premises.objects.filter(enterprise=enterprise, pk=premises_id).select_related("carrier").first()
    if premises is None:
        raise NotFound()
    before = _shown(premises)
    premises.delete()
    log_action(actor=actor, action="registry.enterprise.premises_removed", obj=enterprise, before=before)
