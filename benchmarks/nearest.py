"""``nearest``: the 15-minute circle at district scale.

Setup (not timed), committed to the current database and deleted again at the end (reading
rows of a huge uncommitted transaction would measure SQLite's spill, not the read): 2,000 carriers (half of them 家门口服务站) spread over a 40 km square of the district, and
``scale`` geocoded addresses in 2,000 residential areas of one town's villages (12 km square).

Figures, in one run:
- the p95 of one nearest-carriers answer for an address (look the address up by id, then
  ``selectors.nearest_carriers`` for the 5 nearest): goal ≤ 20 ms;
- the uncovered-areas computation for the town over all its addresses
  (``selectors.town_coverage``: read every address's coordinates, find which are beyond 15
  minutes' walk of every station, count per area) against the baseline, a plain read of the same
  coordinates (the same SELECT, rows fetched, nothing else): goal ≤ 3 × the baseline.

The JSON line's value is the coverage time, its baseline the plain read; the nearest p95 is in
the details (wall and CPU: the machine may be shared, and wall time then includes waiting for a
core) and in ``meets`` (wall). Beside it, interleaved with it sample by sample so both see the
same load, the p95 of the ORM answer the selector gave before decision 27 (two compiled queries,
``select_related`` instances): ``orm_nearest_p95_ms``.
"""

import random
import statistics
import time

DEFAULT_SCALE = 1_000_000
CARRIERS = 2_000
AREAS = 2_000
NEAREST_SAMPLES = 500
GOAL_P95_MS = 20.0
GOAL_RATIO = 3.0
CENTRE = (31.2160, 121.6520)


def _p95(samples):
    return statistics.quantiles(samples, n=20)[-1] * 1000


def _orm_nearest(latitude, longitude, limit):
    """The answer as the selector computed it before decision 27, kept here as the comparison."""
    import numpy as np

    from chuangfu.ecosystem import geo
    from chuangfu.ecosystem.models import CarrierSite
    from chuangfu.registry.models import Carrier

    half = geo.walking_metres() * 2
    while True:
        dlat, dlon = geo.degree_box(latitude, half)
        rows = list(
            CarrierSite.objects.filter(
                latitude__gte=latitude - dlat,
                latitude__lte=latitude + dlat,
                longitude__gte=longitude - dlon,
                longitude__lte=longitude + dlon,
            ).values_list("carrier_id", "latitude", "longitude")
        )
        if len(rows) >= limit or half >= 20_000:
            break
        half *= 2
    ids = np.array([r[0] for r in rows])
    metres = geo.distances(latitude, longitude, [r[1] for r in rows], [r[2] for r in rows])
    order = np.argsort(metres, kind="stable")[:limit]
    carriers = Carrier.objects.select_related("site", "jurisdiction").in_bulk([int(ids[i]) for i in order])
    return [(int(ids[i]), float(metres[i])) for i in order if int(ids[i]) in carriers]


def _seed(scale, rng):
    from django.db import connection

    from chuangfu.core.models import Jurisdiction, Role, User
    from chuangfu.ecosystem.models import Address, CarrierSite, ResidentialArea
    from chuangfu.registry.models import Carrier, CarrierKind

    town = Jurisdiction.objects.get(code="310115114")
    villages = [
        Jurisdiction.objects.create(
            code=f"310115114{800 + i}", name=f"压测村{i}", level=Jurisdiction.Level.VILLAGE, parent=town, is_demo=True
        )
        for i in range(20)
    ]
    kinds = [CarrierKind.DOORSTEP_STATION, CarrierKind.INCUBATOR, CarrierKind.PARK, CarrierKind.MAKERSPACE]
    carriers = Carrier.objects.bulk_create(
        Carrier(kind=kinds[0] if i % 2 == 0 else kinds[i % 4], name=f"压测载体{i}", jurisdiction=town)
        for i in range(CARRIERS)
    )
    CarrierSite.objects.bulk_create(
        CarrierSite(
            carrier=c,
            latitude=CENTRE[0] + rng.uniform(-0.18, 0.18),
            longitude=CENTRE[1] + rng.uniform(-0.21, 0.21),
        )
        for c in carriers
    )
    areas = ResidentialArea.objects.bulk_create(
        ResidentialArea(
            name=f"压测小区{i}",
            jurisdiction=villages[i % len(villages)],
            latitude=CENTRE[0] + rng.uniform(-0.054, 0.054),
            longitude=CENTRE[1] + rng.uniform(-0.063, 0.063),
        )
        for i in range(AREAS)
    )
    table = connection.ops.quote_name(Address._meta.db_table)
    sql = f"INSERT INTO {table} (text, area_id, jurisdiction_id, latitude, longitude) VALUES (%s, %s, %s, %s, %s)"
    batch = []
    with connection.cursor() as cursor:
        for i in range(scale):
            area = areas[i % AREAS]
            batch.append(
                (
                    f"{area.name}{i // AREAS + 1}号",
                    area.pk,
                    area.jurisdiction_id,
                    area.latitude + rng.uniform(-0.002, 0.002),
                    area.longitude + rng.uniform(-0.002, 0.002),
                )
            )
            if len(batch) == 20_000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
    admin = User.objects.create_user("bench-nearest", role=Role.DESK_STAFF, jurisdiction=town)
    return town, admin, [c.pk for c in carriers]


