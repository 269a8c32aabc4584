"""Rate limits shared by every web process: a counter per key and fixed time window in the
database (one upsert), so gunicorn workers and servers agree without a shared cache.

Limits are ``(count, seconds)``; a deployment overrides any of them with the setting
``DESK_RATE_LIMITS = {"submit_ip": (10, 3600), ...}``.
"""

import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from ..models import Throttle

DEFAULT_LIMITS = {
    "submit_ip": (20, 3600),  # public submissions per address an hour (a town office shares one)
    "submit_mobile": (5, 3600),  # public submissions per mobile an hour
    "lookup_fail_ip": (10, 600),  # failed status lookups per address in ten minutes
    "lookup_fail_number": (5, 3600),  # failed lookups of one ticket number an hour
}


def limit(name: str) -> tuple[int, int]:
    return {**DEFAULT_LIMITS, **getattr(settings, "DESK_RATE_LIMITS", {})}[name]


def _window(name: str, key: str) -> tuple[str, datetime.datetime, int]:
    count, seconds = limit(name)
    bucket = int(timezone.now().timestamp() // seconds)
    expires = datetime.datetime.fromtimestamp((bucket + 1) * seconds, tz=datetime.UTC)
    return f"{name}:{key}:{bucket}", expires, count


def throttle_take(name: str, key: str) -> bool:
    """Count one hit; True while the window's count is within the limit.

    The increment is one statement; inside a transaction on PostgreSQL it also holds the row
    until commit, which serialises concurrent requests for the same key (used for de-duplication).
    """
    full_key, expires, allowed = _window(name, key)
    table = connection.ops.quote_name(Throttle._meta.db_table)
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({q('key')}, {q('count')}, expires_at) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({q('key')}) DO UPDATE SET {q('count')} = {table}.{q('count')} + 1 RETURNING {q('count')}",
            [full_key, connection.ops.adapt_datetimefield_value(expires)],
        )
        hits = cursor.fetchone()[0]
    return hits <= allowed


def throttle_exceeded(*checks: tuple[str, str]) -> bool:
    """Whether any ``(name, key)`` window is already full (read only, one query)."""
    windows = {full_key: allowed for full_key, _, allowed in (_window(name, key) for name, key in checks)}
    counts = Throttle.objects.filter(key__in=list(windows)).order_by().values_list("key", "count")
    return any(count >= windows[key] for key, count in counts)


def throttle_purge() -> int:
    return Throttle.objects.filter(expires_at__lt=timezone.now()).delete()[0]
