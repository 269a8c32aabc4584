"""Everything that names a person or an enterprise — matches, counts, outreach lists, campaigns,
grants — scoped by the subject's jurisdiction (``core.scoping``), never only in a template."""

from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from chuangfu.core.db.blobs import read_blobs
from chuangfu.core.errors import NotFound
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scoping import assignable_jurisdictions, get_scoped_or_404, visible_jurisdiction_ids
from chuangfu.registry import selectors as registry
from chuangfu.registry.models import Enterprise, Person

from ..models import (
    Grant,
    Match,
    MatchRun,
    OutreachCampaign,
    OutreachContact,
    Policy,
    Result,
    Target,
)
from ..permissions import can_view_matches

# --- people and enterprises: always scoped ------------------------------------------------------


def _subject_field(policy: Policy) -> str:
    return "person" if policy.target == Target.PERSON else "enterprise"


def _scope(qs: QuerySet, actor, subject_field: str) -> QuerySet:
    if not can_view_matches(actor):
        raise NotFound()
    ids = visible_jurisdiction_ids(actor)
    return qs if ids is None else qs.filter(**{f"{subject_field}__jurisdiction_id__in": ids})


def _under(qs: QuerySet, subject_field: str, jurisdiction) -> QuerySet:
    if jurisdiction is None:
        return qs
    path = jurisdiction.path
    return qs.filter(
        Q(**{f"{subject_field}__jurisdiction__path": path})
        | Q(**{f"{subject_field}__jurisdiction__path__startswith": path + "/"})
    )


def match_list(*, actor, policy: Policy, result: str = Result.ELIGIBLE, jurisdiction=None):
    """The policy's subjects with one result, among those the actor may see (under ``jurisdiction``).

    Eligible subjects are rows (a ``QuerySet``); "almost" and "unknown" ones come from the last
    full match's compact lists with later re-evaluations applied (``OpenMatches``, which pages
    the same way)."""
    field = _subject_field(policy)
    if result in (Result.ALMOST, Result.UNKNOWN):
        if not can_view_matches(actor):
            raise NotFound()
        return OpenMatches.of(policy, result, _places(actor, jurisdiction))
    qs = _scope(Match.objects.filter(policy=policy, result=Result.ELIGIBLE), actor, field)
    return (
        _under(qs, field, jurisdiction)
        .select_related(field, f"{field}__jurisdiction", "version__policy")
        .annotate(run_on=F("policy__match_run__evaluated_on"))
        .order_by("id")
    )


def match_counts(*, actor, policy: Policy) -> dict:
    """{result: count} of the policy's stored matches among the subjects the actor may see."""
    if not can_view_matches(actor):
        raise NotFound()
    run = MatchRun.objects.filter(policy=policy).defer(*_RUN_LISTS).first()
    return _counts_of(policy, run, _visible(actor), _reevaluated([policy]).get(policy.pk, []))


# The run's lists, read only when a count needs them (a few MB each at a million subjects).
_RUN_LISTS = (
    "almost_ids",
    "almost_open",
    "unknown_ids",
    "unknown_open",
    "unknown_counts",
    "eligible_ids",
    "eligible_places",
    "almost_places",
    "unknown_places",
)


def _visible(actor) -> set | None:
    ids = visible_jurisdiction_ids(actor)
    return None if ids is None else set(ids)


RESULTS = (Result.ELIGIBLE, Result.ALMOST, Result.UNKNOWN)


def _reevaluated(policies) -> dict:
    """{policy id: [(subject id, result, subject's jurisdiction id now)]} of the rows re-evaluations
    wrote since each policy's full match (the partial index ``match_reevaluated``), one query per
    subject kind."""
    found: dict = {}
    for target in {p.target for p in policies}:
        field = "person" if target == Target.PERSON else "enterprise"
        rows = Match.objects.filter(policy__in=[p for p in policies if p.target == target], computed_at__isnull=False)
        for policy_id, *row in rows.values_list("policy_id", f"{field}_id", "result", f"{field}__jurisdiction_id"):
            found.setdefault(policy_id, []).append(tuple(row))
    return found


