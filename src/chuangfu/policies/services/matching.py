"""Matching: who is eligible for what.

* A full match (job ``policies.match``) reads the registry's facts once into columns and
  evaluates every policy's version in force over them (``rules.frame``); it stores the eligible
  subjects as ``Match`` rows and the "almost" and "unknown" ones compactly in the policy's
  ``MatchRun`` (``selectors`` reads the two together).
* A change to a person or an enterprise re-evaluates that subject (and the subjects whose facts
  refer to it) on the queue, in Python, with the same rules (``match_subject``); its rows
  override the run for that subject.
* Explaining one subject against every policy in force (the subject's policy panel, the
  self-check) is a read: ``selectors.subject_explanations`` / ``explain_subject``.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from chuangfu.core.db.blobs import read_blobs
from chuangfu.core.errors import DomainError
from chuangfu.core.jobs import job_handler, job_start
from chuangfu.registry.models import Enterprise, EnterprisePerson

from .. import rules
from ..models import Match, MatchRun, Policy, PolicyVersion, Result, Target
from ..permissions import can_edit_policies
from ..rules.facts.text import search_keywords
from ..rules.scope import id_list
from ..selectors import explain_subject, version_in_force

logger = logging.getLogger("chuangfu.policies")


@dataclass
class Found:
    """One policy's outcome, kept compact until it is written."""

    policy: Policy
    version: PolicyVersion
    eligible: np.ndarray  # subject ids
    almost: np.ndarray
    almost_open: np.ndarray  # int8, per almost subject
    unknown: np.ndarray
    unknown_open: np.ndarray
    unknown_counts: np.ndarray
    places: dict  # result -> each listed subject's jurisdiction id (int32)

    def counts(self) -> dict:
        return {
            "version": self.version.number,
            Result.ELIGIBLE.value: len(self.eligible),
            Result.ALMOST.value: len(self.almost),
            Result.UNKNOWN.value: len(self.unknown),
        }


def _evaluate(policy: Policy, version: PolicyVersion, on: datetime.date, frames: rules.Frames) -> Found:
    """One policy over the frames: every subject read, or in one part of a split match
    (``frames.scope``) the part's own subjects only (the others were read for their sake)."""
    ctx = rules.Context(on=on, policy_code=policy.code)
    frame = frames.get(policy.target)
    out = rules.outcome.outcome(version.rule, ctx, frame)
    place = frame.cached("places32", lambda: frame.column("jurisdiction_id").astype(np.int32))
    eligible, almost, unknown = out.eligible, out.almost, out.unknown
    if frames.scope is not None:
        own = frames.scope.own(frame.column("jurisdiction_id"))
        eligible, almost, unknown = eligible & own, almost & own, unknown & own
    # each mask's rows found once (a boolean index finds them again at every use)
    eligible, almost, unknown = np.flatnonzero(eligible), np.flatnonzero(almost), np.flatnonzero(unknown)
    almost_open, unknown_open = out.open_at(almost)[0], out.open_at(unknown)
    return Found(
        policy,
        version,
        out.ids[eligible],
        out.ids[almost],
        almost_open,
        out.ids[unknown],
        *unknown_open,
        {Result.ELIGIBLE: place[eligible], Result.ALMOST: place[almost], Result.UNKNOWN: place[unknown]},
    )


def policy_eligible_on(policy: Policy, on: datetime.date) -> tuple[PolicyVersion, np.ndarray, np.ndarray]:
    """The version in force on ``on``, the subjects eligible for it that day and each one's
    jurisdiction id, evaluated over columns as a full match does, storing nothing (a 免申即享
    batch judged on its cycle date when the stored match is of another day)."""
    version = version_in_force(policy, on)
    found = _evaluate(policy, version, on, rules.Frames())
    return version, found.eligible, found.places[Result.ELIGIBLE]


def _by_place(found: Found) -> dict:
    """{jurisdiction id: [eligible, almost, unknown]} of one outcome (ids as text, for JSON)."""
    counted: dict = {}
    for i, result in enumerate((Result.ELIGIBLE, Result.ALMOST, Result.UNKNOWN)):
        places = found.places[result]
        tally = np.bincount(places[places >= 0])
        for place in np.flatnonzero(tally):
            counted.setdefault(str(int(place)), [0, 0, 0])[i] = int(tally[place])
    return counted


_id_list = id_list


def _insert_eligible(found: Found, ids: np.ndarray) -> None:
    """These eligible subjects as rows, in id order (the unique index grows at its end), by one
    statement; a row a re-evaluation wrote meanwhile is left alone."""
    if not len(ids):
        return
    table = connection.ops.quote_name(Match._meta.db_table)
    subject = "person_id" if found.policy.target == Target.PERSON else "enterprise_id"
    source, param = _id_list(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (policy_id, version_id, {subject}, result, open_count) "
            f"SELECT %s, %s, s.*, %s, 0 FROM ({source}) AS s WHERE true ON CONFLICT DO NOTHING",
            [found.policy.pk, found.version.pk, Result.ELIGIBLE.value, param],
        )


