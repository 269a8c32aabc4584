"""Small pieces the services share: input cleaning and the district-bounds check."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Jurisdiction

from ..models import DistrictBounds


def clean_text(value, *, label, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError("required", _("请填写%(label)s。") % {"label": label})
    if len(text) > max_length:
        raise DomainError("too_long", _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": max_length})
    return text


def as_domain_error(exc: ValidationError) -> DomainError:
    """A lower app's field errors (``ValidationError``) as one message for the user."""
    messages = [m for msgs in exc.message_dict.values() for m in msgs] if hasattr(exc, "error_dict") else exc.messages
    return DomainError("invalid", "；".join(messages))


def district_of(jurisdiction: Jurisdiction) -> Jurisdiction | None:
    node = jurisdiction
    while node is not None and node.level != Jurisdiction.Level.DISTRICT:
        node = node.parent
    return node


def clean_coordinates(latitude, longitude, *, jurisdiction: Jurisdiction) -> tuple[float | None, float | None]:
    """Both or neither; numbers; inside the bounding area of the district ``jurisdiction`` is in."""
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        raise DomainError("coordinates", _("请同时填写数字形式的纬度和经度，如 31.2158 和 121.6553。")) from None
    district = district_of(jurisdiction)
    bounds = DistrictBounds.objects.filter(jurisdiction=district).first() if district else None
    if bounds is None:
        raise DomainError("no_bounds", _("尚未设置%(district)s的地理范围，暂不能登记坐标。") % {"district": district})
    if not bounds.contains(lat, lon):
        raise DomainError(
            "outside_district",
            _(
                "坐标（纬度 %(lat).5f，经度 %(lon).5f）不在%(district)s范围内"
                "（纬度 %(south).3f–%(north).3f，经度 %(west).3f–%(east).3f）。"
            )
            % {
                "lat": lat,
                "lon": lon,
                "district": district,
                "south": bounds.south,
                "north": bounds.north,
                "west": bounds.west,
                "east": bounds.east,
            },
        )
    return lat, lon
