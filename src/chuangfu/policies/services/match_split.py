"""A full match split by jurisdiction, shared by the queue's workers (city scale).

One process matching a whole city holds every subject's facts at once. Split, a *round* fixes
the versions in force on its date and groups the jurisdictions into *parts* — whole towns (a
village goes with its town; a town larger than a part is split into its villages), about
``part_subjects`` subjects each — and queues one task per part (``match_part``). Each part reads
its own subjects and those their facts reach (``rules.scope``), evaluates every policy over them,
and, in one transaction, writes its own subjects' ``Match`` rows (only what changed, as the
unsplit match does, ``matching._write_rows``) and keeps each policy's lists for its subjects as a
``MatchPiece``. The part that finds every part done assembles the pieces into each policy's
``MatchRun``, under a lock on the round, so two parts finishing at once assemble it once.

What the split match stores is what the unsplit one stores (``tests/policies/test_match_split.py``).
A part is idempotent: retried after a failure (the task retries twice) it writes nothing twice.
While a round runs, another is refused; a round left running for ``STALE_AFTER`` (a worker died)
is abandoned when the next starts.
"""

import ctypes
import datetime
import gc
import logging
import math
import os
import resource
import time

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Jurisdiction
from chuangfu.registry.models import Enterprise, Person

from .. import rules
from ..models import MatchPart, MatchPiece, MatchRound, MatchRun, Policy, PolicyVersion, Result
from ..rules.facts.text import search_keywords
from ..rules.scope import Scope
from ..selectors import version_in_force
from .matching import Found, _evaluate, _write_rows, _write_run, match_start_nightly

logger = logging.getLogger("chuangfu.policies")
STALE_AFTER = datetime.timedelta(hours=6)
FIELDS = (
    ("eligible_ids", "<i8"),
    ("eligible_places", "<i4"),
    ("almost_ids", "<i8"),
    ("almost_open", "i1"),
    ("almost_places", "<i4"),
    ("unknown_ids", "<i8"),
    ("unknown_open", "i1"),
    ("unknown_counts", "i1"),
    ("unknown_places", "<i4"),
)


def plan_parts(part_subjects: int, min_parts: int = 1) -> list[tuple[list[int], int]]:
    """Every jurisdiction in a part: [(jurisdiction ids, subjects registered there)], parts of
    whole towns about ``part_subjects`` subjects each (at least ``min_parts`` if there are as
    many towns), the largest first."""
    counts: dict = {}
    for model in (Person, Enterprise):
        for place, n in model.objects.values_list("jurisdiction_id").annotate(n=Count("id")).order_by():
            counts[place] = counts.get(place, 0) + n
    places = list(Jurisdiction.objects.values_list("id", "parent_id", "level"))
    town_of = {pk: parent if level == Jurisdiction.Level.VILLAGE and parent else pk for pk, parent, level in places}
    towns: dict = {}
    for pk, _parent, _level in places:
        towns.setdefault(town_of[pk], []).append(pk)
    units = []
    for members in towns.values():
        size = sum(counts.get(pk, 0) for pk in members)
        if size > part_subjects and len(members) > 1:  # a town larger than a part: its villages
            units += [([pk], counts.get(pk, 0)) for pk in members]
        else:
            units.append((members, size))
    total = sum(size for _members, size in units)
    n = max(1, min(len(units), max(min_parts, math.ceil(total / max(part_subjects, 1)))))
    parts = [([], 0) for _ in range(n)]
    for members, size in sorted(units, key=lambda u: (-u[1], min(u[0]))):
        lightest = min(range(n), key=lambda i: (parts[i][1], i))
        parts[lightest] = (parts[lightest][0] + members, parts[lightest][1] + size)
    return sorted(((sorted(m), size) for m, size in parts if m), key=lambda p: (-p[1], p[0]))


