"""免申即享: an automatic policy's batch per cycle and town, built from its eligible subjects on the
cycle date, reviewed (lines excluded with reasons), approved by the leadership, published as a 公示
whose upheld objections take a line out, paid once per subject, policy and cycle, every
beneficiary told."""

import datetime
from decimal import Decimal

import pytest

from chuangfu.core.errors import DomainError
from chuangfu.core.models import AuditEntry, Notification, Role
from chuangfu.core.notifications.sms import LocmemSmsBackend
from chuangfu.core.workflow import SYSTEM
from chuangfu.policies.models import Grant, Match
from chuangfu.policies.services.matching import policy_match
from chuangfu.subsidies.models import (
    Application,
    Disbursement,
    EntitlementBatch,
    EntitlementLine,
    EntitlementSource,
    EntitlementStatus,
    NoticeStatus,
    Status,
)
from chuangfu.subsidies.services import disbursements, entitlements, notices
from chuangfu.subsidies.services import entitlement_review as review
from tests import factories as f

from .entitlement_builders import OLD, approved, automatic_policy, built, other_town, person, staff

CYCLE_ON = datetime.date(2026, 3, 1)  # the ``today`` fixture is Monday 2026-03-02


@pytest.fixture
def world(db, today):
    policy = automatic_policy()
    young = person("李青年")
    young2 = person("王小明")
    person("赵年长", birth=OLD)
    far = person("钱远方", town=other_town())
    reviewer, reviewer2, leader = staff()
    return {
        "policy": policy,
        "young": young,
        "young2": young2,
        "far": far,
        "r1": reviewer,
        "r2": reviewer2,
        "leader": leader,
    }


def _published(world, django_capture_on_commit_callbacks, days=5):
    batch = approved(built(world["policy"], actor=world["r1"]), world["r1"], world["leader"])
    with django_capture_on_commit_callbacks(execute=True):
        return review.entitlement_batch_publish(actor=world["r2"], batch=batch, days=days)


# --- building ----------------------------------------------------------------------------------------


def test_a_cycle_makes_one_batch_per_town_of_the_subjects_eligible_on_its_first_day(world):
    report = entitlements.entitlement_batches_build(policy=world["policy"])
    assert (report.period, report.cycle_on) == ("2026-03", CYCLE_ON)
    assert sorted(b.jurisdiction.code for b in report.created) == ["310115114", "310115125"]
    own = next(b for b in report.created if b.jurisdiction == f.town())
    assert own.status == EntitlementStatus.REVIEWING and own.number.startswith("MS2026")
    lines = {line.person.name: line for line in own.lines.select_related("person")}
    assert set(lines) == {"李青年", "王小明"}  # 赵年长 is 45
    line = lines["李青年"]
    assert line.amount == Decimal("3000.00") and line.basis == "定额 3000.00 元"
    assert line.explanation == [
        {
            "text": "年龄不超过 35 周岁",
            "status": "met",
            "actual": "29 周岁",
            "i18n": {"en": {"text": "Age at most 35 years", "actual": "29 years"}},
        }
    ]
    assert AuditEntry.objects.filter(action="subsidies.entitlement.built", object_id=str(own.pk)).exists()


def test_building_a_cycle_again_makes_nothing_new(world):
    first = entitlements.entitlement_batches_build(policy=world["policy"])
    again = entitlements.entitlement_batches_build(policy=world["policy"])
    on_demand = entitlements.entitlement_batches_build(policy=world["policy"], town=f.town(), actor=world["r1"])
    assert again.created == [] and on_demand.created == []
    assert {b.pk for b in again.existing} == {b.pk for b in first.created}
    assert EntitlementBatch.objects.count() == 2 and EntitlementLine.objects.count() == 3
    assert entitlements.entitlements_build_due() == []


def test_the_stored_match_is_used_when_it_was_run_on_the_cycle_date_and_rechecked_per_subject(world):
    policy_match(policy=world["policy"], on=CYCLE_ON)
    # the registry changed after the match: 王小明 is now recorded as born in 1980
    world["young2"].birth_date = OLD
    world["young2"].save(update_fields=["birth_date"])
    assert Match.objects.filter(policy=world["policy"], person=world["young2"], result="eligible").exists()
    report = entitlements.entitlement_batches_build(policy=world["policy"], town=f.town(), actor=world["r1"])
    batch = report.created[0]
    assert batch.source == EntitlementSource.STORED
    assert [line.person.name for line in batch.lines.all()] == ["李青年"]
    assert report.dropped == 1


