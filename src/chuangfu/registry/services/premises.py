"""An enterprise's premises and their lease: add one, edit one, remove one; each logged on the
enterprise. The same checks serve the page and the import (``premises_problems``)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError, NotFound

from ..models import Carrier, Enterprise, Premises
from ._base import _check_text, _Errors, _require_editor, _require_visible

_SAME_LEASE = gettext_lazy("该场地的这份租赁合同（同一地址、同一起始日）已登记，请编辑原记录。")


def shown(premises: Premises) -> dict:
    """What the audit log records of premises (before / after)."""
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
    fields = _checked(
        actor,
        enterprise,
        address=address,
        area=area,
        carrier=carrier,
        lease_start=lease_start,
        lease_end=lease_end,
        monthly_rent=monthly_rent,
        lease_registered=lease_registered,
        note=note,
    )
    # The same premises and lease submitted twice (a double click, a reload) is recorded once.
    same = Premises.objects.filter(enterprise=enterprise, address=fields["address"], lease_start=lease_start).first()
    if same is not None:
        if all(getattr(same, k) == v for k, v in fields.items()):
            return same
        raise DomainError("premises_exists", str(_SAME_LEASE), details={"field": "address"})
    premises = Premises.objects.create(enterprise=enterprise, **fields)
    log_action(actor=actor, action="registry.enterprise.premises_added", obj=enterprise, after=shown(premises))
    return premises


def premises_problems(*, area, lease_start, lease_end, monthly_rent, lease_registered) -> dict:
    """{field: why} for values premises cannot have: a lease has both its first and last day (the
    last not before the first), owned premises neither and are not registered; area above 0."""
    problems = {}
    if area is None or area <= 0:
        problems["area"] = _("请填写大于 0 的面积（平方米）。")
    if monthly_rent is not None and monthly_rent < 0:
        problems["monthly_rent"] = _("月租金不能为负数。")
    if (lease_start is None) != (lease_end is None):
        problems["lease_end" if lease_start else "lease_start"] = _("租期须同时填写起始日和截止日（自有场地都不填）。")
    elif lease_start and lease_end < lease_start:
        problems["lease_end"] = _("租期截止日早于起始日。")
    if lease_registered and lease_start is None:
        problems["lease_registered"] = _("没有租期的场地不能登记为租赁合同已备案。")
    return problems


def _checked(actor, enterprise: Enterprise, **fields) -> dict:
    """The fields, checked: the actor edits the registry and sees the enterprise and the carrier."""
    _require_editor(actor)
    _require_visible(actor, enterprise)
    if fields["carrier"] is not None:
        _require_visible(actor, fields["carrier"])
    errors = _Errors()
    _check_text(errors, Premises, fields, required=("address",))
    for name, message in premises_problems(
        **{k: fields[k] for k in ("area", "lease_start", "lease_end", "monthly_rent", "lease_registered")}
    ).items():
        errors.add(name, message)
    errors.raise_if_any()
    return fields


@transaction.atomic
def premises_update(*, actor, enterprise: Enterprise, premises_id: int, **values) -> Premises:
    """Change recorded premises of ``enterprise`` (every field as on the form); logged with what
    it was and is, and only if something changed (saving the same form twice logs once)."""
    premises = (
        Premises.objects.select_for_update(of=("self",))
        .filter(enterprise=enterprise, pk=premises_id)
        .select_related("carrier")
        .first()
    )
    if premises is None:
        _require_editor(actor)
        raise NotFound()
    fields = _checked(actor, enterprise, **values)
    if (
        Premises.objects.filter(enterprise=enterprise, address=fields["address"], lease_start=fields["lease_start"])
        .exclude(pk=premises.pk)
        .exists()
    ):
        raise DomainError("premises_exists", str(_SAME_LEASE), details={"field": "address"})
    changed = [k for k, v in fields.items() if getattr(premises, k) != v]
    if not changed:
        return premises
    before = shown(premises)
    for name in changed:
        setattr(premises, name, fields[name])
    premises.save(update_fields=changed)
    log_action(
        actor=actor, action="registry.enterprise.premises_changed", obj=enterprise, before=before, after=shown(premises)
    )
    return premises


@transaction.atomic
def premises_remove(*, actor, enterprise: Enterprise, premises_id: int) -> None:
    _require_editor(actor)
    _require_visible(actor, enterprise)
    premises = Premises.objects.filter(enterprise=enterprise, pk=premises_id).select_related("carrier").first()
    if premises is None:
        raise NotFound()
    before = shown(premises)
    premises.delete()
    log_action(actor=actor, action="registry.enterprise.premises_removed", obj=enterprise, before=before)