def match_split_start(
    *, on: datetime.date | None = None, part_subjects: int | None = None, min_parts: int = 2, policies=None
) -> MatchRound:
    """Start a split full match of ``policies`` (default: every policy) on ``on`` (default:
    today): the round, its parts, one queue task each after the commit. Refused while another
    round runs."""
    on = on or timezone.localdate()
    part_subjects = part_subjects or settings.POLICIES_MATCH_PART_SUBJECTS or 1_000_000
    policies = list(Policy.objects.order_by("id") if policies is None else policies)
    with transaction.atomic():
        running = MatchRound.objects.select_for_update().filter(status=MatchRound.Status.RUNNING)
        running.filter(started_at__lt=timezone.now() - STALE_AFTER).update(status=MatchRound.Status.ABANDONED)
        if running.exists():
            raise DomainError("match_running", _("已有一次分片政策匹配正在进行，请等它完成后再启动。"), status=409)
        versions, skipped = {}, {}
        for policy in policies:
            try:
                versions[str(policy.pk)] = version_in_force(policy, on).pk
            except DomainError as exc:
                skipped[policy.code] = str(exc.message)
        plan = plan_parts(part_subjects, min_parts)
        round_ = MatchRound.objects.create(
            evaluated_on=on, started_at=timezone.now(), versions=versions, skipped=skipped, parts=len(plan)
        )
        parts = MatchPart.objects.bulk_create(
            MatchPart(round=round_, number=i + 1, jurisdictions=members, subjects=size)
            for i, (members, size) in enumerate(plan)
        )
        ids = [p.pk for p in parts]
        transaction.on_commit(lambda: [match_part(pk) for pk in ids])
    return round_


def nightly_start():
    """The nightly full match (``tasks.nightly_match``): split by jurisdiction across the queue's
    workers when ``POLICIES_MATCH_PART_SUBJECTS`` is set and the registry holds more subjects
    than a part (a ``MatchRound``), else one job (``matching.match_start_nightly``)."""
    part = settings.POLICIES_MATCH_PART_SUBJECTS
    if part and Person.objects.count() + Enterprise.objects.count() > part:
        return match_split_start(part_subjects=part)
    return match_start_nightly()


@db_task(retries=2)
def match_part(part_id: int) -> dict:
    """Queue task: match one part, then assemble the round if it was the last."""
    try:
        stats = run_part(part_id)
        assembled = assemble(MatchPart.objects.values_list("round_id", flat=True).get(pk=part_id))
    finally:
        _give_back_memory()
    return {**stats, "assembled": assembled}


