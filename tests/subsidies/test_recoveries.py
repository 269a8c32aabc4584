"""Life after payment, the recoveries (追回): opened by a breach for the whole grant, a part with a
reason, the leadership's decision through the declared machine, repayments in parts that never
exceed what is owed, settled by the last one; the figures and the indicator sources count them."""

import datetime
from decimal import Decimal

import pytest

from chuangfu.core.days import day_start
from chuangfu.core.errors import DomainError
from chuangfu.core.models import AuditEntry, Notification, Role
from chuangfu.indicators.sources import Period, count, decisions, rows
from chuangfu.subsidies import figures
from chuangfu.subsidies.models import Recovery, RecoveryStatus, Repayment
from chuangfu.subsidies.services import obligations, recoveries
from chuangfu.subsidies.services.obligations import TermSpec
from tests import factories as f

from .aftercare_builders import enterprise_of, paid, with_terms

pytestmark = pytest.mark.django_db
BREACHED_ON = datetime.date(2026, 4, 16)  # the day after the report was due


@pytest.fixture
def leader(db):
    return f.user(Role.LEADER, display_name="领导甲")


@pytest.fixture
def recovery(policy, applicant, reviewer, reviewer2, today, django_capture_on_commit_callbacks):
    """A grant of 8,000 元 whose report was not submitted: breached, recovery opened."""
    with_terms(policy, [TermSpec("report", 3, title="提交经营情况报告")])
    enterprise_of(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        application = paid(policy, applicant, reviewer, reviewer2)
        today.set(BREACHED_ON)
        obligations.obligations_check_due(BREACHED_ON)
    # opened on the test's day (the clock pins dates only; timestamps are the machine's)
    Recovery.objects.filter(application=application).update(opened_at=day_start(BREACHED_ON))
    return Recovery.objects.get(application=application)


def test_a_breach_opens_a_recovery_of_the_whole_grant_and_tells_the_beneficiary_and_the_leaders(
    recovery, applicant, leader
):
    assert (recovery.status, recovery.granted, recovery.amount) == (
        RecoveryStatus.OPEN,
        Decimal("8000"),
        Decimal("8000"),
    )
    assert recovery.number.startswith("ZH2026")
    assert "提交经营情况报告" in recovery.reason
    assert recovery.events.get(action="opened").public
    assert AuditEntry.objects.filter(action="subsidies.recovery.opened", object_id=str(recovery.pk)).exists()
    assert Notification.objects.filter(recipient=applicant, title="补贴追回立案").exists()


def test_part_of_the_grant_is_recovered_with_a_reason_and_never_more_than_was_paid(recovery, reviewer):
    with pytest.raises(DomainError, match="需要填写理由"):
        recoveries.recovery_set_amount(actor=reviewer, recovery=recovery, amount="4000", reason="")
    with pytest.raises(DomainError, match=r"超过已拨付金额 8000\.00 元"):
        recoveries.recovery_set_amount(actor=reviewer, recovery=recovery, amount="9000", reason="多追")
    for bad, message in [("abc", "不是有效的金额"), ("-5", "应大于 0"), ("1.005", "最多两位小数"), ("", "请填写")]:
        with pytest.raises(DomainError, match=message):
            recoveries.recovery_set_amount(actor=reviewer, recovery=recovery, amount=bad, reason="理由")
    saved = recoveries.recovery_set_amount(
        actor=reviewer, recovery=recovery, amount="4,000", reason="已经营 9 个月，按比例追回"
    )
    assert (saved.amount, saved.amount_reason) == (Decimal("4000.00"), "已经营 9 个月，按比例追回")
    assert AuditEntry.objects.filter(action="subsidies.recovery.set_amount").get().before == {
        "amount": "8000.00",
        "amount_reason": "",
    }


def test_the_leadership_decides_reviewers_do_not_and_waiving_needs_a_reason(
    recovery, reviewer, leader, applicant, django_capture_on_commit_callbacks
):
    with pytest.raises(DomainError, match="您的角色不能执行“决定追回”"):
        recoveries.recovery_decide(actor=reviewer, recovery=recovery, name="recover")
    with pytest.raises(DomainError, match="需要填写理由"):
        recoveries.recovery_decide(actor=leader, recovery=recovery, name="waive")
    with pytest.raises(DomainError, match="未知的操作"):
        recoveries.recovery_decide(actor=leader, recovery=recovery, name="settle")
    outsider = f.user(Role.LEADER, f.town("310115125"))
    with pytest.raises(DomainError, match="不在您的管辖范围内"):
        recoveries.recovery_decide(actor=outsider, recovery=recovery, name="recover")
    with django_capture_on_commit_callbacks(execute=True):
        decided = recoveries.recovery_decide(
            actor=leader, recovery=recovery, name="waive", note="企业因疫情停业，经联席会议同意免予追回"
        )
    assert decided.status == RecoveryStatus.WAIVED and decided.decided_by == leader
    assert Notification.objects.filter(recipient=applicant, title="免予追回").exists()
    with pytest.raises(DomainError, match="不能执行"):  # decided once: the machine refuses a second decision
        recoveries.recovery_decide(actor=leader, recovery=recovery, name="recover")


def test_a_stale_page_is_told_the_decision_was_taken(recovery, leader):
    recoveries.recovery_decide(actor=leader, recovery=recovery, name="recover")
    with pytest.raises(DomainError, match="状态已变为“追回中”"):
        recoveries.recovery_decide(actor=f.user(Role.LEADER), recovery=recovery, name="waive", note="x", expect="open")


def test_repayments_in_parts_until_settled_never_over_what_is_owed(recovery, reviewer, leader, today):
    with pytest.raises(DomainError, match="不能执行“登记还款”"):  # not decided yet
        recoveries.repayment_record(
            actor=reviewer, recovery=recovery, amount="100", paid_on=BREACHED_ON, reference="JK-0"
        )
    recoveries.recovery_decide(actor=leader, recovery=recovery, name="recover")
    today.set(datetime.date(2026, 5, 20))
    first = recoveries.repayment_record(
        actor=reviewer, recovery=recovery, amount="3000", paid_on=datetime.date(2026, 5, 10), reference="JK-1"
    )
    assert first.amount == Decimal("3000.00")
    with pytest.raises(DomainError, match=r"超过尚欠金额 5000\.00 元"):
        recoveries.repayment_record(
            actor=reviewer, recovery=recovery, amount="5000.01", paid_on=datetime.date(2026, 5, 11), reference="JK-2"
        )
    with pytest.raises(DomainError, match="已登记过"):  # the same voucher twice: a double submit
        recoveries.repayment_record(
            actor=reviewer, recovery=recovery, amount="100", paid_on=datetime.date(2026, 5, 11), reference="JK-1"
        )
    with pytest.raises(DomainError, match="不能晚于今天"):
        recoveries.repayment_record(
            actor=reviewer, recovery=recovery, amount="100", paid_on=datetime.date(2026, 5, 21), reference="JK-3"
        )
    with pytest.raises(DomainError, match="不能早于追回立案日期"):
        recoveries.repayment_record(
            actor=reviewer, recovery=recovery, amount="100", paid_on=datetime.date(2026, 4, 1), reference="JK-3"
        )
    with pytest.raises(DomainError, match="只有审核人员"):
        recoveries.repayment_record(
            actor=leader, recovery=recovery, amount="100", paid_on=datetime.date(2026, 5, 11), reference="JK-3"
        )
    recoveries.repayment_record(
        actor=reviewer, recovery=recovery, amount="5000", paid_on=datetime.date(2026, 5, 12), reference="JK-2"
    )
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.SETTLED and recovery.outstanding == 0 and recovery.settled_at
    assert Repayment.objects.filter(recovery=recovery).count() == 2
    assert [e.action for e in recovery.events.order_by("at", "id")] == ["opened", "recover", "repay", "repay", "settle"]
    with pytest.raises(DomainError, match="不能执行“登记还款”"):
        recoveries.repayment_record(
            actor=reviewer, recovery=recovery, amount="1", paid_on=datetime.date(2026, 5, 12), reference="JK-9"
        )


def test_settling_before_everything_is_repaid_is_refused_by_the_machine(recovery, reviewer, leader):
    from chuangfu.core.workflow import fire
    from chuangfu.subsidies.workflows_aftercare import RECOVERY

    recoveries.recovery_decide(actor=leader, recovery=recovery, name="recover")
    with pytest.raises(DomainError, match=r"尚欠 8000\.00 元"):
        fire(RECOVERY, recovery, "settle", actor=reviewer)


def test_figures_and_indicator_sources_count_recoveries(recovery, reviewer, leader, today):
    town = f.town()
    year = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert count("subsidies.recoveries_opened", town, year) == 1
    assert count("subsidies.obligations_breached", town, year) == 1
    assert count("subsidies.obligations_due", town, year) == 1
    assert list(rows("subsidies.recoveries_opened", town, year)) == [recovery]
    waiting = {d["name"]: d for d in decisions(town)}["subsidies.recoveries_to_decide"]
    assert waiting["count"] == 1 and recovery.number in waiting["items"][0][0]
    recoveries.recovery_decide(actor=leader, recovery=recovery, name="recover")
    today.set(datetime.date(2026, 6, 30))
    recoveries.repayment_record(
        actor=reviewer, recovery=recovery, amount="2500", paid_on=datetime.date(2026, 6, 1), reference="JK-1"
    )
    assert count("subsidies.amount_recovered", town, year) == 2500
    assert count("subsidies.amount_recovered", town, Period(datetime.date(2026, 7, 1), datetime.date(2026, 7, 31))) == 0
    numbers = figures.recovery_figures(
        reviewer, date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 12, 31)
    )
    assert (numbers.opened, numbers.open_now, numbers.to_decide, numbers.recovered, numbers.owed_now) == (
        1,
        1,
        0,
        2500.0,
        5500.0,
    )
    assert numbers.breached == 1 and numbers.repayments == 1
    elsewhere = figures.recovery_figures(f.user(Role.REVIEWER, f.town("310115125")))
    assert (elsewhere.opened, elsewhere.recovered, elsewhere.open_now) == (0, 0.0, 0)
    other_town = f.town("310115125")
    assert count("subsidies.recoveries_opened", other_town, year) == 0
