"""更正误判: a breach found wrong is corrected before the leadership decides the recovery — the
obligation is pending (and checked) again, the correction is a check with its reason, the recovery
is closed as 误判撤销 (no waiver) when it stands on nothing else, a later breach opens it again;
after the decision, or for an obligation not breached, the machine refuses with the reason."""

import datetime

import pytest
from django.urls import reverse

from chuangfu.core.days import day_start
from chuangfu.core.errors import DomainError
from chuangfu.core.models import AuditEntry, Notification, Role
from chuangfu.indicators.sources import Period, count
from chuangfu.subsidies import figures
from chuangfu.subsidies.models import (
    Obligation,
    ObligationCheck,
    ObligationStatus,
    Recovery,
    RecoveryStatus,
)
from chuangfu.subsidies.services import obligations, recoveries
from chuangfu.subsidies.services.obligations import TermSpec
from tests import factories as f

from .aftercare_builders import enterprise_of, paid, with_terms

pytestmark = pytest.mark.django_db
BREACHED_ON = datetime.date(2026, 4, 16)


@pytest.fixture
def leader(db):
    return f.user(Role.LEADER, display_name="办公室主任")


@pytest.fixture
def grant(policy, applicant, reviewer, reviewer2, today, django_capture_on_commit_callbacks):
    """A grant of 8,000 元 with two report obligations (due after 3 months), both breached."""
    with_terms(policy, [TermSpec("report", 3, title="经营情况报告"), TermSpec("report", 3, title="雇员情况报告")])
    enterprise_of(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        application = paid(policy, applicant, reviewer, reviewer2)
    return application


def _breach(obligation, reviewer, reason="未提交报告"):
    return obligations.obligation_mark(obligation=obligation, actor=reviewer, name="breach", reason=reason)


def test_a_breach_found_wrong_is_pending_again_and_its_recovery_closed_without_a_waiver(
    grant, reviewer, leader, applicant, today, django_capture_on_commit_callbacks
):
    first, _second = grant.obligations.order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):
        _breach(first, reviewer, reason="报告未收到")
    recovery = Recovery.objects.get(application=grant)
    assert recovery.status == RecoveryStatus.OPEN
    with pytest.raises(DomainError, match="需要填写"):
        obligations.obligation_breach_correct(obligation=first, actor=leader, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        saved = obligations.obligation_breach_correct(
            obligation=first, actor=leader, reason="报告已于期限内纸质交窗口，系统未登记"
        )
    assert (saved.status, saved.concluded_at, saved.outcome) == (ObligationStatus.PENDING, None, "")
    check = saved.checks.first()
    assert check.manual and check.result == ObligationCheck.Result.UNDECIDED
    assert check.summary == "更正误判：报告已于期限内纸质交窗口，系统未登记"
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.ANNULLED and recovery.decided_by is None  # no decision, no waiver
    event = recovery.events.get(action="annul")
    assert event.public and "误判" in event.public_note
    entry = AuditEntry.objects.get(action="subsidies.obligation.reopen")
    assert (entry.before["status"], entry.after["status"]) == ("breached", "pending")
    assert entry.after["was"] == "报告未收到"
    told = Notification.objects.filter(recipient=applicant, title="履约认定已更正").get().body
    assert "经核实为误判" in told and "追回已撤销" in told
    # pending again: a reviewer may now decide it by hand, or the daily job checks it
    obligations.obligation_mark(obligation=saved, actor=reviewer, name="meet", reason="纸质报告已核")
    assert Obligation.objects.get(pk=first.pk).status == ObligationStatus.MET


def test_a_recovery_standing_on_another_breach_stays_open_on_it(grant, reviewer, leader):
    first, second = grant.obligations.order_by("pk")
    _breach(first, reviewer)
    _breach(second, reviewer)
    obligations.obligation_breach_correct(obligation=first, actor=reviewer, reason="第一份报告其实已交")
    recovery = Recovery.objects.get(application=grant)
    assert recovery.status == RecoveryStatus.OPEN and recovery.obligation_id == second.pk
    assert recovery.events.filter(action="breach_corrected").exists()
    assert AuditEntry.objects.filter(action="subsidies.recovery.breach_corrected").exists()


def test_a_later_breach_opens_the_annulled_recovery_again(grant, reviewer, leader):
    first, _second = grant.obligations.order_by("pk")
    _breach(first, reviewer)
    obligations.obligation_breach_correct(obligation=first, actor=leader, reason="误读")
    _breach(first, reviewer, reason="复核后确实未提交")
    recovery = Recovery.objects.get(application=grant)
    assert recovery.status == RecoveryStatus.OPEN and "复核后确实未提交" in recovery.reason
    assert recovery.amount == recovery.granted
    assert list(recovery.events.values_list("action", flat=True).order_by("pk")) == ["opened", "annul", "reopen"]


def test_after_the_decision_the_breach_stands_and_the_refusal_says_why(grant, reviewer, leader):
    first, _second = grant.obligations.order_by("pk")
    _breach(first, reviewer)
    recovery = Recovery.objects.get(application=grant)
    recoveries.recovery_decide(actor=leader, recovery=recovery, name="recover")
    with pytest.raises(DomainError, match="误判只能在追回决定前更正"):
        obligations.obligation_breach_correct(obligation=first, actor=leader, reason="晚了")
    assert Obligation.objects.get(pk=first.pk).status == ObligationStatus.BREACHED


def test_only_a_breach_is_corrected_and_not_by_other_roles(grant, reviewer, leader):
    first, second = grant.obligations.order_by("pk")
    with pytest.raises(DomainError, match="当前状态为“待履行”"):
        obligations.obligation_breach_correct(obligation=first, actor=leader, reason="并未认定")
    _breach(first, reviewer)
    with pytest.raises(DomainError, match="您的角色不能"):
        obligations.obligation_breach_correct(obligation=first, actor=f.user(Role.DESK_STAFF), reason="窗口")
    obligations.obligation_mark(obligation=second, actor=reviewer, name="meet", reason="已交")
    with pytest.raises(DomainError, match="当前状态为“已履行”"):
        obligations.obligation_breach_correct(obligation=second, actor=leader, reason="已履行的不更正")


def test_another_towns_office_cannot_correct(grant, reviewer):
    first, _second = grant.obligations.order_by("pk")
    _breach(first, reviewer)
    foreign = f.user(Role.LEADER, f.town("310115125"))
    with pytest.raises(DomainError, match="不在您的管辖范围"):
        obligations.obligation_breach_correct(obligation=first, actor=foreign, reason="越权")


def test_an_annulled_recovery_is_not_counted_as_opened(grant, reviewer, leader, today):
    first, _second = grant.obligations.order_by("pk")
    _breach(first, reviewer)
    Recovery.objects.filter(application=grant).update(opened_at=day_start(today.day))
    assert figures.recovery_figures(leader).opened == 1
    obligations.obligation_breach_correct(obligation=first, actor=leader, reason="误判")
    assert figures.recovery_figures(leader).opened == 0
    period = Period(today.day.replace(day=1), today.day)
    assert count("subsidies.recoveries_opened", grant.jurisdiction, period) == 0


def test_the_office_corrects_on_the_obligation_page(grant, reviewer, leader, client):
    first, _second = grant.obligations.order_by("pk")
    _breach(first, reviewer)
    client.force_login(leader)
    page = client.get(reverse("aftercare:obligation", args=[first.pk])).content.decode()
    assert 'id="correct-form"' in page
    recovery = Recovery.objects.get(application=grant)
    # the API offers what the pages offer: 误判撤销 follows from the correction, it is no action of its own
    api = client.get(f"/api/subsidies/recoveries/{recovery.pk}").json()
    assert [t["name"] for t in api["transitions"]] == ["set_amount", "recover", "waive"]
    assert [t["name"] for t in client.get(f"/api/subsidies/obligations/{first.pk}").json()["transitions"]] == ["reopen"]
    response = client.post(reverse("aftercare:obligation_correct", args=[first.pk]), {"reason": "登记状态读错"})
    assert response.status_code == 302
    assert Obligation.objects.get(pk=first.pk).status == ObligationStatus.PENDING
    recovery = Recovery.objects.get(application=grant)
    assert recovery.status == RecoveryStatus.ANNULLED
    # decided: the page says why it can no longer be corrected
    _breach(first, reviewer, reason="复核仍未履行")
    recoveries.recovery_decide(actor=leader, recovery=recovery, name="recover")
    page = client.get(reverse("aftercare:obligation", args=[first.pk])).content.decode()
    assert 'id="correct-form"' not in page and "误判只能在追回决定前更正" in page
