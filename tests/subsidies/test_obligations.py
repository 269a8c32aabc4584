"""Life after payment, the obligations: terms on a policy version become obligations with due dates
when a grant is paid; the daily job reminds before the date and checks on and after it from the
registry (status and when it changed), the insurance months and the reports, recording what it read;
a breach opens the recovery."""

import datetime
from decimal import Decimal

import pytest

from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import Notification, Role
from chuangfu.core.workflow import SYSTEM
from chuangfu.registry.models import RegistrationStatus
from chuangfu.registry.services import enterprise_update
from chuangfu.subsidies.models import (
    Obligation,
    ObligationCheck,
    ObligationKind,
    ObligationReport,
    ObligationStatus,
    ObligationTerm,
    Recovery,
)
from chuangfu.subsidies.services import disbursements, obligations
from chuangfu.subsidies.services.obligations import TermSpec, obligation_terms_save
from tests import factories as f

from .aftercare_builders import PAID_ON, editor, enterprise_of, insure, paid, with_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(policy, applicant, reviewer, reviewer2, django_capture_on_commit_callbacks):
    with_terms(policy)
    enterprise = enterprise_of(applicant)
    with django_capture_on_commit_callbacks(execute=True):  # the notifications go out after commit
        application = paid(policy, applicant, reviewer, reviewer2)
    return application, enterprise


def by_kind(application) -> dict:
    return {o.kind: o for o in Obligation.objects.filter(application=application)}


# --- terms and instances -------------------------------------------------------------------------


def test_paying_gives_the_grant_its_versions_obligations_with_due_dates_once(grant, applicant):
    application, enterprise = grant
    found = by_kind(application)
    assert set(found) == {ObligationKind.OPERATING, ObligationKind.INSURED, ObligationKind.REPORT}
    assert found["operating"].due_on == datetime.date(2027, 1, 15)  # 12 months after payment
    assert found["insured"].due_on == datetime.date(2026, 7, 31)  # Feb … Jul 2026: six whole months after January
    assert [f"{m:%Y-%m}" for m in found["insured"].window] == [
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
        "2026-07",
    ]
    assert found["report"].due_on == datetime.date(2026, 4, 15)
    assert found["report"].remind_on == datetime.date(2026, 4, 1)  # 14 days before
    assert found["operating"].enterprise == enterprise and found["report"].enterprise is None
    assert all(o.status == ObligationStatus.PENDING for o in found.values())
    assert any("附有以下义务" in n.body for n in Notification.objects.filter(recipient=applicant))
    # instantiating again (a retried job) adds nothing
    assert obligations.obligations_instantiate(actor=SYSTEM, application=application, paid_on=PAID_ON) == []
    assert Obligation.objects.filter(application=application).count() == 3


def test_a_later_edit_of_the_terms_leaves_paid_obligations_as_agreed(grant, policy):
    application, _ = grant
    with_terms(policy, [TermSpec(ObligationKind.OPERATING, 24)])
    assert ObligationTerm.objects.filter(version__policy=policy).count() == 1
    assert by_kind(application)["operating"].months == 12


@pytest.mark.parametrize(
    "spec, message",
    [
        (TermSpec("forever", 12), "请选择义务类型"),
        (TermSpec(ObligationKind.OPERATING, 0), "期限（月）应在 1 至 120 之间"),
        (TermSpec(ObligationKind.OPERATING, "十二"), "期限（月）应为整数"),
        (TermSpec(ObligationKind.INSURED, 6), "请填写最少参保人数"),
        (TermSpec(ObligationKind.INSURED, 6, employees=-1), "最少参保人数应在 1 至 10000 之间"),
        (TermSpec(ObligationKind.REPORT, 3, remind_days=400), "提前提醒天数应在 0 至 365 之间"),
    ],
)
def test_bad_terms_are_refused_and_nothing_is_saved(policy, spec, message):
    version = with_terms(policy)
    with pytest.raises(DomainError) as exc:
        obligation_terms_save(actor=editor(), version=version, terms=[TermSpec(ObligationKind.REPORT, 1), spec])
    assert message in str(exc.value.message) and "第 2 项" in str(exc.value.message)
    assert version.obligation_terms.count() == 3


def test_another_towns_editor_cannot_set_the_terms(policy):
    version = policy.versions.get(number=1)
    with pytest.raises(NotFound):
        obligation_terms_save(actor=editor(f.town("310115125")), version=version, terms=[])


# --- operating -------------------------------------------------------------------------------------


def test_operating_is_met_when_the_enterprise_is_active_on_the_due_date(grant):
    application, enterprise = grant
    operating = by_kind(application)["operating"]
    early = obligations.obligation_check(obligation=operating, day=datetime.date(2026, 6, 1))
    assert early.result == ObligationCheck.Result.UNDECIDED
    check = obligations.obligation_check(obligation=operating, day=operating.due_on)
    operating.refresh_from_db()
    assert (check.result, operating.status) == ("met", ObligationStatus.MET)
    assert check.evidence["registration_status"] == "active" and check.evidence["uscc"] == enterprise.uscc
    assert operating.checks.count() == 2  # every check is kept with what it read


