"""Deterministic, realistic demo data: ``seed(scale=N)`` adds N enterprises and 2N people.

The fixed part (demo villages, units, carriers, mentors, one account per role) is created once
(``fixed.py``, its data in ``directory.py``); the scaled part is generated in chunks
(``bulk.py``), in worker processes when there is more than one chunk, and inserted with
``executemany`` by this process, ten chunks per transaction, with explicit primary keys (run it
on a database nobody else is writing to).
Demo data is written directly, not through the registry services, so it
leaves **no audit entries**; each run is recorded as a ``Job`` (kind ``registry.seed``) whose
parameters say which index range it generated, so a later run continues after it and never
repeats an identifier.
"""

import itertools
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from chuangfu.core import crypto
from chuangfu.core.models import Job

from ..models import CarrierKind, Enterprise, EnterprisePerson, Person, PersonGroup
from . import bulk
from .directory import TANGZHEN, ZHANGJIANG
from .fixed import seed_fixed
from .vocab import ROADS

JOB_KIND = "registry.seed"
TOWN_WEIGHTS = {TANGZHEN: 85, ZHANGJIANG: 15}
HOSTING_KINDS = (CarrierKind.INCUBATOR, CarrierKind.PARK, CarrierKind.BASE)
# About 50,000 rows per commit: fewer WAL checkpoints rewriting the same index pages.
CHUNKS_PER_TRANSACTION = 10


class SeedCapacityError(ValueError):
    pass


@dataclass
class SeedResult:
    skipped: bool = False
    enterprises: int = 0
    people: int = 0
    rows: int = 0
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def seed(
    *,
    scale: int,
    seed: int = 42,
    if_empty: bool = False,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SeedResult:
    """Add ``scale`` enterprises and ``2 × scale`` people (plus the fixed part, once).

    With ``if_empty`` nothing happens when any enterprise exists. The same ``scale`` and
    ``seed`` on a fresh database always give the same data (encrypted columns differ only in
    their random nonce).
    """
    if if_empty and Enterprise.objects.exists():
        return SeedResult(skipped=True)
    started = time.perf_counter()
    fixed = seed_fixed()
    offset = _next_offset()
    if 2 * (offset + scale) > bulk.ID_SLOTS:
        raise SeedCapacityError(
            f"演示数据最多可生成 {bulk.ID_SLOTS // 2:,} 家企业（已生成 {offset:,}）。 "
            f"Demo data holds at most {bulk.ID_SLOTS // 2:,} enterprises ({offset:,} generated)."
        )
    job = Job.objects.create(
        kind=JOB_KIND,
        title="生成演示数据",
        status=Job.Status.RUNNING,
        total=scale,
        params={"scale": scale, "seed": seed, "offset": offset},
    )
    try:
        rows = _generate_and_write(_plan(fixed, seed=seed, scale=scale, offset=offset), job, scale, workers, progress)
    except BaseException as exc:  # a half-finished run stays visible as such (its range is never reused)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, message=repr(exc)[:2000], finished_at=timezone.now()
        )
        raise
    seconds = time.perf_counter() - started
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE,
        done=scale,
        finished_at=timezone.now(),
        result={"rows": rows, "seconds": round(seconds, 2)},
    )
    return SeedResult(enterprises=scale, people=2 * scale, rows=rows, seconds=seconds)


def _generate_and_write(plan: bulk.Plan, job: Job, scale: int, workers: int | None, progress) -> int:
    writer = _Writer()
    rows = done = 0
    chunks = _chunks(plan, scale, workers)
    while batch := list(itertools.islice(chunks, CHUNKS_PER_TRANSACTION)):
        with transaction.atomic():
            for chunk in batch:
                rows += writer.write(chunk)
                done += len(chunk.enterprises)
            Job.objects.filter(pk=job.pk).update(done=done)
        if progress:
            progress(done, scale)
    writer.finish()
    return rows


def _next_offset() -> int:
    """The first enterprise index no earlier run has used (runs never reuse an index)."""
    end = 0
    for params in Job.objects.filter(kind=JOB_KIND).values_list("params", flat=True):
        end = max(end, int(params.get("offset", 0)) + int(params.get("scale", 0)))
    return end


