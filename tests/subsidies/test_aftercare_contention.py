"""Never more repaid than owed, one recovery per grant: also when many reviewers record repayments of
the same recovery, or check the same obligations, at the same moment (threads in another process,
each on its own connection, through the real services; see ``test_contention``)."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest

from chuangfu.core.models import AuditEntry, Role
from chuangfu.registry.models import RegistrationStatus
from chuangfu.registry.services import enterprise_update
from chuangfu.subsidies.models import Obligation, ObligationCheck, ObligationStatus, Recovery, RecoveryStatus, Repayment
from chuangfu.subsidies.services import obligations, recoveries
from chuangfu.subsidies.services.obligations import TermSpec
from tests import factories as f

from .aftercare_builders import enterprise_of, paid, with_terms
from .test_contention import run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def grant(policy, applicant, reviewer, reviewer2):
    for n in range(4):
        f.user(role=Role.REVIEWER, username=f"contention{n}")
    with_terms(policy, [TermSpec("operating", 12, title="持续经营"), TermSpec("report", 3, title="提交报告")])
    enterprise = enterprise_of(applicant)
    return paid(policy, applicant, reviewer, reviewer2), enterprise


def test_many_reviewers_repaying_at_once_never_repay_more_than_is_owed(grant, tmp_path):
    application, _ = grant
    obligations.obligations_check_due(datetime.date(2026, 4, 16))  # the report never came
    recovery = Recovery.objects.get(application=application)
    recoveries.recovery_decide(actor=f.user(Role.LEADER), recovery=recovery, name="recover")
    outcome = run_worker("repay", 12, str(recovery.pk), tmp_path)
    assert outcome["errors"] == []
    assert sum(len(o["done"]) for o in outcome["outcomes"]) == 8  # 8,000 元 owed, 1,000 a repayment
    refused = Counter(code for o in outcome["outcomes"] for code in o["refused"])
    assert sum(refused.values()) == 4 and set(refused) <= {"over_owed", "transition_refused"}
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.SETTLED and recovery.repaid == Decimal("8000")
    assert Repayment.objects.filter(recovery=recovery).count() == 8
    assert AuditEntry.objects.filter(action="subsidies.recovery.settle").count() == 1


def test_many_reviewers_checking_at_once_conclude_each_obligation_once_and_open_one_recovery(grant, tmp_path):
    application, enterprise = grant
    enterprise_update(
        actor=f.user(Role.DESK_STAFF), enterprise=enterprise, data={"registration_status": RegistrationStatus.CANCELLED}
    )
    pending = Obligation.objects.filter(application=application)
    outcome = run_worker("check", 8, ",".join(str(o.pk) for o in pending), tmp_path)
    assert outcome["errors"] == []
    done = Counter(item for o in outcome["outcomes"] for item in o["done"])
    assert sorted(done.values()) == [1, 1]  # each obligation concluded by exactly one check
    assert Counter(code for o in outcome["outcomes"] for code in o["refused"]) == {"already_concluded": 8 * 2 - 2}
    assert set(pending.values_list("status", flat=True)) == {ObligationStatus.BREACHED}
    assert ObligationCheck.objects.filter(obligation__application=application).count() == 2
    recovery = Recovery.objects.get(application=application)
    assert recovery.events.filter(action="another_breach").count() == 1
