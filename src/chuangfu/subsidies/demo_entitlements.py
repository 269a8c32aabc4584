"""Demo 免申即享: a town policy granted without applying, last month's batch of 唐镇 published as a
公示 (one subject excluded with a reason, approved by the leadership) and this month's batch
waiting for review, so ``make demo`` shows the whole path. Idempotent: what exists is kept."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from chuangfu.core.models import Jurisdiction
from chuangfu.policies.models import (
    BenefitKind,
    Category,
    Level,
    ObtainMode,
    Policy,
    PolicyVersion,
    Target,
    VersionStatus,
)

from .models import EntitlementBatch
from .services import entitlement_review as review
from .services import entitlements

TANGZHEN = "310115114"
CODE = "tz-youth-founder-auto"


def _policy(town: Jurisdiction) -> Policy:
    policy = Policy.objects.filter(code=CODE).first()
    if policy is not None:
        return policy
    policy = Policy.objects.create(
        code=CODE,
        level=Level.TOWN,
        category=Category.STARTUP,
        target=Target.PERSON,
        title="唐镇青年创业者生活补贴（免申即享示例）",
        issuing_body="唐镇人民政府",
        jurisdiction=town,
        is_example=True,
        handling_unit_name="唐镇社区事务受理服务中心",
        obtain_mode=ObtainMode.AUTOMATIC,
    )
    PolicyVersion.objects.create(
        policy=policy,
        number=1,
        status=VersionStatus.PUBLISHED,
        published_at=timezone.now(),
        effective_from=datetime.date(2025, 1, 1),
        summary="【镇级政策示例，金额和条件须由唐镇确认】常住唐镇、35 周岁以下、有创业意向或已创业的青年，"
        "每月给予生活补贴 600 元，免申即享：按登记信息按月认定，公示无异议后发放。",
        benefit_kind=BenefitKind.FIXED,
        benefit_amount=Decimal("600"),
        rule={
            "all": [
                {"fact": "residence", "op": "within", "value": TANGZHEN},
                {"fact": "age", "op": "between", "value": [18, 35]},
                {"fact": "entrepreneurial_intent", "op": "is", "value": True},
            ]
        },
    )
    return policy


def seed_entitlements(today: datetime.date | None = None) -> list[str]:
    """Last month's batch published, this month's built; returns the numbers of batches made."""
    town = Jurisdiction.objects.filter(code=TANGZHEN).first()
    users = get_user_model().objects
    reviewer, reviewer2, leader = (
        users.filter(username=n).first() for n in ("tz_reviewer", "tz_reviewer2", "tz_leader")
    )
    if town is None or None in (reviewer, reviewer2, leader):
        return []
    policy = _policy(town)
    today = today or timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    made = []
    if not EntitlementBatch.objects.filter(policy=policy, jurisdiction=town).exists():
        report = entitlements.entitlement_batches_build(policy=policy, on=last_month, town=town, actor=reviewer)
        for batch in report.created:
            made.append(batch.number)
            line = batch.lines.filter(included=True).order_by("-id").first()
            if line is not None and batch.lines.filter(included=True).count() > 1:
                review.entitlement_line_exclude(
                    actor=reviewer, line=line, reason="本人已在张江镇领取同类补贴（电话核实）"
                )
            review.entitlement_batch_submit(actor=reviewer, batch=batch)
            review.entitlement_batch_approve(actor=leader, batch=batch, note="同意发放")
            review.entitlement_batch_publish(actor=reviewer2, batch=batch)
    current = entitlements.entitlement_batches_build(policy=policy, on=today, town=town)
    made += [b.number for b in current.created]
    return made
