"""Reads shared by the pages and the API.

Policies are public once a version is published; drafts are seen only by those who may edit
them. Everything that names a person or an enterprise — matches, outreach lists, grants, rates —
is scoped by the subject's jurisdiction (``core.scoping``), never only in a template.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import Jurisdiction, Role
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.core.search import bounded_query, bounded_terms
from chuangfu.registry import selectors as registry
from chuangfu.registry.models import Enterprise, Person
from chuangfu.registry.search import words

from . import rules
from .models import (
    Consultation,
    Grant,
    Level,
    Match,
    MatchRun,
    OutreachCampaign,
    OutreachContact,
    Policy,
    PolicyVersion,
    Result,
    RuleTestCase,
    Target,
    VersionStatus,
)
from .permissions import can_approve_policy, can_edit_policies, can_edit_policy, can_view_matches


def _published_versions() -> QuerySet:
    return PolicyVersion.objects.filter(status=VersionStatus.PUBLISHED)


def search_q(query: str) -> Q:
    """Every word of the query (cut by jieba: 创业补贴 → 创业 + 补贴) occurs in the policy's text."""
    q = Q()
    for term in bounded_terms(bounded_query(query).split()):
        for word in bounded_terms(words(term)) or [term]:
            q &= Q(search_text__icontains=word)
    return q


def policy_list(*, actor=None, filters: Mapping | None = None, public: bool = False) -> QuerySet[Policy]:
    """Policies with at least one published version; editors also see the drafts of the policies
    their jurisdiction maintains (``public=False``), never another town's."""
    filters = filters or {}
    qs = Policy.objects.select_related("jurisdiction", "handling_unit")
    has_published = Exists(_published_versions().filter(policy=OuterRef("pk")))
    if public or not can_edit_policies(actor):
        qs = qs.filter(has_published)
    else:
        ids = visible_jurisdiction_ids(actor)
        if ids is not None:
            qs = qs.filter(has_published | Q(jurisdiction_id__in=ids))
    for name in ("level", "category", "target", "obtain_mode"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("jurisdiction"):
        qs = qs.filter(jurisdiction__code=filters["jurisdiction"])
    if filters.get("q"):
        qs = qs.filter(search_q(str(filters["q"])))
    current = (
        _published_versions()
        .filter(effective_from__lte=timezone.localdate())
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=timezone.localdate()))
        .order_by("-effective_from")
    )
    rank = Case(*[When(level=code, then=Value(i)) for i, code in enumerate(Level.values)], output_field=IntegerField())
    return qs.prefetch_related(Prefetch("versions", queryset=current, to_attr="current_versions")).order_by(
        rank, "category", "title"
    )