def test_a_cancellation_before_the_due_date_is_a_breach_read_from_the_registrys_audit_log(grant, today):
    application, enterprise = grant
    today.set(datetime.date(2026, 8, 3))
    enterprise_update(
        actor=f.user(Role.DESK_STAFF), enterprise=enterprise, data={"registration_status": RegistrationStatus.CANCELLED}
    )
    operating = by_kind(application)["operating"]
    check = obligations.obligation_check(obligation=operating, day=datetime.date(2026, 8, 4))
    operating.refresh_from_db()
    assert operating.status == ObligationStatus.BREACHED  # certain before the due date
    assert check.evidence["status_changed_on"] == "2026-08-03" and check.evidence["audit_entry"]
    assert "早于期限 2027-01-15" in check.summary
    assert Recovery.objects.get(application=application).amount == Decimal("8000")


def test_a_cancellation_after_the_due_date_is_no_breach(grant, today):
    application, enterprise = grant
    today.set(datetime.date(2027, 2, 1))
    enterprise_update(
        actor=f.user(Role.DESK_STAFF), enterprise=enterprise, data={"registration_status": RegistrationStatus.REVOKED}
    )
    operating = by_kind(application)["operating"]
    check = obligations.obligation_check(obligation=operating, day=datetime.date(2027, 2, 2))
    assert check.result == "met" and "晚于期限" in check.summary
    assert not Recovery.objects.exists()


# --- insured ---------------------------------------------------------------------------------------


def months(*ym):
    return [datetime.date(y, m, 1) for y, m in ym]


WINDOW = months((2026, 2), (2026, 3), (2026, 4), (2026, 5), (2026, 6), (2026, 7))


def test_insured_is_met_when_every_month_of_the_window_has_enough_people(grant):
    application, enterprise = grant
    insure(enterprise, 2, WINDOW)
    insured = by_kind(application)["insured"]
    check = obligations.obligation_check(obligation=insured, day=insured.due_on)
    assert check.result == "met"
    assert check.evidence["months"] == {f"{m:%Y-%m}": 2 for m in WINDOW}
    assert check.evidence["extract_reaches"] == "2026-07"


def test_a_month_short_of_people_is_a_breach_naming_the_month(grant):
    application, enterprise = grant
    insure(enterprise, 2, WINDOW[:3] + WINDOW[4:])
    insure(enterprise, 1, WINDOW[3:4])  # May 2026: one person
    insured = by_kind(application)["insured"]
    check = obligations.obligation_check(obligation=insured, day=insured.due_on)
    assert check.result == "breached" and "2026-05 参保 1 人，少于 2 人" in check.summary


def test_months_the_extract_does_not_reach_yet_wait_instead_of_breaching(grant):
    application, enterprise = grant
    insure(enterprise, 3, WINDOW[:4])  # the extract reaches May 2026
    insured = by_kind(application)["insured"]
    check = obligations.obligation_check(obligation=insured, day=datetime.date(2026, 8, 1))
    insured.refresh_from_db()
    assert (check.result, insured.status) == ("undecided", ObligationStatus.PENDING)
    assert "2026-06、2026-07" in check.summary


def test_without_an_enterprise_in_the_registry_a_reviewer_decides_by_hand(policy, reviewer, reviewer2):
    from .builders import applicant_account

    with_terms(policy, [TermSpec(ObligationKind.OPERATING, 12)])
    account = applicant_account(name="无企业")
    application = paid(policy, account, reviewer, reviewer2)
    operating = by_kind(application)["operating"]
    assert operating.enterprise is None
    check = obligations.obligation_check(obligation=operating, day=datetime.date(2027, 2, 1))
    assert check.result == "undecided" and "人工认定" in check.summary
    with pytest.raises(DomainError, match="需要填写理由"):
        obligations.obligation_mark(obligation=operating, actor=reviewer, name="meet", reason=" ")
    manual = obligations.obligation_mark(
        obligation=operating, actor=reviewer, name="meet", reason="现场走访确认仍在经营"
    )
    operating.refresh_from_db()
    assert manual.manual and operating.status == ObligationStatus.MET and operating.outcome == "现场走访确认仍在经营"


def test_a_concluded_obligation_cannot_be_checked_or_marked_again(grant, reviewer):
    application, _ = grant
    operating = by_kind(application)["operating"]
    obligations.obligation_check(obligation=operating, day=operating.due_on)
    with pytest.raises(DomainError, match="已认定为“已履行”"):
        obligations.obligation_check(obligation=operating, actor=reviewer, day=operating.due_on)
    with pytest.raises(DomainError, match="已认定为"):
        obligations.obligation_mark(obligation=operating, actor=reviewer, name="breach", reason="改判")


