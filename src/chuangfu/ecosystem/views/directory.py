"""The public carrier directory (issue 15 point 2): published carrier sites by kind, service and
area, each with its own page. Only what a carrier offers the public is shown: no contact person,
no telephone, nothing of the people or enterprises it hosts."""

from django.core.paginator import Paginator
from django.shortcuts import render

from chuangfu.core.bounds import int_param, page_number
from chuangfu.core.search import bounded_query
from chuangfu.registry.models import CarrierKind

from .. import selectors
from ..hooks import carrier_events
from ..models import CarrierPhoto

PAGE_SIZE = 20


def carrier_directory(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in CarrierKind.values else ""
    q = bounded_query(request.GET.get("q", ""))
    towns = selectors.public_carrier_towns()
    town = int_param(request.GET.get("town"))
    town = town if any(t.pk == town for t in towns) else None
    carriers = selectors.public_carriers(kind=kind, q=q, town_id=town)
    page = Paginator(carriers, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    query = request.GET.copy()  # the same filters on the next page (identifiers sealed again)
    query.pop("page", None)
    photos = {}
    for photo in CarrierPhoto.objects.filter(carrier__in=[c.pk for c in page], published=True).order_by("pk"):
        photos.setdefault(photo.carrier_id, photo)
    return render(
        request,
        "ecosystem/public/directory.html",
        {
            "page": page,
            "rows": [(c, photos.get(c.pk)) for c in page],
            "kinds": CarrierKind.choices,
            "kind": kind,
            "q": q,
            "towns": towns,
            "town": town,
            "query": query.urlencode(),
        },
    )


def carrier_page(request, pk):
    carrier = selectors.get_public_carrier(pk)
    return render(
        request,
        "ecosystem/public/carrier.html",
        {
            "carrier": carrier,
            "photos": CarrierPhoto.objects.filter(carrier=carrier, published=True).order_by("pk")[:12],
            "event_lists": carrier_events(carrier),
        },
    )