def _previous_eligible(run: "MatchRun | None", found: Found, lists: dict) -> np.ndarray | None:
    """The subjects the last full match stored as rows for this policy, when its rows can be
    updated in place: same version, and the run's id list complete. None: replace every row.
    When the run's eligible list has the digest of this match's, they are the same ids and the
    run's (a few MB) is not read."""
    if run is None or run.version_id != found.version.pk:
        return None
    if lists is not None and run.lists_digest.get(Result.ELIGIBLE.value) == lists[Result.ELIGIBLE.value][0]:
        return found.eligible
    kept = read_blobs(MatchRun, run.pk, ["eligible_ids"])
    ids = np.frombuffer(kept["eligible_ids"] if kept else b"", dtype="<i8")
    return ids if len(ids) == run.eligible else None


def _delete_rows(found: Found, where: str, params: list, ids: np.ndarray) -> int:
    """Delete the policy's rows ``where`` (SQL) of the subjects ``ids``; returns how many."""
    if not len(ids):
        return 0
    table = connection.ops.quote_name(Match._meta.db_table)
    field = "person_id" if found.policy.target == Target.PERSON else "enterprise_id"
    source, param = _id_list(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE policy_id = %s AND {where} AND {field} IN ({source})",
            [found.policy.pk, *params, param],
        )
        return cursor.rowcount


