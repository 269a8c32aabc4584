"""Distances for the 15-minute circle: straight-line distance on a local flat projection.

Within a district (tens of kilometres) an equirectangular projection around the district's own
latitude is accurate to well under 0.1 %, far below what a straight line misses of a real walk;
the pages say the distance is straight-line at ``WALKING_SPEED_KMH``. Everything here is plain
numpy over arrays of coordinates, so one nearest-carrier answer and a whole town's coverage use
the same arithmetic.
"""

import math

import numpy as np

WALKING_SPEED_KMH = 4.5
CIRCLE_MINUTES = 15
EARTH_METRES_PER_DEGREE = 111_320.0


def walking_metres(minutes: float = CIRCLE_MINUTES, speed_kmh: float = WALKING_SPEED_KMH) -> float:
    return speed_kmh * 1000 * minutes / 60


def walking_minutes(metres: float, speed_kmh: float = WALKING_SPEED_KMH) -> float:
    return metres / (speed_kmh * 1000 / 60)


def project(latitudes, longitudes, *, origin_latitude: float) -> tuple[np.ndarray, np.ndarray]:
    """Metres east and north of (origin_latitude, 0°)."""
    lat = np.asarray(latitudes, dtype=np.float64)
    lon = np.asarray(longitudes, dtype=np.float64)
    scale = EARTH_METRES_PER_DEGREE * math.cos(math.radians(origin_latitude))
    return lon * scale, (lat - origin_latitude) * EARTH_METRES_PER_DEGREE


def distances(latitude: float, longitude: float, latitudes, longitudes) -> np.ndarray:
    """Metres from one point to each of many."""
    x, y = project(latitudes, longitudes, origin_latitude=latitude)
    px, py = project([latitude], [longitude], origin_latitude=latitude)
    return np.hypot(x - px[0], y - py[0])


def degree_box(latitude: float, metres: float) -> tuple[float, float]:
    """Half-height and half-width in degrees of a square of ``2 × metres`` around ``latitude``."""
    dlat = metres / EARTH_METRES_PER_DEGREE
    dlon = metres / (EARTH_METRES_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    return dlat, dlon


def covered(
    point_lat: np.ndarray, point_lon: np.ndarray, station_lat: np.ndarray, station_lon: np.ndarray, radius: float
) -> np.ndarray:
    """For each point, whether some station lies within ``radius`` metres (straight line).

    Stations are binned into square cells of side ``radius``; a point can only be within reach of
    stations in its own cell or the eight around it. Each of those nine cells is visited once per
    station it holds, over the points still uncovered, so most points are settled by the first
    pass and the work stays close to one pass over the points.
    """
    n = len(point_lat)
    result = np.zeros(n, dtype=bool)
    if n == 0 or len(station_lat) == 0:
        return result
    origin = float(np.mean(station_lat))
    px, py = project(point_lat, point_lon, origin_latitude=origin)
    sx, sy = project(station_lat, station_lon, origin_latitude=origin)
    x0, y0 = min(px.min(), sx.min()), min(py.min(), sy.min())
    width = int(max(px.max(), sx.max()) - x0) // int(radius) + 3
    scx = ((sx - x0) // radius).astype(np.int64) + 1
    scy = ((sy - y0) // radius).astype(np.int64) + 1
    skey = scx * width + scy
    order = np.argsort(skey, kind="stable")
    skey, sx, sy = skey[order], sx[order], sy[order]
    keys, starts, counts = np.unique(skey, return_index=True, return_counts=True)
    pcx = ((px - x0) // radius).astype(np.int64) + 1
    pcy = ((py - y0) // radius).astype(np.int64) + 1
    pkey = pcx * width + pcy
    r2 = radius * radius
    todo = np.arange(n)
    for dx in (0, -1, 1):
        for dy in (0, -1, 1):
            if len(todo) == 0:
                return result
            key = pkey[todo] + (dx * width + dy)
            slot = np.searchsorted(keys, key)
            slot[slot >= len(keys)] = 0
            hit = keys[slot] == key
            idx, slot = todo[hit], slot[hit]
            first, many = starts[slot], counts[slot]
            reached = np.zeros(len(idx), dtype=bool)
            for k in range(int(many.max()) if len(many) else 0):
                live = (many > k) & ~reached
                if not live.any():
                    break
                s = first[live] + k
                i = idx[live]
                d2 = (px[i] - sx[s]) ** 2 + (py[i] - sy[s]) ** 2
                reached[np.flatnonzero(live)[d2 <= r2]] = True
            result[idx[reached]] = True
            todo = todo[~result[todo]]
    return result