def test_a_stale_match_is_not_trusted_the_cycle_date_is_evaluated_again(world):
    policy_match(policy=world["policy"], on=datetime.date(2025, 1, 1))
    batch = built(world["policy"], actor=world["r1"])
    assert batch.source == EntitlementSource.EVALUATED
    assert batch.lines.count() == 2


def test_per_head_per_month_pays_an_enterprises_insured_employees_for_each_month_of_a_quarterly_cycle(world, today):
    policy = automatic_policy(
        code="jobs-auto",
        target="enterprise",
        amount=Decimal("500"),
        benefit_kind="per_head_month",
        benefit_max_heads=5,
        benefit_cap=Decimal("6000"),
        rule={"all": [{"fact": "insured_employees", "op": "gte", "value": 1}]},
    )
    small = f.enterprise(name="小店", insured_employees=3)
    big = f.enterprise(name="大厂", insured_employees=40)
    entitlements.entitlement_cycle_set(actor=f.user(role=Role.DESK_STAFF), policy=policy, cycle="quarter")
    batch = built(policy, actor=world["r1"])
    assert (batch.period, batch.cycle_on) == ("2026Q1", datetime.date(2026, 1, 1))
    lines = {line.enterprise_id: line for line in batch.lines.all()}
    assert lines[small.pk].amount == Decimal("4500.00")
    assert lines[small.pk].basis == "500.00 元 × 3 人 × 3 个月"
    assert lines[big.pk].amount == Decimal("6000.00") and "封顶" in lines[big.pk].basis


def test_a_subject_that_used_up_the_policy_is_listed_as_excluded_with_the_reason(world):
    version = world["policy"].versions.get()
    version.max_times = 1
    version.save(update_fields=["max_times"])
    Grant.objects.create(
        policy=world["policy"], person=world["young"], granted_on=datetime.date(2025, 6, 1), source="import"
    )
    batch = built(world["policy"], actor=world["r1"])
    line = batch.lines.get(person=world["young"])
    assert not line.included and "已享受本政策 1 次" in line.exclusion_reason


@pytest.mark.parametrize(
    ("mode", "kind", "code"),
    [("apply_here", "fixed", "not_automatic"), ("automatic", "loan", "benefit_not_payable")],
)
def test_only_an_automatic_policy_with_a_payable_benefit_is_built(world, mode, kind, code):
    policy = world["policy"]
    policy.obtain_mode = mode
    policy.save(update_fields=["obtain_mode"])
    policy.versions.update(benefit_kind=kind)
    with pytest.raises(DomainError) as refused:
        entitlements.entitlement_batches_build(policy=policy)
    assert refused.value.code == code
    assert not EntitlementBatch.objects.exists()


def test_a_reviewer_builds_only_for_a_town_they_see(world):
    with pytest.raises(DomainError) as refused:
        entitlements.entitlement_batches_build(policy=world["policy"], town=other_town(), actor=world["r1"])
    assert refused.value.status == 404
    with pytest.raises(DomainError) as refused:
        entitlements.entitlement_batches_build(policy=world["policy"], town=f.town(), actor=world["leader"])
    assert refused.value.status == 403


# --- review and approval ------------------------------------------------------------------------


def test_a_reviewer_excludes_a_line_with_a_reason_and_may_take_it_back(world):
    batch = built(world["policy"], actor=world["r1"])
    line = batch.lines.get(person=world["young2"])
    with pytest.raises(DomainError) as refused:
        review.entitlement_line_exclude(actor=world["r1"], line=line, reason=" ")
    assert refused.value.code == "reason_required"
    review.entitlement_line_exclude(actor=world["r1"], line=line, reason="已在外区领取同类补贴")
    line.refresh_from_db()
    assert not line.included and line.excluded_by == world["r1"]
    with pytest.raises(DomainError) as twice:
        review.entitlement_line_exclude(actor=world["r1"], line=line, reason="再次")
    assert twice.value.code == "already_excluded"
    review.entitlement_line_include(actor=world["r1"], line=line)
    line.refresh_from_db()
    assert line.included and line.exclusion_reason == ""
    actions = list(AuditEntry.objects.filter(object_id=str(batch.pk)).values_list("action", flat=True))
    assert "subsidies.entitlement_line.excluded" in actions and "subsidies.entitlement_line.included" in actions


def test_another_towns_line_is_not_found(world):
    far_batch = built(world["policy"], town=other_town(), actor=f.user(role=Role.REVIEWER, jurisdiction=other_town()))
    line = far_batch.lines.get()
    with pytest.raises(DomainError) as refused:
        review.entitlement_line_exclude(actor=world["r1"], line=line, reason="不是本镇的")
    assert refused.value.status == 404
    with pytest.raises(DomainError) as refused:
        review.entitlement_batch_submit(actor=world["r1"], batch=far_batch)
    assert refused.value.status == 409 and "管辖范围" in str(refused.value.message)


