"""The public 15-minute circle: the carriers nearest to an address or to the browser's location."""

from django.shortcuts import render

from chuangfu.registry.models import CarrierKind

from .. import geo, selectors
from ..models import Address, CarrierPhoto


def _float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def nearby(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kinds = [kind] if kind in CarrierKind.values else []
    lat, lon = _float(request.GET.get("lat")), _float(request.GET.get("lon"))
    address = None
    if request.GET.get("address"):
        address = (
            Address.objects.filter(pk=request.GET["address"]).first() if request.GET["address"].isdigit() else None
        )
        if address:
            lat, lon = address.latitude, address.longitude
    matches = selectors.address_search(q=q) if q and address is None else []
    if len(matches) == 1 and lat is None:
        address = matches[0]
        lat, lon = address.latitude, address.longitude
    results = []
    if lat is not None and lon is not None:
        results = selectors.nearest_carriers(latitude=lat, longitude=lon, kinds=kinds, limit=8)
    photos = {}
    for photo in CarrierPhoto.objects.filter(carrier__in=[r.carrier for r in results], published=True):
        photos.setdefault(photo.carrier_id, photo)
    return render(
        request,
        "ecosystem/public/nearby.html",
        {
            "q": q,
            "kind": kind,
            "kinds": CarrierKind.choices,
            "matches": matches if len(matches) != 1 else [],
            "address": address,
            "point": (lat, lon) if lat is not None and lon is not None else None,
            "results": [(r, photos.get(r.carrier.pk)) for r in results],
            "speed": geo.WALKING_SPEED_KMH,
            "minutes": geo.CIRCLE_MINUTES,
            "metres": round(geo.walking_metres()),
        },
    )