def get_policy(policy_id, *, actor=None, public: bool = False) -> Policy:
    """A policy by id; unpublished ones exist only for editors."""
    qs = policy_list(actor=actor, public=public)
    try:
        return qs.get(pk=policy_id)
    except (Policy.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def version_list(policy: Policy, *, actor=None, public: bool = False) -> QuerySet[PolicyVersion]:
    """The policy's versions, newest first; drafts only for the editors of its own jurisdiction."""
    qs = policy.versions.order_by("-number")
    if public or not can_edit_policy(actor, policy):
        qs = qs.filter(status=VersionStatus.PUBLISHED)
    return qs


def get_version(policy: Policy, number, *, actor=None, public: bool = False) -> PolicyVersion:
    qs = version_list(policy, actor=actor, public=public)
    try:
        return qs.get(number=number)
    except (PolicyVersion.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def current_version(policy: Policy, on: datetime.date | None = None) -> PolicyVersion | None:
    """The version in force on ``on`` (today), else the newest published one."""
    on = on or timezone.localdate()
    published = list(_published_versions().filter(policy=policy).order_by("-effective_from"))
    return next((v for v in published if v.in_force_on(on)), published[0] if published else None)


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


# --- the version in force and explanations (reads the services, pages and API share) -------------


def version_validity(v: PolicyVersion) -> str:
    """A version's period in words: 2024-01-01 起, or 2024-01-01 至 2024-06-30."""
    if v.effective_to is None:
        return _("%(start)s 起") % {"start": v.effective_from}
    return _("%(start)s 至 %(end)s") % {"start": v.effective_from, "end": v.effective_to}


def version_in_force(policy: Policy, on: datetime.date) -> PolicyVersion:
    """The published version valid on ``on``; a clear error when no version covers that day."""
    for version in policy.versions.filter(status=VersionStatus.PUBLISHED).order_by("-effective_from"):
        if version.in_force_on(on):
            return version
    published = policy.versions.filter(status=VersionStatus.PUBLISHED).order_by("effective_from")
    periods = pgettext("punctuation", "；").join(
        _("第%(n)d版 %(validity)s") % {"n": v.number, "validity": version_validity(v)} for v in published
    ) or _("尚无已发布版本")
    raise DomainError(
        "no_version_in_force",
        _("“%(title)s”在 %(day)s 没有有效的版本（%(periods)s）。")
        % {"title": policy.title, "day": on, "periods": periods},
        status=409,
    )


def versions_in_force(on: datetime.date, target: str | None = None):
    """Every policy's published version valid on ``on`` (policies without one are left out)."""
    qs = (
        PolicyVersion.objects.filter(status=VersionStatus.PUBLISHED, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .select_related("policy")
    )
    if target is not None:
        qs = qs.filter(policy__target=target)
    return list(qs.order_by("policy__level", "policy__title"))


@dataclass
class PolicyExplanation:
    policy: Policy
    version: PolicyVersion
    explanation: rules.Explanation

    @property
    def result(self) -> str:
        return self.explanation.result


_SNAPSHOTS: dict = {}


def _library_stamp() -> tuple:
    """What changes when the library or the places change: versions (count, last edit, last
    publication), policies (last edit) and jurisdictions (count) — one small plain SELECT."""

    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(v.id), MAX(v.updated_at), MAX(v.published_at), MAX(p.updated_at), "
            f"(SELECT COUNT(*) FROM {qn(Jurisdiction._meta.db_table)}) "
            f"FROM {qn(PolicyVersion._meta.db_table)} v LEFT JOIN {qn(Policy._meta.db_table)} p ON p.id = v.policy_id"
        )
        return tuple(cursor.fetchone())


def _library_snapshot(on: datetime.date, target: str):
    """The versions in force and the lookup tables, read once per change of the library.

    Explaining one subject must be quick (policies-explain: p95 ≤ 20 ms), so the versions in force
    and the policy and place tables are kept per process and re-read only when a cheap aggregate
    over them changes (a version added, edited or published, a policy or jurisdiction added).
    """
    key = (on, target, _library_stamp())
    if key not in _SNAPSHOTS:
        if len(_SNAPSHOTS) > 32:
            _SNAPSHOTS.clear()
        base = rules.Context(on=on).for_policy("")
        _SNAPSHOTS[key] = ([v for v in versions_in_force(on, target) if v.rule], base)
    return _SNAPSHOTS[key]


def subject_explanations(source, target: str, on: datetime.date) -> list[PolicyExplanation]:
    """``source`` (a ``rules.RecordSource`` or ``GivenSource``) against every policy in force."""
    versions, base = _library_snapshot(on, target)
    return [
        PolicyExplanation(v.policy, v, rules.explain(v.rule, source, base.for_policy(v.policy.code))) for v in versions
    ]


def explain_subject(kind: str, subject_id: int, on: datetime.date | None = None) -> list[PolicyExplanation]:
    record = rules.load_subject(kind, subject_id)
    if record is None:
        return []
    return subject_explanations(rules.RecordSource(record), kind, on or timezone.localdate())


def explain_policy_for(
    *, kind: str, subject_id: int, policy: Policy, on: datetime.date | None = None
) -> PolicyExplanation:
    """One subject against one policy's version in force on ``on`` (today): every condition
    with its status and the subject's value — the pre-check before an application.

    Raises ``DomainError``: no version in force that day, a subject of the other kind, or (404)
    no such subject. The caller has already checked that the actor may see the subject.
    """
    on = on or timezone.localdate()
    if kind != policy.target:
        raise DomainError("wrong_subject", _("这项政策面向%(target)s。") % {"target": policy.get_target_display()})
    version = version_in_force(policy, on)
    record = rules.load_subject(kind, subject_id)
    if record is None:
        raise DomainError("not_found", _("记录不存在或您无权查看。"), status=404)
    ctx = rules.Context(on=on, policy_code=policy.code)
    return PolicyExplanation(policy, version, rules.explain(version.rule, rules.RecordSource(record), ctx))


# --- rule test cases -------------------------------------------------------------------------------


@dataclass
class CaseResult:
    case: RuleTestCase
    actual: str  # the result class the rule gives
    explanation: "rules.Explanation | None"
    error: str = ""

    @property
    def passed(self) -> bool:
        return not self.error and self.actual == self.case.expected

    def describe(self) -> str:
        if self.error:
            return f"“{self.case.name}”：{self.error}"
        reasons = (
            "；".join(f"{c.text}（{c.status_label}）" for c in self.explanation.open_conditions)
            if self.explanation
            else ""
        )
        text = _("“%(name)s”预期%(expected)s，实际%(actual)s") % {
            "name": self.case.name,
            "expected": Result(self.case.expected).label,
            "actual": Result(self.actual).label,
        }
        return f"{text}{'：' + reasons if reasons else ''}"


def rule_case_results(version: PolicyVersion) -> list[CaseResult]:
    """Run every test case of ``version`` against its current rule."""
    results = []
    ctx = rules.Context(on=version.effective_from, policy_code=version.policy.code)
    for case in version.test_cases.all():
        if not version.rule:
            results.append(CaseResult(case, "", None, _("尚未设置享受条件")))
            continue
        try:
            explanation = rules.explain(version.rule, rules.GivenSource(case.facts), ctx)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            results.append(CaseResult(case, "", None, _("用例数据无法读取（%(error)s）") % {"error": exc}))
            continue
        results.append(CaseResult(case, explanation.result, explanation))
    return results


# --- drafting a town's own policy (征求意见) -----------------------------------------------------


def consultation_for(consultation_id, *, actor) -> Consultation:
    """A round of 征求意见 the actor may read: the maintainers and the leadership of the policy's
    jurisdiction, and the liaisons of the units it asks; anything else is "not found"."""
    try:
        consultation = Consultation.objects.select_related("version__policy__jurisdiction", "opened_by").get(
            pk=consultation_id
        )
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    policy = consultation.version.policy
    if can_edit_policy(actor, policy) or can_approve_policy(actor, policy):
        return consultation
    if actor.role == Role.UNIT_LIAISON and actor.unit_id and consultation.units.filter(pk=actor.unit_id).exists():
        return consultation
    raise NotFound()


def drafting_rounds(actor) -> QuerySet[Consultation]:
    """The rounds the actor takes part in, newest first: for a liaison those asking its unit; for the
    maintainers and the leadership those of the policies of their jurisdictions."""
    qs = Consultation.objects.select_related("version__policy").order_by("-opened_at", "-pk")
    if actor.role == Role.UNIT_LIAISON:
        return qs.filter(units=actor.unit_id) if actor.unit_id else qs.none()
    ids = visible_jurisdiction_ids(actor)
    return qs if ids is None else qs.filter(version__policy__jurisdiction_id__in=ids)


@dataclass
class ClauseView:
    number: int | None  # None: comments on the whole text
    text: str
    comments: list


def consultation_clauses(consultation: Consultation) -> list[ClauseView]:
    """The round's text clause by clause, each with its comments (the whole-text comments first)."""
    comments = list(consultation.comments.select_related("unit", "author", "responded_by"))
    by_clause = {}
    for comment in comments:
        by_clause.setdefault(comment.clause, []).append(comment)
    whole = [ClauseView(None, "", by_clause.get(None, []))] if by_clause.get(None) else []
    return whole + [ClauseView(n, text, by_clause.get(n, [])) for n, text in enumerate(consultation.clauses, start=1)]


def consultation_units(consultation: Consultation) -> list[dict]:
    """Each unit asked, with whether and how it replied and how many comments it made."""
    replies = {r.unit_id: r for r in consultation.replies.all()}
    counts = {}
    for unit_id in consultation.comments.values_list("unit_id", flat=True):
        counts[unit_id] = counts.get(unit_id, 0) + 1
    return [
        {"unit": unit, "reply": replies.get(unit.pk), "comments": counts.get(unit.pk, 0)}
        for unit in consultation.units.order_by("name")
    ]
