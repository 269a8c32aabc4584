"""Everything that names a person or an enterprise — matches, counts, outreach lists, campaigns,
grants — scoped by the subject's jurisdiction (``core.scoping``), never only in a template."""

from dataclasses import dataclass

import numpy as np
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from chuangfu.core.errors import NotFound
from chuangfu.core.scoping import assignable_jurisdictions, visible_jurisdiction_ids
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
        return OpenMatches.of(policy, result, _scope_ids(actor, policy, jurisdiction))
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


def _scope_ids(actor, policy: Policy, jurisdiction) -> np.ndarray | None:
    """Ids of the policy's kind of subject that the actor may see (under ``jurisdiction``);
    ``None``: all of them."""

    visible = visible_jurisdiction_ids(actor)
    if visible is None and jurisdiction is None:
        return None
    qs = (Person if policy.target == Target.PERSON else Enterprise).objects.all()
    if visible is not None:
        qs = qs.filter(jurisdiction_id__in=visible)
    if jurisdiction is not None:
        qs = qs.filter(
            Q(jurisdiction__path=jurisdiction.path) | Q(jurisdiction__path__startswith=jurisdiction.path + "/")
        )
    return np.fromiter(qs.order_by().values_list("id", flat=True).iterator(chunk_size=20_000), dtype=np.int64)


def _run_list(run: MatchRun | None, result: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ids, open condition, open count) of the run's almost or unknown subjects."""
    if run is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8), np.zeros(0, dtype=np.int8)
    if result == Result.ALMOST:
        ids = np.frombuffer(bytes(run.almost_ids), dtype="<i8")
        return ids, np.frombuffer(bytes(run.almost_open), dtype="i1"), np.ones(len(ids), dtype=np.int8)
    return (
        np.frombuffer(bytes(run.unknown_ids), dtype="<i8"),
        np.frombuffer(bytes(run.unknown_open), dtype="i1"),
        np.frombuffer(bytes(run.unknown_counts), dtype="i1"),
    )


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

    @classmethod
    def of(cls, policy: Policy, result: str, scope: np.ndarray | None) -> "OpenMatches":
        """The run's list, less the subjects re-evaluated since (their rows say what they are
        now), plus those re-evaluated into ``result``; then only those in ``scope``."""
        run = MatchRun.objects.filter(policy=policy).select_related("version__policy").first()
        ids, open_index, open_count = _run_list(run, result)
        column = f"{_subject_field(policy)}_id"
        reevaluated = {
            getattr(m, column): m
            for m in Match.objects.filter(policy=policy, computed_at__isnull=False).select_related("version__policy")
        }
        if reevaluated:
            stays = ~np.isin(ids, np.fromiter(reevaluated, dtype=np.int64, count=len(reevaluated)))
            now = [m for m in reevaluated.values() if m.result == result]
            ids = np.concatenate([ids[stays], np.array([getattr(m, column) for m in now], dtype=np.int64)])
            open_index = np.concatenate([open_index[stays], np.array([m.open_index or 0 for m in now], dtype=np.int8)])
            open_count = np.concatenate([open_count[stays], np.array([m.open_count for m in now], dtype=np.int8)])
            order = np.argsort(ids, kind="stable")
            ids, open_index, open_count = ids[order], open_index[order], open_count[order]
        if scope is not None:
            inside = np.isin(ids, scope)
            ids, open_index, open_count = ids[inside], open_index[inside], open_count[inside]
        return cls(policy, result, run, ids, open_index, open_count, reevaluated)

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
        subjects = (Person if field == "person" else Enterprise).objects.select_related("jurisdiction").in_bulk(ids)
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
            if subject_id in subjects:  # a subject deleted since the match is not listed
                setattr(row, field, subjects[subject_id])
                items.append(row)
        return items


def outreach_list(*, actor, policy: Policy, jurisdiction=None) -> QuerySet[Match]:
    """政策找人: eligible subjects who have neither been granted the policy nor applied for it."""
    field = _subject_field(policy)
    granted = Grant.objects.filter(policy=policy, **{field: OuterRef(field)})
    applied = OutreachContact.objects.filter(
        campaign__policy=policy, applied_on__isnull=False, **{field: OuterRef(field)}
    )
    qs = match_list(actor=actor, policy=policy, result=Result.ELIGIBLE, jurisdiction=jurisdiction)
    return qs.exclude(Exists(granted)).exclude(Exists(applied))


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
    """A person or an enterprise in the actor's scope (``NotFound`` otherwise)."""

    if kind not in (Target.PERSON, Target.ENTERPRISE) or not can_view_matches(actor):
        raise NotFound()
    getter = registry.get_person_for if kind == Target.PERSON else registry.get_enterprise_for
    return getter(actor, subject_id)


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
