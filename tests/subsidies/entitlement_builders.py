"""A 免申即享 policy and a registry to build its batches from (two towns), for the entitlement tests."""

import datetime
from decimal import Decimal

from chuangfu.core.models import Role
from chuangfu.policies.models import ObtainMode
from chuangfu.subsidies.services import entitlement_review as review
from chuangfu.subsidies.services import entitlements
from tests import factories as f
from tests.access_world import OTHER_TOWN
from tests.policies.conftest import make_policy

YOUNG = datetime.date(1996, 5, 1)  # 29 on the cycle date 2026-03-01
OLD = datetime.date(1980, 5, 1)


def automatic_policy(*, code="youth-auto", amount=Decimal("3000"), jurisdiction=None, **fields):
    policy = make_policy(
        code=code,
        jurisdiction=jurisdiction,
        title=fields.pop("title", "青年创业免申即享补贴"),
        obtain_mode=ObtainMode.AUTOMATIC,
        target=fields.pop("target", "person"),
        rule=fields.pop("rule", {"all": [{"fact": "age", "op": "lte", "value": 35}]}),
    )
    version = policy.versions.get()
    version.benefit_kind = fields.pop("benefit_kind", "fixed")
    version.benefit_amount = amount
    for name, value in fields.items():
        setattr(version, name, value)
    version.save()
    return policy


def person(name, birth=YOUNG, town=None, **fields):
    return f.person(name=name, jurisdiction=town, id_number=f.id_number(birth=birth), **fields)


def other_town():
    return f.town(OTHER_TOWN)


def staff(town=None):
    """Two reviewers and a leader of ``town`` (唐镇 by default)."""
    return (
        f.user(role=Role.REVIEWER, jurisdiction=town, display_name="审核甲"),
        f.user(role=Role.REVIEWER, jurisdiction=town, display_name="审核乙"),
        f.user(role=Role.LEADER, jurisdiction=town, display_name="办公室主任"),
    )


def built(policy, town=None, actor=None):
    """The policy's batch of this cycle in ``town`` (built now)."""
    report = entitlements.entitlement_batches_build(policy=policy, town=town or f.town(), actor=actor)
    return (report.created or report.existing)[0]


def approved(batch, reviewer, leader):
    review.entitlement_batch_submit(actor=reviewer, batch=batch)
    return review.entitlement_batch_approve(actor=leader, batch=batch)