def test_the_batch_goes_reviewer_to_leader_and_no_one_skips_a_step(world):
    batch = built(world["policy"], actor=world["r1"])
    for actor, step in (
        (world["leader"], review.entitlement_batch_submit),
        (world["r1"], review.entitlement_batch_approve),
    ):
        with pytest.raises(DomainError):
            step(actor=actor, batch=batch)
    with pytest.raises(DomainError) as early:
        review.entitlement_batch_publish(actor=world["r1"], batch=batch)
    assert "待审核" in str(early.value.message)
    review.entitlement_batch_submit(actor=world["r1"], batch=batch)
    with pytest.raises(DomainError):  # lines are fixed once submitted
        review.entitlement_line_exclude(actor=world["r1"], line=batch.lines.first(), reason="晚了")
    with pytest.raises(DomainError) as no_note:
        review.entitlement_batch_return(actor=world["leader"], batch=batch, note="")
    assert no_note.value.code == "note_required"
    returned = review.entitlement_batch_return(actor=world["leader"], batch=batch, note="请核实王小明的就业情况")
    assert returned.status == EntitlementStatus.REVIEWING and returned.returned_note.startswith("请核实")
    approved(returned, world["r1"], world["leader"])
    batch.refresh_from_db()
    assert batch.status == EntitlementStatus.APPROVED and batch.approved_by == world["leader"]
    assert AuditEntry.objects.filter(action="subsidies.entitlement.approve").count() == 1


def test_a_batch_with_every_line_excluded_cannot_be_submitted(world):
    batch = built(world["policy"], actor=world["r1"])
    for line in batch.lines.all():
        review.entitlement_line_exclude(actor=world["r1"], line=line, reason="核实不符")
    with pytest.raises(DomainError) as refused:
        review.entitlement_batch_submit(actor=world["r1"], batch=batch)
    assert "没有列入发放的对象" in str(refused.value.message)


# --- 公示, objections, payment --------------------------------------------------------------------------


def test_publishing_makes_a_decided_application_per_included_line_in_a_published_notice_and_tells_each_one(
    world, django_capture_on_commit_callbacks
):
    batch = built(world["policy"], actor=world["r1"])
    review.entitlement_line_exclude(actor=world["r1"], line=batch.lines.get(person=world["young2"]), reason="已就业")
    approved(batch, world["r1"], world["leader"])
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        batch = review.entitlement_batch_publish(actor=world["r2"], batch=batch, days=5)
    assert batch.status == EntitlementStatus.PUBLISHED and batch.notice.status == NoticeStatus.PUBLISHED
    application = Application.objects.get()
    assert application.person == world["young"] and application.status == Status.IN_NOTICE
    assert application.amount == Decimal("3000.00") and application.period == "2026-03"
    assert application.entitlement_line.batch == batch
    assert [e.application for e in batch.notice.entries.all()] == [application]
    assert batch.lines.get(person=world["young2"]).application is None  # excluded: not in the notice
    steps = list(application.events.order_by("id").values_list("action", flat=True))
    assert steps == ["created", "entitle", "publish"]
    texts = [text for mobile, text in LocmemSmsBackend.outbox if mobile == world["young"].mobile]
    assert len(texts) == 1 and "免申即享" in texts[0] and "3000.00" in texts[0]


def test_publishing_twice_publishes_once(world, django_capture_on_commit_callbacks):
    batch = _published(world, django_capture_on_commit_callbacks)
    with pytest.raises(DomainError) as twice:
        review.entitlement_batch_publish(actor=world["r1"], batch=batch, seen_status=EntitlementStatus.APPROVED)
    assert twice.value.status == 409
    assert Application.objects.count() == 2 and batch.notice.entries.count() == 2


def test_a_refusal_while_publishing_leaves_nothing_half_done(world, monkeypatch):
    batch = approved(built(world["policy"], actor=world["r1"]), world["r1"], world["leader"])

    def broken(**kwargs):
        raise DomainError("bad_days", "公示期无效")

    monkeypatch.setattr(review, "notice_batch_publish", broken)
    with pytest.raises(DomainError):
        review.entitlement_batch_publish(actor=world["r1"], batch=batch)
    batch.refresh_from_db()
    assert batch.status == EntitlementStatus.APPROVED
    assert not Application.objects.exists() and not batch.lines.filter(application__isnull=False).exists()