def _give_back_memory() -> None:
    """Return what a part freed to the system. A part reads a million rows as Python tuples;
    freed, their memory stays with the worker's allocator in pieces the next part cannot
    reuse (measured: +8 MB a part of 100,000 subjects, +150 MB a part of a million, part after
    part), so a long-lived worker would grow with every part. glibc's ``malloc_trim`` hands it
    back (with it, a worker's peak stays that of its largest part)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux


def run_part(part_id: int) -> dict:
    """Evaluate one part and store it (rows and pieces) in one transaction; nothing if already done."""
    part = MatchPart.objects.select_related("round").get(pk=part_id)
    round_ = part.round
    if part.done or round_.status != MatchRound.Status.RUNNING:
        return {"part": part.number, "skipped": True}
    MatchPart.objects.filter(pk=part.pk).update(attempts=F("attempts") + 1)
    clock, cpu = time.perf_counter(), time.thread_time()
    versions = PolicyVersion.objects.select_related("policy").in_bulk([int(v) for v in round_.versions.values()])
    chosen = sorted(versions.values(), key=lambda v: v.policy_id)
    started = timezone.now()
    scope = Scope(tuple(part.jurisdictions))
    frames = rules.Frames(scope)
    search_keywords(frames, [v.rule for v in chosen])  # one scan for them all
    found = [_evaluate(v.policy, v, round_.evaluated_on, frames) for v in chosen]
    own, read = {}, {}
    for kind in {v.policy.target for v in chosen}:
        frame = frames.get(kind)
        own[kind] = frame.ids[scope.own(frame.column("jurisdiction_id"))]
        read[kind] = frame.size
    evaluated = time.perf_counter() - clock
    del frames
    written = 0
    with transaction.atomic():
        for item in found:  # the last run's eligible ids one policy at a time (tens of MB each in a city)
            run = MatchRun.objects.filter(policy=item.policy).only("policy_id", "version_id", "eligible")
            written += _write_rows(item, run.first(), started, within=own[item.policy.target])
        MatchPiece.objects.filter(part=part).delete()
        MatchPiece.objects.bulk_create(_piece(part, item) for item in found)
        stats = {
            "subjects_read": read,
            "own": {kind: len(ids) for kind, ids in own.items()},
            "seconds": round(time.perf_counter() - clock, 3),
            "cpu_seconds": round(time.thread_time() - cpu, 3),  # this worker thread's, not the database's
            "evaluate_seconds": round(evaluated, 3),
            "rows_written": written,
            "worker": os.getpid(),
            "peak_rss_kb": _peak_kb(),
        }
        MatchPart.objects.filter(pk=part.pk).update(done=True, read_at=started, finished_at=timezone.now(), stats=stats)
    logger.info("split match: part %d of round %d, %d rows written", part.number, round_.pk, written)
    return {"part": part.number, **stats}


def _piece(part: MatchPart, found: Found) -> MatchPiece:
    arrays = {
        "eligible_ids": found.eligible,
        "eligible_places": found.places[Result.ELIGIBLE],
        "almost_ids": found.almost,
        "almost_open": found.almost_open,
        "almost_places": found.places[Result.ALMOST],
        "unknown_ids": found.unknown,
        "unknown_open": found.unknown_open,
        "unknown_counts": found.unknown_counts,
        "unknown_places": found.places[Result.UNKNOWN],
    }
    return MatchPiece(
        part=part, policy=found.policy, **{name: arrays[name].astype(dtype).tobytes() for name, dtype in FIELDS}
    )


def assemble(round_id: int) -> bool:
    """If every part of the round is done and it is not assembled yet: each policy's ``MatchRun``
    from the parts' pieces, then the round done and its pieces removed. Returns whether this call
    assembled it. The round's row is locked first (on SQLite the transaction holds the write
    lock from its start), so of two parts finishing at once one assembles and the other sees it done."""
    with transaction.atomic():
        MatchRound.objects.filter(pk=round_id).update(status=F("status"))  # the lock, before any read
        round_ = MatchRound.objects.get(pk=round_id)
        if round_.status != MatchRound.Status.RUNNING or round_.match_parts.filter(done=False).exists():
            return False
        versions = PolicyVersion.objects.select_related("policy").in_bulk([int(v) for v in round_.versions.values()])
        for version in sorted(versions.values(), key=lambda v: v.policy_id):
            pieces = MatchPiece.objects.filter(part__round=round_, policy=version.policy).order_by("part__number")
            _write_run(_assembled(version, list(pieces)), round_.evaluated_on, round_.started_at)
            del pieces
        MatchPiece.objects.filter(part__round=round_).delete()
        round_.status, round_.finished_at = MatchRound.Status.DONE, timezone.now()
        round_.save(update_fields=["status", "finished_at"])
    logger.info("split match: round %d assembled from %d parts", round_id, round_.parts)
    return True


def _assembled(version: PolicyVersion, pieces: list) -> Found:
    """One policy's outcome over every part: the pieces' lists joined, in id order."""

    def joined(name, dtype):
        parts = [np.frombuffer(bytes(getattr(p, name)), dtype=dtype) for p in pieces]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

    arrays = {name: joined(name, dtype) for name, dtype in FIELDS}
    for result in ("eligible", "almost", "unknown"):
        order = np.argsort(arrays[f"{result}_ids"], kind="stable")
        for name in [n for n, _d in FIELDS if n.startswith(result)]:
            arrays[name] = arrays[name][order]
    return Found(
        version.policy,
        version,
        arrays["eligible_ids"],
        arrays["almost_ids"],
        arrays["almost_open"],
        arrays["unknown_ids"],
        arrays["unknown_open"],
        arrays["unknown_counts"],
        {
            Result.ELIGIBLE: arrays["eligible_places"],
            Result.ALMOST: arrays["almost_places"],
            Result.UNKNOWN: arrays["unknown_places"],
        },
    )


def round_counts(round_: MatchRound) -> dict:
    """{policy code: counts} of an assembled round, as ``match_policies`` returns them."""
    runs = MatchRun.objects.filter(policy_id__in=[int(p) for p in round_.versions]).select_related("policy", "version")
    return {
        run.policy.code: {
            "version": run.version.number,
            Result.ELIGIBLE.value: run.eligible,
            Result.ALMOST.value: run.almost,
            Result.UNKNOWN.value: run.unknown,
        }
        for run in runs
    }