def _among(sorted_ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Which of ``values`` are in ``sorted_ids`` (sorted, unique): a binary search each."""
    if not len(sorted_ids):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_ids, values), len(sorted_ids) - 1)
    return sorted_ids[at] == values


def _write_rows(
    found: Found,
    run: "MatchRun | None",
    started: datetime.datetime,
    within: np.ndarray | None = None,
    lists: dict | None = None,
) -> int:
    """Make the policy's rows say what this match found; returns how many rows were written.

    Most eligible subjects are the same as last night's, so only the difference is written: the
    rows of subjects no longer eligible are deleted and rows are inserted for the newly
    eligible. Rows a re-evaluation wrote before this match read the facts are superseded
    (deleted, and inserted again if eligible); those written after are newer and kept. With
    another version in force, or no usable id list, every row is replaced.

    ``within`` (sorted ids): one part of a split match, which answers for these subjects only —
    its own, as it read them — and leaves every other subject's rows to the other parts."""
    field = "person_id" if found.policy.target == Target.PERSON else "enterprise_id"
    rows = Match.objects.filter(policy=found.policy)
    previous = _previous_eligible(run, found, lists)
    at = connection.ops.adapt_datetimefield_value(started)  # as the column stores it, for raw SQL
    if within is not None and previous is not None:  # both sorted: a binary search each, not a sort of both
        previous = previous[_among(within, previous)]
    if previous is None:
        if within is None:
            deleted, _ = rows.exclude(computed_at__gte=started).delete()
        else:
            deleted = _delete_rows(found, "(computed_at IS NULL OR computed_at < %s)", [at], within)
        _insert_eligible(found, found.eligible)
        return deleted + len(found.eligible)
    superseded = rows.filter(computed_at__lt=started)
    again = np.fromiter(superseded.values_list(field, flat=True), dtype=np.int64)
    if within is None:
        deleted, _ = superseded.delete()
    else:
        again = again[_among(within, again)]
        deleted = _delete_rows(found, "computed_at < %s", [at], again)
    if previous is found.eligible:  # the run's list is this one (same digest): nothing left, nothing came
        gone = came = np.zeros(0, dtype=np.int64)
    else:
        gone = np.setdiff1d(previous, found.eligible, assume_unique=True)
        came = np.setdiff1d(found.eligible, previous, assume_unique=True)
    deleted += _delete_rows(found, "computed_at IS NULL", [], gone)
    # Both small; ``np.intersect1d`` would hash the million eligible ids of every policy (numpy 2's
    # ``np.unique``: ~0.04 s each, 0.8 s a match).
    new = np.union1d(came, again[_among(found.eligible, again)])
    _insert_eligible(found, new)
    return deleted + len(new)


def _lists(found: Found) -> dict:
    """{result: (digest, {column: bytes})} of the run's lists of one outcome."""
    columns = {
        Result.ELIGIBLE.value: {
            "eligible_ids": found.eligible.astype("<i8").tobytes(),
            "eligible_places": found.places[Result.ELIGIBLE].astype("<i4").tobytes(),
        },
        Result.ALMOST.value: {
            "almost_ids": found.almost.astype("<i8").tobytes(),
            "almost_open": found.almost_open.astype("i1").tobytes(),
            "almost_places": found.places[Result.ALMOST].astype("<i4").tobytes(),
        },
        Result.UNKNOWN.value: {
            "unknown_ids": found.unknown.astype("<i8").tobytes(),
            "unknown_open": found.unknown_open.astype("i1").tobytes(),
            "unknown_counts": found.unknown_counts.astype("i1").tobytes(),
            "unknown_places": found.places[Result.UNKNOWN].astype("<i4").tobytes(),
        },
    }
    lists = {}
    for result, parts in columns.items():
        digest = hashlib.blake2b(digest_size=16)
        for name, data in parts.items():
            digest.update(f"{name}:{len(data)}:".encode())
            digest.update(data)
        lists[result] = (digest.hexdigest(), parts)
    return lists


def _store(found: Found, on: datetime.date, computed_at: datetime.datetime, run: "MatchRun | None") -> int:
    lists = _lists(found)
    written = _write_rows(found, run, computed_at, lists=lists)
    _write_run(found, on, computed_at, run, lists)
    return written


def _write_run(
    found: Found, on: datetime.date, computed_at: datetime.datetime, run: "MatchRun | None" = None, lists=None
) -> None:
    """The policy's ``MatchRun``: date, version, counts, the counts by jurisdiction, and those of
    its lists (almost-eligible, unknown, eligible ids, each listed subject's jurisdiction) whose
    digest changed since ``run`` — most of a night's lists are what they were, and rewriting ~20
    MB of them cost PostgreSQL seconds (decision 40); every list without ``run``. Updated by one
    statement, without reading the old run first (``update_or_create`` would load its lists: at
    ten million subjects some hundred MB a policy, decision 44), created if there is none."""
    lists = lists or _lists(found)
    fields = {
        "version": found.version,
        "target": found.policy.target,
        "evaluated_on": on,
        "computed_at": computed_at,
        "eligible": len(found.eligible),
        "almost": len(found.almost),
        "unknown": len(found.unknown),
        "by_place": _by_place(found),
        "lists_digest": {result: digest for result, (digest, _parts) in lists.items()},
    }
    every = {name: data for _digest, parts in lists.values() for name, data in parts.items()}
    for result, (digest, parts) in lists.items():
        if run is None or run.lists_digest.get(result) != digest:
            fields.update(parts)
    if not MatchRun.objects.filter(policy=found.policy).update(**fields):
        MatchRun.objects.create(policy=found.policy, **{**fields, **every})


def match_policies(*, policies, on: datetime.date, progress=None) -> tuple[dict, dict]:
    """Replace the stored matches of ``policies`` with a fresh evaluation on ``on``.

    The facts are read once (``rules.Frames``) and every policy evaluated over them before
    anything is written; then, in one transaction, the policies' rows are replaced. Rows that a
    re-evaluation of one subject wrote after the facts were read are kept: they are newer.
    ``progress(n)`` is called after each policy is evaluated and after each is stored (2 steps
    a policy in force). Returns ({code: counts}, {code: reason}) where the second names the
    policies skipped because no version is in force on ``on``.
    """
    chosen, skipped = [], {}
    for policy in policies:
        try:
            chosen.append((policy, version_in_force(policy, on)))
        except DomainError as exc:
            skipped[policy.code] = str(exc.message)
    started = timezone.now()
    done = 0

    def step():
        nonlocal done
        done += 1
        if progress:
            progress(done)

    frames = rules.Frames()
    search_keywords(frames, [version.rule for _policy, version in chosen])  # one scan for them all
    found = []
    for policy, version in chosen:
        found.append(_evaluate(policy, version, on, frames))
        step()
    del frames
    written = {}
    with transaction.atomic():
        runs = {
            run.policy_id: run
            for run in MatchRun.objects.filter(policy__in=[f.policy for f in found]).only(
                "policy_id", "version_id", "eligible", "lists_digest"
            )
        }
        for item in found:
            written[item.policy.code] = _store(item, on, started, runs.get(item.policy.pk))
            step()
    logger.info("full match: %d rows written for %d policies", sum(written.values()), len(written))
    return {item.policy.code: item.counts() for item in found}, skipped


def policy_match(*, policy: Policy, on: datetime.date) -> dict:
    """Replace one policy's stored matches; returns its counts by result.

    Raises ``DomainError`` when no published version is in force on ``on``.
    """
    version_in_force(policy, on)
    matched, _skipped = match_policies(policies=[policy], on=on)
    return matched[policy.code]


@job_handler("policies.match")
def run_match(job, progress) -> dict:
    """Match every policy (or ``params["policy_ids"]``) on ``params["on"]`` (default: today)."""
    on = datetime.date.fromisoformat(job.params["on"]) if job.params.get("on") else timezone.localdate()
    policies = Policy.objects.order_by("id")
    if job.params.get("policy_ids"):
        policies = policies.filter(pk__in=job.params["policy_ids"])
    policies = list(policies)
    progress(0, 2 * len(policies))  # evaluated, then stored
    matched, skipped = match_policies(policies=policies, on=on, progress=progress)
    job.message = _("已匹配 %(n)d 项政策，%(skipped)d 项在 %(day)s 没有有效版本。") % {
        "n": len(matched),
        "skipped": len(skipped),
        "day": on,
    }
    job.save(update_fields=["message"])
    return {"on": on.isoformat(), "matched": matched, "skipped": skipped}


def match_start(*, actor, on: datetime.date | None = None, policy_ids: list[int] | None = None):
    """Start a full match in the background; the job page shows its progress."""
    if not can_edit_policies(actor):
        raise DomainError("forbidden", _("您没有启动政策匹配的权限。"), status=403)
    title = _("政策匹配（%(day)s）") % {"day": on or timezone.localdate()}
    return job_start(
        kind="policies.match",
        title=title,
        actor=actor,
        params={"on": on.isoformat() if on else None, "policy_ids": policy_ids or []},
    )


def match_start_nightly():
    """The nightly full match as one job: every policy, on today's date, no actor (split across
    the queue's workers instead when configured: ``match_split.nightly_start``)."""
    title = _("每日政策匹配（%(day)s）") % {"day": timezone.localdate()}
    return job_start(kind="policies.match", title=title, actor=None, params={"on": None, "policy_ids": []})


def policy_match_queue(*, actor, policy: Policy):
    return job_start(
        kind="policies.match",
        title=_("政策匹配：%(title)s") % {"title": policy.title},
        actor=actor,
        params={"on": None, "policy_ids": [policy.pk]},
    )


# --- one subject --------------------------------------------------------------------------------


def match_subject(*, kind: str, subject_id: int, on: datetime.date | None = None) -> None:
    """Re-evaluate one subject against every policy in force (called from the queue after a
    change): one row per policy, whatever the result, overriding the last full match's answer
    for this subject; rows of policies no longer in force are removed."""
    on = on or timezone.localdate()
    column = "person_id" if kind == Target.PERSON else "enterprise_id"
    now = timezone.now()
    with transaction.atomic():
        explained = explain_subject(kind, subject_id, on)
        keep = []
        for item in explained:
            e = item.explanation
            Match.objects.update_or_create(
                policy=item.policy,
                **{column: subject_id},
                defaults={
                    "version": item.version,
                    "result": e.result,
                    "open_index": e.open_index,
                    "open_count": e.open_count,
                    "evaluated_on": on,
                    "computed_at": now,
                },
            )
            keep.append(item.policy.pk)
        policy_ids = Policy.objects.filter(target=kind).values_list("id", flat=True)
        Match.objects.filter(policy_id__in=list(policy_ids), **{column: subject_id}).exclude(
            policy_id__in=keep
        ).delete()


def related_subjects(kind: str, subject_id: int) -> list[tuple[str, int]]:
    """The subject and those whose facts read it: an enterprise's legal representative and
    founders (``represents``, organisations founded, holdings) and the other enterprises they
    represent (first founding), a person's enterprises (``legal_rep``)."""
    found = [(kind, subject_id)]
    if kind == Target.PERSON:
        found += [
            (Target.ENTERPRISE, pk)
            for pk in Enterprise.objects.filter(legal_representative_id=subject_id).values_list("id", flat=True)
        ]
    else:
        rep = Enterprise.objects.filter(pk=subject_id).values_list("legal_representative_id", flat=True).first()
        people = set(EnterprisePerson.objects.filter(enterprise_id=subject_id).values_list("person_id", flat=True))
        if rep:
            people.add(rep)
        found += [(Target.PERSON, pk) for pk in sorted(people)]
        # Whether another enterprise of the same founders is their first founding (初次创业)
        # reads this enterprise's founding date.
        found += [
            (Target.ENTERPRISE, pk)
            for pk in Enterprise.objects.filter(legal_representative_id__in=people)
            .exclude(pk=subject_id)
            .values_list("id", flat=True)
        ]
    return found


@db_task()
def rematch_subject(kind: str, subject_id: int) -> int:
    """Queue task: re-match the subject and every subject whose facts read it; returns how many were matched.

    Defined beside what it runs, so that the services that start it import no ``tasks`` module."""
    subjects = related_subjects(kind, subject_id)
    for subject_kind, pk in subjects:
        match_subject(kind=subject_kind, subject_id=pk)
    return len(subjects)
