"""A paid grant with obligations, through the real services: terms on the version, review, 公示,
payment (which instantiates the obligations). The beneficiary is a person who represents an
enterprise of the same town (the enterprise the registry kinds read)."""

import datetime
from decimal import Decimal

from chuangfu.core.models import Role
from chuangfu.core.workflow import SYSTEM
from chuangfu.registry.models import EnterprisePerson, InsuranceMonth
from chuangfu.subsidies.models import Application, ObligationKind, Status
from chuangfu.subsidies.services import disbursements, notices
from chuangfu.subsidies.services.obligations import TermSpec, obligation_terms_save
from tests import factories as f

from .builders import second_reviewed

PAID_ON = datetime.date(2026, 1, 15)
TERMS = [
    TermSpec(ObligationKind.OPERATING, 12, title="持续经营满12个月"),
    TermSpec(ObligationKind.INSURED, 6, employees=2, title="保持2人参保6个月"),
    TermSpec(ObligationKind.REPORT, 3, title="提交经营情况报告", description="写明营业收入和雇员人数", remind_days=14),
]


def editor(town=None):
    return f.user(Role.DESK_STAFF, town)


def with_terms(policy, terms=TERMS):
    version = policy.versions.get(number=1)
    obligation_terms_save(actor=editor(policy.jurisdiction), version=version, terms=list(terms))
    return version


def enterprise_of(account, **fields):
    """An enterprise the account's person represents (and founded)."""
    person = account.person
    enterprise = f.enterprise(jurisdiction=person.jurisdiction, legal_representative=person, **fields)
    EnterprisePerson.objects.create(enterprise=enterprise, person=person, relation="legal_rep")
    return enterprise


def paid(
    policy, account, reviewer, reviewer2, *, amount=Decimal("8000"), paid_on=PAID_ON, reference=None
) -> Application:
    """An application of ``account`` taken through review and 公示 and paid on ``paid_on``."""
    application = second_reviewed(policy, account, reviewer, reviewer2, amount=amount)
    batch = notices.notice_batch_create(actor=reviewer, title="公示", applications=[application])
    batch = notices.notice_batch_publish(actor=reviewer, batch=batch, today=datetime.date(2025, 12, 1))
    notices.notice_batch_finalise(actor=SYSTEM, batch=batch, today=datetime.date(2025, 12, 31))
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    disbursements.disbursement_record(
        actor=reviewer,
        application=application,
        amount=amount,
        paid_on=paid_on,
        reference=reference or f"ZF-{application.pk}",
    )
    application.refresh_from_db()
    return application


def insure(enterprise, people: int, months: list[datetime.date]) -> None:
    """``people`` persons insured by ``enterprise`` in each of ``months``."""
    persons = [f.person(name=f"职工{n}", jurisdiction=enterprise.jurisdiction) for n in range(people)]
    InsuranceMonth.objects.bulk_create(
        InsuranceMonth(
            person=p, month=m, employer_uscc=enterprise.uscc, employer_name=enterprise.name, enterprise=enterprise
        )
        for p in persons
        for m in months
    )