def _counts_of(policy: Policy, run: MatchRun | None, visible: set | None, changed: list) -> dict:
    """The run's counts in the visible jurisdictions (``by_place``, without reading its lists),
    corrected for the subjects re-evaluated since: each is taken out of where the run counted
    it (its result and jurisdiction then, found in the run's lists) and counted as its row says
    now, in its jurisdiction now."""

    def seen(place) -> bool:
        return visible is None or place in visible

    counts = dict.fromkeys((r.value for r in RESULTS), 0)
    if run is not None:
        for place, by_result in run.by_place.items():
            if seen(int(place)):
                for result, n in zip(RESULTS, by_result):
                    counts[result.value] += n
    if not changed:
        return counts
    if run is not None:
        wanted = np.array([subject_id for subject_id, _r, _p in changed], dtype=np.int64)
        for result in RESULTS:
            ids = np.frombuffer(bytes(getattr(run, f"{result.value}_ids")), "<i8")
            places = np.frombuffer(bytes(getattr(run, f"{result.value}_places")), "<i4")
            at = np.minimum(np.searchsorted(ids, wanted), max(len(ids) - 1, 0))
            for i in np.flatnonzero(ids[at] == wanted) if len(ids) else ():
                if seen(int(places[at[i]])):
                    counts[result.value] -= 1
    for _subject_id, result, place in changed:
        if result in counts and seen(place):
            counts[result] += 1
    return counts


def _places(actor, jurisdiction) -> np.ndarray | None:
    """Ids of the jurisdictions whose subjects the lists show the actor (under ``jurisdiction``),
    sorted; ``None``: every subject. The actor's visible jurisdictions only — never the places
    above its own (``core.scopes`` lets a town read its district's records; a district-level
    subject is not the town's)."""
    visible = visible_jurisdiction_ids(actor)
    if visible is None and jurisdiction is None:
        return None
    ids = None if visible is None else set(visible)
    if jurisdiction is not None:
        under = set(
            Jurisdiction.objects.filter(
                Q(pk=jurisdiction.pk) | Q(path__startswith=jurisdiction.path + "/")
            ).values_list("id", flat=True)
        )
        ids = under if ids is None else ids & under
    return np.array(sorted(ids), dtype=np.int32)


def _reevaluated_rows(policy: Policy) -> dict:
    """{subject id: the Match row a re-evaluation wrote since the policy's full match}, each with
    ``place``: the subject's jurisdiction id now (-1: none)."""
    column = _subject_field(policy)
    rows = (
        Match.objects.filter(policy=policy, computed_at__isnull=False)
        .select_related("version__policy")
        .annotate(place=F(f"{column}__jurisdiction_id"))
    )
    found = {}
    for m in rows:
        m.place = -1 if m.place is None else m.place
        found[getattr(m, f"{column}_id")] = m
    return found


