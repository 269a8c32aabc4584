"""Carriers on the map: the town keeps each carrier's site; an operator proposes changes to
their own carrier, which apply only when the town approves them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action, snapshot
from chuangfu.core.errors import DomainError
from chuangfu.core.uploads import check_upload
from chuangfu.core.workflow import fire
from chuangfu.registry.models import Carrier
from chuangfu.registry.services import CARRIER_OPERATOR_FIELDS, carrier_update

from ..models import CarrierChange, CarrierChangeStatus, CarrierPhoto, CarrierSite
from ..selectors import can_review_carriers, get_carrier_for, is_operator_of
from ..workflows import CARRIER_CHANGE
from ._common import as_domain_error, clean_coordinates, clean_text

SITE_FIELDS = ("latitude", "longitude", "opening_hours")
# What an operator may propose: the registry's running data of the carrier and its site.
PROPOSABLE_FIELDS = tuple(sorted(CARRIER_OPERATOR_FIELDS)) + SITE_FIELDS


class _DryRun(Exception):
    pass


def site_of(carrier: Carrier) -> CarrierSite:
    return CarrierSite.objects.get_or_create(carrier=carrier)[0]


def _clean_site(carrier: Carrier, values: dict) -> dict:
    site = getattr(carrier, "site", None)
    lat = values.get("latitude", site.latitude if site else None)
    lon = values.get("longitude", site.longitude if site else None)
    lat, lon = clean_coordinates(lat, lon, jurisdiction=carrier.jurisdiction)
    hours = values.get("opening_hours", site.opening_hours if site else "")
    return {
        "latitude": lat,
        "longitude": lon,
        "opening_hours": clean_text(hours, label=_("开放时间"), max_length=128, required=False),
    }


def _save_site(carrier: Carrier, values: dict) -> tuple[dict, dict]:
    site = CarrierSite.objects.select_for_update().get_or_create(carrier=carrier)[0]
    fields = (*SITE_FIELDS, "published")
    before = snapshot(site, fields=fields)
    for name, value in values.items():
        setattr(site, name, value)
    site.save()
    return before, snapshot(site, fields=fields)


@transaction.atomic
def carrier_site_update(
    *, actor, carrier: Carrier, latitude=None, longitude=None, opening_hours: str = "", published: bool | None = None
) -> CarrierSite:
    """The town sets a carrier's coordinates (inside its district), opening hours and whether the
    public directory and the 15-minute circle show it (``None`` leaves that as it is)."""
    carrier = get_carrier_for(actor, carrier.pk)
    if not can_review_carriers(actor):
        raise DomainError("forbidden", _("只有镇里的工作人员可以直接修改载体位置；运营方请提交变更申请。"), status=403)
    values = _clean_site(carrier, {"latitude": latitude, "longitude": longitude, "opening_hours": opening_hours})
    if published is not None:
        values["published"] = bool(published)
    before, after = _save_site(carrier, values)
    log_action(actor=actor, action="ecosystem.carrier.site_changed", obj=carrier, before=before, after=after)
    return carrier.site


@transaction.atomic
def carrier_photo_add(*, actor, carrier: Carrier, image, caption: str = "") -> CarrierPhoto:
    """The town adds a photo, shown at once."""
    carrier = get_carrier_for(actor, carrier.pk)
    if not can_review_carriers(actor):
        raise DomainError("forbidden", _("运营方上传的照片请随变更申请提交。"), status=403)
    check_image(image)
    caption = clean_text(caption, label=_("照片说明"), max_length=128, required=False)
    photo = CarrierPhoto.objects.create(
        carrier=carrier, image=image, caption=caption, published=True, uploaded_by=actor
    )
    log_action(actor=actor, action="ecosystem.carrier.photo_added", obj=carrier, after={"photo": photo.pk})
    return photo


def check_image(image) -> None:
    try:
        check_upload(image, kinds=("image",))
    except ValidationError as exc:
        raise DomainError("upload", exc.messages[0]) from None


def _registry_update(actor, carrier: Carrier, data: dict) -> None:
    """The registry's own update; its field errors become one message for the user."""
    try:
        carrier_update(actor=actor, carrier=carrier, data=data)
    except ValidationError as exc:
        raise as_domain_error(exc) from None


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def _registry_value(name: str, value):
    if name == "floor_area" and value not in (None, ""):
        return Decimal(str(value))
    return value