def test_an_upheld_objection_takes_the_line_out_and_it_is_never_paid(world, django_capture_on_commit_callbacks, today):
    batch = _published(world, django_capture_on_commit_callbacks)
    line = batch.lines.get(person=world["young"])
    entry = batch.notice.entries.get(application=line.application)
    objection = notices.objection_record(
        actor=world["r1"], entry=entry, name="群众", mobile="13700137000", content="此人已在外省领取同类补贴"
    )
    notices.objection_resolve(actor=world["r2"], objection=objection, upheld=True, resolution="经核实属实")
    line.application.refresh_from_db()
    assert line.application.status == Status.REJECTED
    notices.notice_batch_finalise(actor=SYSTEM, batch=batch.notice, today=datetime.date(2026, 3, 10))
    with pytest.raises(DomainError) as refused:
        disbursements.disbursement_record(
            actor=world["r1"], application=line.application, amount=line.amount, paid_on=today.day, reference="ZF1"
        )
    assert refused.value.code == "not_approved"
    assert not Disbursement.objects.filter(application=line.application).exists()


def test_after_the_notice_each_line_is_paid_once_and_the_beneficiary_sees_it(
    world, django_capture_on_commit_callbacks, today
):
    batch = _published(world, django_capture_on_commit_callbacks)
    notices.notice_batch_finalise(actor=SYSTEM, batch=batch.notice, today=datetime.date(2026, 3, 10))
    today.set(datetime.date(2026, 3, 12))
    line = batch.lines.get(person=world["young"])
    account = f.user(role=Role.ENTREPRENEUR, mobile="13911112222")
    world["young"].account = account
    world["young"].save(update_fields=["account"])
    with django_capture_on_commit_callbacks(execute=True):
        disbursements.disbursement_record(
            actor=world["r1"], application=line.application, amount=line.amount, paid_on=today.day, reference="ZF1"
        )
    with pytest.raises(DomainError) as twice:
        disbursements.disbursement_record(
            actor=world["r2"], application=line.application, amount=line.amount, paid_on=today.day, reference="ZF2"
        )
    assert twice.value.code == "already_paid"
    line.application.refresh_from_db()
    assert line.application.status == Status.DISBURSED
    assert Grant.objects.get(person=world["young"]).amount == Decimal("3000.00")
    told = Notification.objects.get(recipient=account)
    assert "已拨付" in told.title and "您的免申即享补贴" in told.body and "3000.00" in told.body
    from chuangfu.subsidies.selectors import applications_mine

    assert list(applications_mine(account)) == [line.application]


def test_a_subject_has_one_line_per_policy_and_cycle_whatever_the_town(world):
    built(world["policy"], actor=world["r1"])
    line = EntitlementLine.objects.filter(person=world["young"]).get()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        EntitlementLine.objects.create(
            batch=line.batch, policy=line.policy, period=line.period, person=world["young"], amount=1, basis="x"
        )


def test_the_daily_job_builds_the_cycle_once(world):
    made = entitlements.entitlements_build_due()
    assert len(made) == 2
    assert entitlements.entitlements_build_due() == []
    assert all(b.built_by is None for b in EntitlementBatch.objects.all())


def test_the_periodic_task_runs_the_daily_build(world):
    from chuangfu.subsidies.tasks import build_entitlements

    assert len(build_entitlements.call_local()) == 2


def test_a_subject_registered_above_town_level_gets_no_line_and_is_reported(world):
    from django.core.exceptions import ValidationError

    from chuangfu.registry.services.people import person_create

    # the registry never places a subject at district level: its services refuse it
    with pytest.raises(ValidationError, match="不能只选区"):
        person_create(
            actor=f.user(role=Role.DESK_STAFF, jurisdiction=f.district()),
            name="孙区级",
            id_number=f.id_number(),
            jurisdiction=f.district(),
        )
    # a record written around them (directly in the database) is not listed by any town, nor lost
    stray = f.person(name="孙区级", jurisdiction=f.district(), id_number=f.id_number(birth=datetime.date(1996, 1, 1)))
    report = entitlements.entitlement_batches_build(policy=world["policy"])
    assert report.unplaced == [stray.pk]
    assert not EntitlementLine.objects.filter(person=stray).exists()
    assert EntitlementLine.objects.count() == 3  # the towns' subjects, as before
    entry = AuditEntry.objects.get(action="subsidies.entitlement.unplaced")
    assert entry.after["count"] == 1 and entry.after["ids"] == [stray.pk] and entry.after["period"] == "2026-03"
    # a reviewer building their own town's cycle is not told about subjects of no town
    again = entitlements.entitlement_batches_build(policy=world["policy"], town=f.town(), actor=world["r1"])
    assert again.unplaced == [] and AuditEntry.objects.filter(action="subsidies.entitlement.unplaced").count() == 1