def _run_list(run: MatchRun | None, result: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(ids, open condition, open count, jurisdiction then) of the run's eligible, almost or
    unknown subjects."""
    if run is None:
        return (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8), np.zeros(0, dtype=np.int8), None)
    ids = np.frombuffer(bytes(getattr(run, f"{result}_ids")), dtype="<i8")
    places = np.frombuffer(bytes(getattr(run, f"{result}_places")), dtype="<i4")
    if result == Result.UNKNOWN:
        open_index = np.frombuffer(bytes(run.unknown_open), dtype="i1")
        open_count = np.frombuffer(bytes(run.unknown_counts), dtype="i1")
    elif result == Result.ALMOST:
        open_index, open_count = np.frombuffer(bytes(run.almost_open), dtype="i1"), np.ones(len(ids), dtype=np.int8)
    else:
        open_index = open_count = np.zeros(len(ids), dtype=np.int8)
    return ids, open_index, open_count, places if len(places) == len(ids) else None


def _run_of(policy: Policy, result: str) -> MatchRun | None:
    """The policy's run with only the lists of ``result`` read (each a few MB at a million)."""
    lists = {
        Result.ELIGIBLE: ("eligible_ids", "eligible_places"),
        Result.ALMOST: ("almost_ids", "almost_open", "almost_places"),
        Result.UNKNOWN: ("unknown_ids", "unknown_open", "unknown_counts", "unknown_places"),
    }[result]
    run = MatchRun.objects.filter(policy=policy).select_related("version__policy").defer(*_RUN_LISTS).first()
    if run is not None:
        for name, value in (read_blobs(MatchRun, run.pk, lists) or {}).items():
            setattr(run, name, value)
    return run


def _subject_ids_in(policy: Policy, places: np.ndarray) -> np.ndarray:
    """Ids of the policy's kind of subject in these jurisdictions now, sorted (a read of up to a
    town's ~600,000 ids: only for a run stored without its subjects' jurisdictions)."""
    qs = (Person if policy.target == Target.PERSON else Enterprise).objects.filter(jurisdiction_id__in=places.tolist())
    ids = np.fromiter(qs.order_by().values_list("id", flat=True).iterator(chunk_size=20_000), dtype=np.int64)
    ids.sort()
    return ids


def _scoped(policy, result, run, places, reevaluated):
    """The run's list of ``result`` in ``places`` as the reader should see it now: ``(ids,
    open index, open count)`` sorted by id.

    A subject is placed where the run found it (its ``<result>_places``, no read of the
    registry); the subjects re-evaluated since are taken out and put back as their rows say now,
    where they are now — a move through the registry's services re-evaluates the subject, so it
    leaves the old town's list and joins the new one's. A subject moved without it (a bulk
    update) is still placed in the old town here, and is left out when its page is read
    (``_page_subjects``), so no list shows another town's subject."""
    ids, open_index, open_count, run_places = _run_list(run, result)
    if places is not None:
        if run_places is None:  # a run stored before it kept places: read the town's ids
            inside = np.isin(ids, _subject_ids_in(policy, places), assume_unique=True)
        else:
            inside = np.isin(run_places, places)
        ids, open_index, open_count = ids[inside], open_index[inside], open_count[inside]
    if reevaluated:
        stays = ~np.isin(ids, np.fromiter(reevaluated, dtype=np.int64, count=len(reevaluated)))
        listed = None if places is None else set(places.tolist())
        now = sorted(
            (pk, m) for pk, m in reevaluated.items() if m.result == result and (listed is None or m.place in listed)
        )
        ids = np.concatenate([ids[stays], np.array([pk for pk, _m in now], dtype=np.int64)])
        open_index = np.concatenate([open_index[stays], np.array([m.open_index or 0 for _p, m in now], dtype=np.int8)])
        open_count = np.concatenate([open_count[stays], np.array([m.open_count for _p, m in now], dtype=np.int8)])
        order = np.argsort(ids, kind="stable")
        ids, open_index, open_count = ids[order], open_index[order], open_count[order]
    return ids, open_index, open_count


def _page_subjects(policy: Policy, ids: list[int], places: np.ndarray | None) -> dict:
    """{id: subject} of one page's subjects that are still in ``places`` (a subject deleted, or
    moved out without being re-evaluated, since the match is not listed)."""
    qs = (Person if policy.target == Target.PERSON else Enterprise).objects.select_related("jurisdiction")
    if places is not None:
        qs = qs.filter(jurisdiction_id__in=places.tolist())
    return qs.in_bulk(ids)


@dataclass
class OpenMatches:
    """A policy's "almost" or "unknown" subjects as a list the paginators can page: ids in
    order, each shown as a ``Match`` (unsaved, unless a re-evaluation wrote it) with its
    subject loaded."""

    policy: Policy
    result: str
    run: MatchRun | None
    ids: np.ndarray
    open_index: np.ndarray
    open_count: np.ndarray
    reevaluated: dict  # subject id -> the Match row a later re-evaluation wrote
    places: np.ndarray | None = None  # the jurisdictions listed (None: all)

    @classmethod
    def of(cls, policy: Policy, result: str, places: np.ndarray | None) -> "OpenMatches":
        """The run's list in ``places`` (jurisdiction ids; None: all), less the subjects
        re-evaluated since, plus those re-evaluated into ``result`` (``_scoped``)."""
        run = _run_of(policy, result)
        reevaluated = _reevaluated_rows(policy)
        ids, open_index, open_count = _scoped(policy, result, run, places, reevaluated)
        return cls(policy, result, run, ids, open_index, open_count, reevaluated, places)

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]

        field = _subject_field(self.policy)
        chosen = range(len(self.ids))[index]
        ids = [int(self.ids[i]) for i in chosen]
        subjects = _page_subjects(self.policy, ids, self.places)
        items = []
        for i, subject_id in zip(chosen, ids):
            row = self.reevaluated.get(subject_id)
            if row is None:
                row = Match(
                    policy=self.policy,
                    version=self.run.version,
                    result=self.result,
                    open_index=int(self.open_index[i]),
                    open_count=int(self.open_count[i]),
                    evaluated_on=self.run.evaluated_on,
                    computed_at=self.run.computed_at,
                )
            if subject_id in subjects:
                setattr(row, field, subjects[subject_id])
                items.append(row)
        return items