@transaction.atomic
def carrier_change_submit(*, actor, carrier: Carrier, data: dict, photos=()) -> CarrierChange:
    """An operator proposes new values for their own carrier (and photos).

    The values are checked now exactly as they will be applied (the registry's rules for an
    operator, run and rolled back; coordinates inside the district), so the reviewer sees only
    valid proposals. Only values that differ from the current ones are kept. One change waits per
    carrier: a second submit while one is waiting is refused.
    """
    carrier = get_carrier_for(actor, carrier.pk)
    if not is_operator_of(actor, carrier):
        raise DomainError("forbidden", _("只能为本单位运营的载体提交变更。"), status=403)
    unknown = set(data) - set(PROPOSABLE_FIELDS)
    if unknown:
        raise DomainError(
            "forbidden", _("载体运营方只能修改本载体的运营信息（地址、面积、工位、服务、联系人、位置、开放时间）。")
        )
    carrier = Carrier.objects.select_for_update().select_related("jurisdiction").get(pk=carrier.pk)
    if CarrierChange.objects.filter(carrier=carrier, status=CarrierChangeStatus.SUBMITTED).exists():
        raise DomainError("change_waiting", _("本载体已有一份待审核的变更申请，请等待审核或先撤回。"))
    registry_part = {k: _registry_value(k, v) for k, v in data.items() if k in CARRIER_OPERATOR_FIELDS}
    registry_part = {k: v for k, v in registry_part.items() if getattr(carrier, k) != v}
    site_part = {k: v for k, v in data.items() if k in SITE_FIELDS}
    site_values = _clean_site(carrier, site_part)
    site = getattr(carrier, "site", None)
    site_part = {k: v for k, v in site_values.items() if k in site_part and getattr(site, k, None) != v}
    if registry_part:
        try:
            with transaction.atomic():
                _registry_update(actor, carrier, registry_part)
                raise _DryRun
        except _DryRun:
            pass
        carrier.refresh_from_db()
    photos = [p for p in photos if p]
    for image in photos:
        check_image(image)
    if not registry_part and not site_part and not photos:
        raise DomainError("no_change", _("没有需要修改的内容。"))
    try:
        with transaction.atomic():
            change = CarrierChange.objects.create(
                carrier=carrier,
                proposed={k: _plain(v) for k, v in {**registry_part, **site_part}.items()},
                submitted_by=actor,
            )
    except IntegrityError:
        raise DomainError("change_waiting", _("本载体已有一份待审核的变更申请，请等待审核或先撤回。")) from None
    for image in photos:
        CarrierPhoto.objects.create(carrier=carrier, change=change, image=image, uploaded_by=actor)
    log_action(
        actor=actor,
        action="ecosystem.carrier_change.submitted",
        obj=change,
        after={**change.proposed, "photos": len(photos)},
        jurisdiction=carrier.jurisdiction,
    )
    return change


def carrier_change_approve(*, actor, change: CarrierChange) -> CarrierChange:
    """Apply the proposal through the registry's own update (as the reviewer) and publish its photos."""
    get_carrier_for(actor, change.carrier_id)
    with transaction.atomic():
        locked = CarrierChange.objects.select_for_update().select_related("carrier").get(pk=change.pk)
        refusal = CARRIER_CHANGE.refusal(locked, CARRIER_CHANGE.transition("approve"), actor)
        if refusal:
            raise DomainError("transition_refused", refusal, status=409)
        carrier = locked.carrier
        registry_part = {k: _registry_value(k, v) for k, v in locked.proposed.items() if k in CARRIER_OPERATOR_FIELDS}
        if registry_part:
            _registry_update(actor, carrier, registry_part)
        site_part = {k: v for k, v in locked.proposed.items() if k in SITE_FIELDS}
        if site_part:
            _save_site(carrier, _clean_site(carrier, site_part))
        locked.photos.update(published=True)
        return fire(
            CARRIER_CHANGE,
            locked,
            "approve",
            actor=actor,
            changes={"decided_by": actor, "decided_at": timezone.now()},
            jurisdiction=carrier.jurisdiction,
        )


def carrier_change_reject(*, actor, change: CarrierChange, note: str) -> CarrierChange:
    get_carrier_for(actor, change.carrier_id)
    note = clean_text(note, label=_("退回理由"), max_length=255)
    return fire(
        CARRIER_CHANGE,
        change,
        "reject",
        actor=actor,
        note=note,
        changes={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note},
        jurisdiction=change.carrier.jurisdiction,
    )


def carrier_change_withdraw(*, actor, change: CarrierChange) -> CarrierChange:
    get_carrier_for(actor, change.carrier_id)
    return fire(CARRIER_CHANGE, change, "withdraw", actor=actor, jurisdiction=change.carrier.jurisdiction)