def _plan(fixed: dict, *, seed: int, scale: int, offset: int) -> bulk.Plan:
    towns = []
    for code, weight in TOWN_WEIGHTS.items():
        town = fixed["towns"][code]
        hosts = tuple(
            (c.pk, c.jurisdiction_id, c.address)
            for c in fixed["carriers"]
            if c.kind in HOSTING_KINDS and c.jurisdiction.path.startswith(town.path)
        )
        towns.append(
            bulk.TownPlan(
                code=code,
                name=town.name,
                weight=weight,
                village_ids=tuple(v.pk for v in fixed["villages"][code]),
                roads=tuple(ROADS[code]),
                hosts=hosts,
            )
        )
    now = timezone.now()
    return bulk.Plan(
        seed=seed,
        today=timezone.localdate(now),
        stamp=connection.ops.adapt_datetimefield_value(now),
        dates_as_text=connection.vendor == "sqlite",
        person_base=_next_pk(Person),
        enterprise_base=_next_pk(Enterprise),
        offset=offset,
        towns=tuple(towns),
        tag_ids={code: tag.pk for code, tag in fixed["tags"].items()},
        # A few hundred hosted enterprises per run, however large: carriers have limited room.
        host_chance=min(0.12, 600 / max(scale, 1)),
    )


def _next_pk(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _chunks(plan: bulk.Plan, scale: int, workers: int | None):
    tasks = [
        (plan, start, min(bulk.CHUNK, plan.offset + scale - start))
        for start in range(plan.offset, plan.offset + scale, bulk.CHUNK)
    ]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield bulk.generate_task(task)
        return
    # Workers inherit the key by fork; fetch it first so no two of them create the key file.
    crypto.encrypt("")
    crypto.lookup_hash("")
    if not connection.in_atomic_block:
        connection.close()  # reopened by the writer; a forked child must not share the socket
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        pending: deque = deque()
        queued = iter(tasks)
        # A bounded window keeps memory flat: at most a few chunks wait for the writer.
        for task in itertools.islice(queued, 2 * workers):
            pending.append(pool.apply_async(bulk.generate_task, (task,)))
        while pending:
            chunk = pending.popleft().get()
            following = next(queued, None)
            if following is not None:
                pending.append(pool.apply_async(bulk.generate_task, (following,)))
            yield chunk


class _Writer:
    """Inserts chunks with ``executemany``; columns the generator does not know get their default."""

    def __init__(self):
        tag_through = Enterprise.tags.through
        self.tables = [
            ("persons", Person, bulk.PERSON_COLUMNS),
            ("enterprises", Enterprise, bulk.ENTERPRISE_COLUMNS),
            ("links", EnterprisePerson, bulk.LINK_COLUMNS),
            ("groups", PersonGroup, bulk.GROUP_COLUMNS),
            ("tags", tag_through, bulk.TAG_COLUMNS),
        ]
        self.statements = {}
        for key, model, columns in self.tables:
            extra = _defaults_for_unknown_columns(model, columns)
            names = [*columns, *extra]
            quoted = ", ".join(connection.ops.quote_name(c) for c in names)
            placeholders = ", ".join(["%s"] * len(names))
            sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({quoted}) VALUES ({placeholders})"
            self.statements[key] = (sql, tuple(extra.values()))
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size=-262144")  # 256 MB while seeding: the indexes are random-keyed

    def write(self, chunk: bulk.Chunk) -> int:
        """Insert one chunk; the caller holds the transaction."""
        with connection.cursor() as cursor:
            for key, _model, _columns in self.tables:
                sql, extra = self.statements[key]
                rows = getattr(chunk, key)
                if rows:
                    cursor.executemany(sql, [row + extra for row in rows] if extra else rows)
        return chunk.rows

    def finish(self) -> None:
        """PostgreSQL sequences must move past the explicit keys the writer used."""
        statements = connection.ops.sequence_reset_sql(no_style(), [Person, Enterprise])
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


def _defaults_for_unknown_columns(model, columns) -> dict:
    extra = {}
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or model_field.column in columns:
            continue
        if not model_field.has_default() and not model_field.null and not model_field.empty_strings_allowed:
            raise RuntimeError(
                f"演示数据生成器不认识必填字段 {model._meta.label}.{model_field.name}，请更新 seeding/bulk.py。"
            )
        extra[model_field.column] = model_field.get_db_prep_save(model_field.get_default(), connection)
    return extra