def _cleanup(town, actor, carrier_ids) -> None:
    from django.db import transaction

    from chuangfu.core.models import Jurisdiction
    from chuangfu.ecosystem.models import Address, ResidentialArea
    from chuangfu.registry.models import Carrier

    with transaction.atomic():
        villages = Jurisdiction.objects.filter(parent=town, name__startswith="压测村")
        Address.objects.filter(jurisdiction__in=villages).delete()
        ResidentialArea.objects.filter(jurisdiction__in=villages).delete()
        villages.delete()
        Carrier.objects.filter(pk__in=carrier_ids).delete()
        actor.delete()


def run(scale: int) -> dict:
    from django.db import connection, transaction

    from chuangfu.ecosystem import selectors
    from chuangfu.ecosystem.models import Address

    rng = random.Random(20261207)
    result = {}
    started = time.perf_counter()
    with transaction.atomic():
        town, actor, carrier_ids = _seed(scale, rng)
    seeded = time.perf_counter() - started
    try:
        first, last = (
            Address.objects.order_by("pk").values_list("pk", flat=True)[:1][0],
            Address.objects.latest("pk").pk,
        )
        timings, cpu, orm = [], [], []
        for _ in range(NEAREST_SAMPLES):
            pk = rng.randint(first, last)
            t0, c0 = time.perf_counter(), time.process_time()
            address = Address.objects.get(pk=pk)
            answer = selectors.nearest_carriers(latitude=address.latitude, longitude=address.longitude, limit=5)
            timings.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            assert len(answer) == 5
            t0 = time.perf_counter()
            address = Address.objects.get(pk=pk)
            before = _orm_nearest(address.latitude, address.longitude, 5)
            orm.append(time.perf_counter() - t0)
            assert before == [(r.carrier.pk, r.metres) for r in answer]  # the same answer
        p95 = _p95(timings)
        village_ids = list(town.children.values_list("pk", flat=True))
        table = connection.ops.quote_name(Address._meta.db_table)
        marks = ", ".join(["%s"] * len(village_ids))
        reads, computes = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT area_id, latitude, longitude FROM {table} WHERE jurisdiction_id IN ({marks})",
                    village_ids,
                )
                rows = cursor.fetchall()
            reads.append(time.perf_counter() - t0)
            del rows
            t0 = time.perf_counter()
            coverage = selectors.town_coverage(actor=actor, town=town)
            computes.append(time.perf_counter() - t0)
        read, compute = min(reads), min(computes)
        result = {
            "p95": p95,
            "cpu_p95": _p95(cpu),
            "orm_p95": _p95(orm),
            "read": read,
            "compute": compute,
            "seeded": seeded,
            "areas_listed": len(coverage),
            "uncovered_addresses": sum(r.uncovered for r in coverage),
        }
    finally:
        _cleanup(town, actor, carrier_ids)
    ratio = result["compute"] / result["read"]
    return {
        "value": round(result["compute"] * 1000, 1),
        "unit": f"ms to compute a town's uncovered areas over {scale:,} addresses",
        "baseline": round(result["read"] * 1000, 1),
        "baseline_unit": "ms for a plain read of the same coordinates",
        "goal": f"coverage ≤ {GOAL_RATIO:g} × plain read; nearest p95 ≤ {GOAL_P95_MS:g} ms",
        "meets": ratio <= GOAL_RATIO and result["p95"] <= GOAL_P95_MS,
        "details": {
            "nearest_p95_ms": round(result["p95"], 2),
            "nearest_cpu_p95_ms": round(result["cpu_p95"], 2),
            "orm_nearest_p95_ms": round(result["orm_p95"], 2),
            "nearest_samples": NEAREST_SAMPLES,
            "carriers": CARRIERS,
            "addresses": scale,
            "areas_listed": result["areas_listed"],
            "uncovered_addresses": result["uncovered_addresses"],
            "seed_seconds": round(result["seeded"], 1),
            "database": connection.vendor,
        },
    }