def test_only_the_towns_reviewers_check_by_hand(grant):
    application, _ = grant
    operating = by_kind(application)["operating"]
    with pytest.raises(DomainError, match="只有审核人员"):
        obligations.obligation_check(obligation=operating, actor=f.user(Role.LEADER))
    with pytest.raises(NotFound):
        obligations.obligation_check(obligation=operating, actor=f.user(Role.REVIEWER, f.town("310115125")))
    with pytest.raises(DomainError, match="未知的操作"):
        obligations.obligation_mark(obligation=operating, actor=f.user(Role.REVIEWER), name="reopen", reason="x")


# --- reports ---------------------------------------------------------------------------------------


def test_a_report_submitted_in_time_meets_the_obligation_at_once_and_only_once(grant, applicant, today):
    application, _ = grant
    report = by_kind(application)["report"]
    today.set(datetime.date(2026, 4, 10))
    with pytest.raises(DomainError, match="请填写报告内容"):
        obligations.obligation_report_submit(actor=applicant, obligation=report, content="   ")
    obligations.obligation_report_submit(actor=applicant, obligation=report, content="营业收入 120 万元，雇员 3 人。")
    report.refresh_from_db()
    assert report.status == ObligationStatus.MET and "2026-04-10" in report.outcome
    with pytest.raises(DomainError, match="不能重复提交"):
        obligations.obligation_report_submit(actor=applicant, obligation=report, content="再交一次")
    assert ObligationReport.objects.filter(obligation=report).count() == 1


def test_nobody_else_submits_the_report_and_other_kinds_take_none(grant, applicant):
    from .builders import applicant_account

    application, _ = grant
    with pytest.raises(NotFound):
        obligations.obligation_report_submit(
            actor=applicant_account(name="旁人"), obligation=by_kind(application)["report"], content="x"
        )
    with pytest.raises(DomainError, match="不需要提交报告"):
        obligations.obligation_report_submit(actor=applicant, obligation=by_kind(application)["operating"], content="x")


def test_the_daily_job_reminds_once_and_breaches_a_report_not_submitted(
    grant, applicant, django_capture_on_commit_callbacks
):
    application, _ = grant
    report = by_kind(application)["report"]
    with django_capture_on_commit_callbacks(execute=True):
        assert obligations.obligations_remind(datetime.date(2026, 3, 31)) == 0
        assert obligations.obligations_remind(datetime.date(2026, 4, 1)) == 1
        assert obligations.obligations_remind(datetime.date(2026, 4, 2)) == 0  # once
    assert Notification.objects.filter(recipient=applicant, title="履约义务即将到期").count() == 1
    assert obligations.obligations_check_due(datetime.date(2026, 4, 15)) == {
        "met": 0,
        "breached": 0,
        "undecided": 1,
        "failed": 0,
    }
    with django_capture_on_commit_callbacks(execute=True):
        counts = obligations.obligations_check_due(datetime.date(2026, 4, 16))
    assert counts["breached"] == 1
    report.refresh_from_db()
    assert report.status == ObligationStatus.BREACHED
    recovery = Recovery.objects.get(application=application)
    assert recovery.obligation == report and "期限 2026-04-15 前未提交报告" in recovery.reason
    assert Notification.objects.filter(recipient=applicant, title="补贴追回立案").exists()


def test_a_second_breach_of_the_same_grant_joins_the_open_recovery(grant, today):
    application, enterprise = grant
    obligations.obligations_check_due(datetime.date(2026, 4, 16))  # the report: breached
    today.set(datetime.date(2026, 5, 4))
    enterprise_update(
        actor=f.user(Role.DESK_STAFF), enterprise=enterprise, data={"registration_status": RegistrationStatus.CANCELLED}
    )
    obligations.obligation_check(obligation=by_kind(application)["operating"], day=datetime.date(2026, 5, 5))
    assert Recovery.objects.filter(application=application).count() == 1
    recovery = Recovery.objects.get(application=application)
    assert recovery.events.filter(action="another_breach").count() == 1


def test_a_grant_without_terms_has_no_obligations(policy, applicant, reviewer, reviewer2):
    application = paid(policy, applicant, reviewer, reviewer2)
    assert not Obligation.objects.filter(application=application).exists()
    assert disbursements  # paying itself is unchanged (test_disbursements)


def test_one_obligation_that_cannot_be_checked_does_not_stop_the_others(grant, monkeypatch):
    from chuangfu.subsidies.services import obligation_checks

    application, _ = grant

    def broken(obligation, day):
        raise RuntimeError("registry unreachable")

    monkeypatch.setitem(obligation_checks.CHECKS, ObligationKind.OPERATING, broken)
    counts = obligations.obligations_check_due(datetime.date(2027, 2, 1))
    assert counts["failed"] == 1 and counts["breached"] == 1  # the report still breached
    assert by_kind(application)["operating"].status == ObligationStatus.PENDING
