"""Coverage and implementation rates (覆盖率 · 落实率), by policy and town, for a period.

For one policy, its *eligible subjects* (应享对象) are those the current match finds eligible,
plus those granted the policy in the period (a grant proves eligibility, and most rules stop
matching once the benefit was received). Of these:

* coverage rate (覆盖率) = those reached by an outreach contact in the period ÷ eligible subjects;
* implementation rate (落实率) = those granted the policy in the period ÷ eligible subjects.

Counts are grouped in the database by the subject's jurisdiction and folded into towns here;
everything is scoped to the actor's jurisdiction. ``subjects`` lists the people or enterprises
behind one cell of the table (drill-down).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from chuangfu.core.days import on_days
from chuangfu.core.errors import NotFound
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scoping import visible_jurisdiction_ids

from .models import Grant, Match, OutreachContact, Policy, Result, Target
from .permissions import can_view_matches
from .selectors import policy_list


@dataclass
class Figures:
    eligible: int = 0
    reached: int = 0
    granted: int = 0

    @property
    def coverage(self) -> float | None:
        return round(100 * self.reached / self.eligible, 1) if self.eligible else None

    @property
    def implementation(self) -> float | None:
        return round(100 * self.granted / self.eligible, 1) if self.eligible else None

    def add(self, other: "Figures") -> None:
        self.eligible += other.eligible
        self.reached += other.reached
        self.granted += other.granted


@dataclass
class PolicyRates:
    policy: Policy
    total: Figures = field(default_factory=Figures)
    by_town: dict = field(default_factory=dict)  # town -> Figures


def _field(policy: Policy) -> str:
    return "person" if policy.target == Target.PERSON else "enterprise"


def _base(qs, actor, subject: str):
    ids = visible_jurisdiction_ids(actor)
    return qs if ids is None else qs.filter(**{f"{subject}__jurisdiction_id__in": ids})


def _querysets(policy: Policy, actor, start: datetime.date, end: datetime.date):
    """(eligible-by-match, granted-but-no-longer-matched, reached, granted) querysets of subjects."""
    subject = _field(policy)
    granted = _base(Grant.objects.filter(policy=policy, granted_on__gte=start, granted_on__lte=end), actor, subject)
    eligible_match = _base(Match.objects.filter(policy=policy, result=Result.ELIGIBLE), actor, subject)
    matched = Match.objects.filter(policy=policy, result=Result.ELIGIBLE, **{subject: OuterRef(subject)})
    granted_only = granted.exclude(Exists(matched))
    in_period = Grant.objects.filter(
        policy=policy, granted_on__gte=start, granted_on__lte=end, **{subject: OuterRef(subject)}
    )
    reached = _base(
        OutreachContact.objects.filter(on_days("reached_at", start, end), campaign__policy=policy),
        actor,
        subject,
    ).filter(Q(Exists(matched)) | Q(Exists(in_period)))
    return eligible_match, granted_only, reached, granted


def _towns() -> dict[int, Jurisdiction]:
    """jurisdiction id -> its town (districts map to themselves)."""
    places = {j.pk: j for j in Jurisdiction.objects.all()}
    return {
        pk: (j.parent and places[j.parent_id] if j.level == Jurisdiction.Level.VILLAGE else j)
        for pk, j in places.items()
    }


def policy_rates(*, actor, start: datetime.date, end: datetime.date, policies=None) -> list[PolicyRates]:
    if not can_view_matches(actor):
        raise NotFound()
    towns = _towns()
    out = []
    if policies is None:  # the policies the actor may see: no other town's draft
        policies = policy_list(actor=actor).prefetch_related(None).order_by("level", "title")
    for policy in policies:
        subject = _field(policy)
        rates = PolicyRates(policy)
        eligible_match, granted_only, reached, granted = _querysets(policy, actor, start, end)
        place = f"{subject}__jurisdiction_id"
        counts = defaultdict(Figures)
        for qs, attr in (
            (eligible_match, "eligible"),
            (granted_only, "eligible"),
            (reached, "reached"),
            (granted, "granted"),
        ):
            for jurisdiction_id, n in qs.values_list(place).annotate(n=Count(subject, distinct=True)).order_by():
                figures = counts[towns[jurisdiction_id]]
                setattr(figures, attr, getattr(figures, attr) + n)
        for town, figures in sorted(counts.items(), key=lambda item: item[0].path):
            rates.by_town[town] = figures
            rates.total.add(figures)
        out.append(rates)
    return out


def subjects(*, actor, policy: Policy, start: datetime.date, end: datetime.date, town: Jurisdiction | None = None):
    """The eligible subjects behind a row, each with whether they were reached and granted."""
    if not can_view_matches(actor):
        raise NotFound()
    subject = _field(policy)
    eligible_match, granted_only, reached, granted = _querysets(policy, actor, start, end)
    ids = set(eligible_match.values_list(subject, flat=True)) | set(granted_only.values_list(subject, flat=True))
    reached_ids = set(reached.values_list(subject, flat=True))
    granted_ids = set(granted.values_list(subject, flat=True))
    model = policy.matches.model._meta.get_field(subject).related_model
    qs = model.objects.filter(pk__in=ids).select_related("jurisdiction")
    if town is not None:
        qs = qs.filter(Q(jurisdiction__path=town.path) | Q(jurisdiction__path__startswith=town.path + "/"))
    return [(s, s.pk in reached_ids, s.pk in granted_ids) for s in qs.order_by("jurisdiction__path", "name")]