def _id_column(qs: QuerySet, column: str) -> np.ndarray:
    """One integer column of a query as an array, fetched at once (not as model rows)."""
    sql, params = qs.order_by().values_list(column).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)


@dataclass
class OutreachMatches:
    """政策找人 as pages: the eligible subjects in the reader's jurisdictions (the run's eligible
    ids where the run found them, corrected by the re-evaluations since, as ``OpenMatches``)
    less those granted the policy or who applied for it (a few thousand ids), in subject id
    order; each page reads its ``Match`` rows. Counting and paging read no rows of the
    registry; ``outreach_list`` is the same list as a query over the rows (the campaign and the
    export iterate it)."""

    policy: Policy
    run: MatchRun | None
    ids: np.ndarray
    places: np.ndarray | None

    @classmethod
    def of(cls, policy: Policy, places: np.ndarray | None) -> "OutreachMatches | None":
        """None when the run's eligible ids cannot be used (a run stored without them)."""
        run = _run_of(policy, Result.ELIGIBLE)
        if run is not None:
            ids, _o, _c, run_places = _run_list(run, Result.ELIGIBLE)
            if len(ids) != run.eligible or (places is not None and run_places is None):
                return None
        ids = _scoped(policy, Result.ELIGIBLE, run, places, _reevaluated_rows(policy))[0]
        field = _subject_field(policy)
        granted = Grant.objects.filter(policy=policy, **{f"{field}__isnull": False})
        applied = OutreachContact.objects.filter(
            campaign__policy=policy, applied_on__isnull=False, **{f"{field}__isnull": False}
        )
        done = np.concatenate([_id_column(granted, f"{field}_id"), _id_column(applied, f"{field}_id")])
        if len(done):
            ids = ids[~np.isin(ids, done)]
        return cls(policy, run, ids, places)

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        field = _subject_field(self.policy)
        ids = [int(pk) for pk in self.ids[index]]
        rows = Match.objects.filter(policy=self.policy, result=Result.ELIGIBLE, **{f"{field}_id__in": ids})
        if self.places is not None:
            rows = rows.filter(**{f"{field}__jurisdiction_id__in": self.places.tolist()})
        found = {
            getattr(m, f"{field}_id"): m
            for m in rows.select_related(field, f"{field}__jurisdiction", "version__policy")
        }
        run_on = self.run.evaluated_on if self.run is not None else None
        for m in found.values():
            m.run_on = run_on
        return [found[pk] for pk in ids if pk in found]


