"""Named counters in the database that say when a cached read has gone stale.

A read that many requests repeat (the public pages' blocks, a clerk's queue counts) can be kept in
Django's cache under a key that includes a counter, and the counter bumped whenever a row the read
depends on is saved or deleted. The counter lives in the database (``core.PublicVersion``, one row
per name), not in the cache: each gunicorn worker has its own memory cache, and a bump kept in one
would leave the others stale. The bump runs in the saving transaction, so the first request after
the commit, in any process, reads afresh; reading the counter is one primary-key query.

What no save announces (a queryset ``.update()``, the clock) is not seen by the counter: callers
keep such entries for a short time only, or bump by hand after the update.
"""

from django.db import connection
from django.db.models import F
from django.db.models.signals import post_delete, post_save

from .models import PublicVersion


def current(name: str) -> int:
    """The counter ``name`` (0 before its first bump). Plain SQL: busy pages read it on every request."""
    table = connection.ops.quote_name(PublicVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT counter FROM {table} WHERE name = %s", [name])
        row = cursor.fetchone()
    return row[0] if row else 0


def bump(name: str) -> None:
    """Make everything cached under ``name``'s counter stale."""
    if not PublicVersion.objects.filter(name=name).update(counter=F("counter") + 1):
        PublicVersion.objects.get_or_create(name=name, defaults={"counter": 1})


def watch(name: str, *models) -> None:
    """Saving or deleting a row of any of ``models`` bumps ``name``."""

    def receiver(**kwargs):
        bump(name)

    for model in models:
        uid = f"chuangfu.versions.{name}.{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + ".save", weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + ".delete", weak=False)
