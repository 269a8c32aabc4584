"""Cached fragments of public pages, invalidated by a version in the database.

Public pages (the portal's front door, the policy list) render the same blocks for every visitor.
They keep the rendered HTML in Django's cache under a key made of the fragment's name, the
language, today's date, the current ``PublicVersion`` counter and the page's own parameters
(``vary``). Apps name the models their public blocks show (``watch``); saving or deleting one
bumps the counter in the same transaction, so the next request after the commit renders afresh,
in every web process (the counter is read from the database: one primary-key lookup a request;
a per-process memory cache cannot be invalidated any other way). Changes that no save announces
(an article whose publication time arrives, an activity whose registration closes by the clock)
show within ``TTL`` seconds; the date in the key turns the page over at midnight.
"""

from django.db import connection
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from .models import PublicVersion

NAME = "public"
TTL = 60  # seconds: the longest a page may lag behind a change that no save announces


def version() -> int:
    """The current counter (0 before the first bump). Plain SQL: this runs on every public page."""
    table = connection.ops.quote_name(PublicVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT counter FROM {table} WHERE name = %s", [NAME])
        row = cursor.fetchone()
    return row[0] if row else 0


def bump(**kwargs) -> None:
    """Make every cached public fragment stale (a signal receiver; callable directly too)."""
    if not PublicVersion.objects.filter(name=NAME).update(counter=F("counter") + 1):
        PublicVersion.objects.get_or_create(name=NAME, defaults={"counter": 1})


def vary(name: str, *parts) -> str:
    """What a fragment's cache key varies on, for ``{% cache public_ttl name vary %}``."""
    return ":".join([name, get_language() or "", timezone.localdate().isoformat(), str(version()), *map(str, parts)])


def watch(*models) -> None:
    """Saving or deleting a row of ``models`` makes the public fragments stale."""
    for model in models:
        uid = f"chuangfu.public_cache.{model._meta.label}"
        post_save.connect(bump, sender=model, dispatch_uid=uid + ".save", weak=False)
        post_delete.connect(bump, sender=model, dispatch_uid=uid + ".delete", weak=False)