def outreach_pages(*, actor, policy: Policy, jurisdiction=None):
    """政策找人 for a page, its count and the API: ``OutreachMatches``, or the query of
    ``outreach_list`` when the run cannot say."""
    if not can_view_matches(actor):
        raise NotFound()
    listed = OutreachMatches.of(policy, _places(actor, jurisdiction))
    return listed if listed is not None else outreach_list(actor=actor, policy=policy, jurisdiction=jurisdiction)


def outreach_list(*, actor, policy: Policy, jurisdiction=None) -> QuerySet[Match]:
    """政策找人: eligible subjects who have neither been granted the policy nor applied for it."""
    field = _subject_field(policy)
    granted = Grant.objects.filter(policy=policy, **{field: OuterRef(field)})
    applied = OutreachContact.objects.filter(
        campaign__policy=policy, applied_on__isnull=False, **{field: OuterRef(field)}
    )
    qs = match_list(actor=actor, policy=policy, result=Result.ELIGIBLE, jurisdiction=jurisdiction)
    return qs.exclude(Exists(granted)).exclude(Exists(applied)).order_by(f"{field}_id")


def scoped_match_counts(*, actor) -> dict:
    """{policy id: {result: count}} of the stored matches among the subjects the actor may see,
    for every policy matched or re-evaluated (see ``_counts_of``)."""
    if not can_view_matches(actor):
        raise NotFound()
    visible = _visible(actor)
    runs = {run.policy_id: run for run in MatchRun.objects.defer(*_RUN_LISTS)}
    changed_in = Match.objects.filter(computed_at__isnull=False).values_list("policy_id", flat=True).distinct()
    policies = list(Policy.objects.filter(pk__in={*runs, *changed_in}))
    changed = _reevaluated(policies)
    return {
        policy.pk: _counts_of(policy, runs.get(policy.pk), visible, changed.get(policy.pk, [])) for policy in policies
    }


def get_subject_for(actor, kind: str, subject_id):
    """A person or an enterprise in the actor's scope (``NotFound`` otherwise), as the registry's
    pages would find it, with its name only: the subject's page and the API name it and explain the
    rest from its facts (a whole row with its place took ~2 ms to build on PostgreSQL)."""

    if kind not in (Target.PERSON, Target.ENTERPRISE) or not can_view_matches(actor):
        raise NotFound()
    if not registry.can_view_people(actor):
        raise NotFound()
    model = Person if kind == Target.PERSON else Enterprise
    return get_scoped_or_404(model.objects.only("id", "name", "jurisdiction_id"), actor, pk=subject_id)


def campaign_list(*, actor, policy: Policy) -> QuerySet[OutreachCampaign]:
    if not can_view_matches(actor):
        raise NotFound()
    ids = visible_jurisdiction_ids(actor)
    qs = policy.campaigns.select_related("jurisdiction", "created_by")
    return qs if ids is None else qs.filter(jurisdiction_id__in=ids)


def get_campaign_for(actor, campaign_id) -> OutreachCampaign:
    if not can_view_matches(actor):
        raise NotFound()
    ids = visible_jurisdiction_ids(actor)
    qs = OutreachCampaign.objects.select_related("policy", "jurisdiction")
    if ids is not None:
        qs = qs.filter(jurisdiction_id__in=ids)
    try:
        return qs.get(pk=campaign_id)
    except (OutreachCampaign.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def campaign_contacts(*, actor, campaign: OutreachCampaign) -> QuerySet[OutreachContact]:
    field = _subject_field(campaign.policy)
    return _scope(campaign.contacts.all(), actor, field).select_related(field)


def grant_list(*, actor, policy: Policy) -> QuerySet[Grant]:
    field = _subject_field(policy)
    return _scope(policy.grants.all(), actor, field).select_related(field)


def campaign_jurisdictions(actor):
    """Where the actor may run a campaign: their own jurisdiction and everything under it."""
    return assignable_jurisdictions(actor)
