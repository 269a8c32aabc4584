import datetime
import itertools

import pytest

from chuangfu.core.models import Role
from chuangfu.policies.models import Policy, PolicyVersion, RuleTestCase, VersionStatus
from tests import factories as f

_villages = itertools.count(900)


def village(parent=None):
    """A demo village under 唐镇 with a code that stays 12 digits however many records tests made
    (``factories.village`` numbers from the shared counter, which property tests run past 999)."""
    from chuangfu.core.models import Jurisdiction

    parent = parent or f.town()
    n = next(_villages) % 1000
    return Jurisdiction.objects.get_or_create(
        code=f"{parent.code}{n:03d}",
        defaults={"name": f"演示村{n}", "level": Jurisdiction.Level.VILLAGE, "parent": parent, "is_demo": True},
    )[0]


def make_policy(
    *,
    code="test-policy",
    target="person",
    rule=None,
    effective_from=datetime.date(2024, 1, 1),
    effective_to=None,
    status=VersionStatus.PUBLISHED,
    jurisdiction=None,
    cases=(),
    **fields,
):
    """A policy with one version (published unless told otherwise), bypassing the services."""
    fields.setdefault("title", "测试政策")
    policy = Policy.objects.create(
        code=code,
        level=fields.pop("level", "town"),
        category=fields.pop("category", "startup"),
        target=target,
        jurisdiction=jurisdiction or f.town(),
        **fields,
    )
    version = PolicyVersion.objects.create(
        policy=policy,
        number=1,
        status=status,
        effective_from=effective_from,
        effective_to=effective_to,
        summary="测试摘要",
        rule=rule or {"all": [{"fact": "age", "op": "lte", "value": 35}]},
    )
    for name, expected, facts in cases:
        RuleTestCase.objects.create(version=version, name=name, expected=expected, facts=facts)
    return policy


@pytest.fixture
def desk(db):
    return f.user(role=Role.DESK_STAFF)


@pytest.fixture
def admin(db):
    user = f.user(role=Role.ADMIN)
    user.jurisdiction = None
    user.save(update_fields=["jurisdiction"])
    return user


def set_based(kind: str, rule: dict, ctx) -> dict:
    """{subject id: (result, first open condition, open conditions)} for every subject of the
    kind, from the set-based evaluation a full match runs (the registry read into columns)."""
    from chuangfu.policies import rules

    out = rules.outcome.outcome(rule, ctx, rules.Frames().get(kind))
    return {int(subject_id): out.row(i) for i, subject_id in enumerate(out.ids)}


def stored_match(*, policy, kind: str, subject_id: int):
    """What the stored matches say of one subject and policy: its row (eligible, or a later
    re-evaluation), else its entry in the run's almost/unknown lists (an unsaved ``Match``);
    ``None`` when it is ineligible or was never matched. Not scoped: callers check the subject."""
    import numpy as np

    from chuangfu.policies.models import Match, MatchRun, Result
    from chuangfu.policies.selectors.matches import _run_list

    row = Match.objects.filter(policy=policy, **{f"{kind}_id": subject_id}).select_related("version__policy").first()
    if row is not None:
        return None if row.result == Result.INELIGIBLE else row
    run = MatchRun.objects.filter(policy=policy).select_related("version__policy").first()
    for result in (Result.ALMOST, Result.UNKNOWN):
        ids, open_index, open_count, _places = _run_list(run, result)
        at = int(np.searchsorted(ids, subject_id))
        if at < len(ids) and ids[at] == subject_id:
            return Match(
                policy=policy,
                version=run.version,
                result=result,
                open_index=int(open_index[at]),
                open_count=int(open_count[at]),
                evaluated_on=run.evaluated_on,
                computed_at=run.computed_at,
                **{f"{kind}_id": subject_id},
            )
    return None
