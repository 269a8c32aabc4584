"""The library's reads: policies and versions (drafts only for their editors), the version in force,
explanations of one subject or policy, and rule test-case results."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.core.search import bounded_query, bounded_terms
from chuangfu.registry.search import words

from .. import rules
from ..models import (
    Level,
    Policy,
    PolicyVersion,
    Result,
    RuleTestCase,
    VersionStatus,
)
from ..permissions import can_edit_policies, can_edit_policy


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
