"""The 15-minute circle: the nearest carriers by straight-line distance, geocoded addresses, and
the residential areas beyond 15 minutes' walk of every station (numpy over the addresses)."""

import itertools
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import QuerySet

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scoping import scope_by_jurisdiction, visible_jurisdiction_ids
from chuangfu.registry.models import Carrier, CarrierKind

from .. import geo
from ..models import Address, CarrierSite, ResidentialArea
from .roles import is_office

# Kinds that count as a "station" of the 15-minute circle unless the page asks for others.
STATION_KINDS = (CarrierKind.DOORSTEP_STATION,)


@dataclass
class NearbyCarrier:
    carrier: Carrier
    metres: float

    @property
    def minutes(self) -> int:
        return max(1, round(geo.walking_minutes(self.metres)))

    @property
    def within_circle(self) -> bool:
        return self.metres <= geo.walking_metres()


_SITE_COLUMNS = ("id", "carrier_id", "latitude", "longitude", "opening_hours")


def _nearby_sql(kinds: int) -> str:
    """One statement for the square around a point: each site with its carrier's whole row
    (SQLite answers it from the site's (latitude, longitude) index, then the carrier by key)."""
    site, carrier = CarrierSite._meta.db_table, Carrier._meta.db_table
    q = connection.ops.quote_name
    columns = (
        ", ".join(f"s.{q(c)}" for c in _SITE_COLUMNS)
        + ", "
        + ", ".join(f"c.{q(f.column)}" for f in Carrier._meta.concrete_fields)
    )
    kind_filter = f" AND c.{q('kind')} IN ({', '.join(['%s'] * kinds)})" if kinds else ""
    return (
        f"SELECT {columns} FROM {q(site)} s JOIN {q(carrier)} c ON c.{q('id')} = s.{q('carrier_id')}"
        f" WHERE s.{q('latitude')} BETWEEN %s AND %s AND s.{q('longitude')} BETWEEN %s AND %s"
        f" AND s.{q('published')}{kind_filter}"
    )


def nearest_carriers(*, latitude: float, longitude: float, kinds=(), limit: int = 5) -> list[NearbyCarrier]:
    """The ``limit`` published carriers nearest to a point by straight-line distance (public data).

    Reads only the carriers inside a square around the point (index on the site's latitude and
    longitude), doubling the square until enough are found or it spans 40 km. The square is one
    hand-written statement whose rows become model instances directly (``from_db``, the site
    cached on its carrier as ``select_related`` would): the ORM's compiling of two queries and
    building of related instances was two thirds of the answer's time (decision 27).
    """
    kinds = list(kinds)
    sql = _nearby_sql(len(kinds))
    half = geo.walking_metres() * 2
    while True:
        dlat, dlon = geo.degree_box(latitude, half)
        with connection.cursor() as cursor:
            cursor.execute(sql, [latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon, *kinds])
            rows = cursor.fetchall()
        if len(rows) >= limit or half >= 20_000:
            break
        half *= 2
    if not rows:
        return []
    metres = geo.distances(latitude, longitude, [r[2] for r in rows], [r[3] for r in rows])
    order = np.argsort(metres, kind="stable")[:limit]
    carrier_fields = [f.attname for f in Carrier._meta.concrete_fields]
    db, width = connection.alias, len(_SITE_COLUMNS)
    found = []
    for i in order:
        row = rows[i]
        carrier = Carrier.from_db(db, carrier_fields, row[width:])
        site = CarrierSite.from_db(db, list(_SITE_COLUMNS), row[:width])
        site._state.fields_cache["carrier"] = carrier
        carrier._state.fields_cache["site"] = site
        found.append(NearbyCarrier(carrier, float(metres[i])))
    return found


def address_search(*, q: str, limit: int = 10) -> list[Address]:
    q = (q or "").strip()
    if len(q) < 2:
        return []
    return list(Address.objects.filter(text__contains=q).select_related("jurisdiction")[:limit])


def town_choices(actor) -> QuerySet[Jurisdiction]:
    return scope_by_jurisdiction(Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN), actor, field="")


def _village_ids(town: Jurisdiction) -> list[int]:
    return list(town.children.values_list("pk", flat=True))


def read_address_coordinates(village_ids: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Area ids, latitudes and longitudes of every address in the villages, as arrays (one query)."""
    if not village_ids:
        empty = np.zeros(0)
        return empty.astype(np.int64), empty, empty
    table = connection.ops.quote_name(Address._meta.db_table)
    marks = ", ".join(["%s"] * len(village_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT area_id, latitude, longitude FROM {table} WHERE jurisdiction_id IN ({marks})", village_ids
        )
        rows = cursor.fetchall()
    if not rows:
        empty = np.zeros(0)
        return empty.astype(np.int64), empty, empty
    data = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.float64, count=3 * len(rows)).reshape(-1, 3)
    return data[:, 0].astype(np.int64), data[:, 1], data[:, 2]


@dataclass
class AreaCoverage:
    area: ResidentialArea
    addresses: int
    uncovered: int

    @property
    def share_uncovered(self) -> float:
        return self.uncovered / self.addresses if self.addresses else 0.0

    @property
    def is_uncovered(self) -> bool:
        """More than half of the area's addresses are beyond the circle."""
        return self.share_uncovered > 0.5


def town_coverage(*, actor, town: Jurisdiction, kinds=STATION_KINDS) -> list[AreaCoverage]:
    """Residential areas of ``town`` with addresses beyond 15 minutes' walk (straight line) of
    every station of ``kinds``, worst first. An area without geocoded addresses is measured at
    its own point. Stations anywhere in the district count (a station across the town line
    serves residents too)."""
    ids = visible_jurisdiction_ids(actor)
    if not is_office(actor) or (ids is not None and town.pk not in ids):
        raise NotFound()
    area_ids, lat, lon = read_address_coordinates(_village_ids(town))
    areas = {a.pk: a for a in ResidentialArea.objects.filter(jurisdiction__parent=town).select_related("jurisdiction")}
    measured = set(np.unique(area_ids).tolist())
    bare = [a for pk, a in areas.items() if pk not in measured]
    if bare:
        area_ids = np.concatenate([area_ids, np.array([a.pk for a in bare], dtype=np.int64)])
        lat = np.concatenate([lat, np.array([a.latitude for a in bare])])
        lon = np.concatenate([lon, np.array([a.longitude for a in bare])])
    stations = np.array(
        CarrierSite.objects.filter(carrier__kind__in=kinds, latitude__isnull=False).values_list(
            "latitude", "longitude"
        ),
        dtype=np.float64,
    ).reshape(-1, 2)
    reached = geo.covered(lat, lon, stations[:, 0], stations[:, 1], geo.walking_metres())
    return coverage_by_area(area_ids, reached, areas)


def coverage_by_area(area_ids: np.ndarray, reached: np.ndarray, areas: dict) -> list[AreaCoverage]:
    if len(area_ids) == 0:
        return []
    keys, inverse = np.unique(area_ids, return_inverse=True)
    totals = np.bincount(inverse)
    missed = np.bincount(inverse, weights=~reached).astype(np.int64)
    rows = [
        AreaCoverage(areas[int(k)], int(t), int(m))
        for k, t, m in zip(keys, totals, missed, strict=True)
        if m and int(k) in areas
    ]
    rows.sort(key=lambda r: (-r.share_uncovered, -r.uncovered, r.area.name))
    return rows
