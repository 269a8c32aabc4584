"""Demo data for life after payment, so ``make demo`` shows obligations, a breach and a recovery.

The terms are **examples the town must confirm** (no published policy text states them): the town's
启航补贴 asks the grantee to keep operating 12 months, keep one employee insured for 6 months and
submit a business report within 6 months; the city's 首次创业一次性补贴 (as transcribed in the demo
library) a report within 3 months. Three grants are paid through the real services (desk staff
applying at the window, two reviewers, 公示, payment):

* one paid in January 2026 whose report was never submitted: the check breaches it and opens a
  recovery, which the leadership decided to recover and which is partly repaid;
* one paid in November 2026, its obligations pending;
* the demo entrepreneur's (``tz_entrepreneur``) 首次创业一次性补贴, paid, with a report to submit.

Idempotent: nothing is done once a demo grant carries obligations.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangfu.core.models import User
from chuangfu.core.workflow import SYSTEM
from chuangfu.policies.models import Policy, VersionStatus
from chuangfu.registry.models import Carrier, CarrierKind, Enterprise, RegistrationStatus

from .demo import DEMO_PDF
from .models import Application, Obligation, ObligationKind, Recovery, Status
from .services import (
    application_accept,
    application_first_approve,
    application_save,
    application_second_approve,
    application_start,
    application_submit,
    disbursements,
    material_upload,
    notices,
    obligations,
    recoveries,
)
from .services.obligations import TermSpec

LAUNCH = "tz-youth-startup-launch"
FIRST = "sh-first-startup-subsidy"
TERMS = {
    LAUNCH: [
        TermSpec(ObligationKind.OPERATING, 12, title="持续经营满 12 个月"),
        TermSpec(ObligationKind.INSURED, 6, employees=1, title="至少 1 名职工连续参保 6 个月"),
        TermSpec(
            ObligationKind.REPORT,
            6,
            title="提交半年经营情况报告",
            description="写明营业收入、带动就业人数和项目进展。",
            remind_days=30,
        ),
    ],
    FIRST: [TermSpec(ObligationKind.REPORT, 3, title="提交创业情况报告", description="写明经营状况和雇员人数。")],
}
ANSWERS = {
    LAUNCH: {"project": "社区生鲜团购小程序", "direction": "电子商务"},
    FIRST: {"organisation": "", "insured": "2", "insured_months": "6"},
}


def _accounts():
    names = ("tz_desk", "tz_reviewer", "tz_reviewer2", "tz_leader", "tz_entrepreneur")
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    admin = User.objects.filter(is_superuser=True).first()
    return (found if len(found) == len(names) else None), admin


def _set_terms(admin) -> None:
    for code, terms in TERMS.items():
        policy = Policy.objects.filter(code=code).first()
        if policy is None:
            continue
        for version in policy.versions.filter(status=VersionStatus.PUBLISHED):
            if not version.obligation_terms.exists():
                obligations.obligation_terms_save(actor=admin, version=version, terms=terms)


def _pay(policy, person, users, *, paid_on: datetime.date, applicant=None) -> Application:
    """An application of ``person`` filled in at the window (or by ``applicant``), reviewed by the
    town's two reviewers, published and approved, paid on ``paid_on``."""
    actor = applicant or users["tz_desk"]
    station = None
    if applicant is None:  # at the window of one of the town's doorstep stations
        station = Carrier.objects.filter(
            kind=CarrierKind.DOORSTEP_STATION, jurisdiction__path__startswith=actor.jurisdiction.path
        ).first()
    application = application_start(actor=actor, policy=policy, subject=person, carrier=station)
    answers = dict(ANSWERS[policy.code])
    if "organisation" in answers:
        answers["organisation"] = person.represented_enterprises.first().name
    application_save(actor=actor, application=application, raw=answers)
    for requirement in application.form.materials.filter(required=True):
        material_upload(
            actor=actor,
            application=application,
            requirement=requirement,
            upload=SimpleUploadedFile(f"{requirement.name}.pdf", DEMO_PDF, "application/pdf"),
        )
    application = application_submit(actor=actor, application=application, acknowledge_warning=True)
    application_accept(actor=users["tz_reviewer"], application=application)
    application_first_approve(actor=users["tz_reviewer"], application=application)
    application_second_approve(actor=users["tz_reviewer2"], application=application)
    reviewer = users["tz_reviewer"]
    batch = notices.notice_batch_create(
        actor=reviewer, title=f"{policy.title}拟核准名单公示", applications=[application]
    )
    start = paid_on - datetime.timedelta(days=20)
    batch = notices.notice_batch_publish(actor=reviewer, batch=batch, today=start)
    notices.notice_batch_finalise(actor=SYSTEM, batch=batch, today=paid_on - datetime.timedelta(days=2))
    application.refresh_from_db()
    disbursements.disbursement_record(
        actor=reviewer,
        application=application,
        amount=application.amount,
        paid_on=paid_on,
        reference=f"ZF{paid_on:%Y%m%d}{application.pk:05d}",
    )
    application.refresh_from_db()
    return application


def _beneficiaries(town_path: str, count: int) -> list:
    """People of the town who represent an active enterprise and have no application yet."""
    enterprises = (
        Enterprise.objects.filter(
            jurisdiction__path__startswith=town_path,
            registration_status=RegistrationStatus.ACTIVE,
            legal_representative__isnull=False,
            legal_representative__account__isnull=True,
        )
        .exclude(legal_representative__subsidy_applications__isnull=False)
        .select_related("legal_representative")
        .order_by("id")
    )
    people, seen = [], set()
    for enterprise in enterprises[:200]:
        person = enterprise.legal_representative
        if person.pk not in seen:
            seen.add(person.pk)
            people.append(person)
        if len(people) == count:
            break
    return people


def seed_aftercare() -> dict | None:
    """Terms on the demo policies and three paid grants (see the module docstring); None when the
    demo accounts or policies are missing or it was done before."""
    users, admin = _accounts()
    launch = Policy.objects.filter(code=LAUNCH).first()
    first = Policy.objects.filter(code=FIRST).first()
    if users is None or admin is None or launch is None or first is None:
        return None
    if Obligation.objects.filter(application__policy__in=[launch, first]).exists():
        return None
    _set_terms(admin)
    town = users["tz_reviewer"].jurisdiction
    people = _beneficiaries(town.path, 2)
    if len(people) < 2:
        return None
    today = timezone.localdate()
    breached = _pay(launch, people[0], users, paid_on=datetime.date(today.year, 1, 20))
    pending = _pay(launch, people[1], users, paid_on=today - datetime.timedelta(days=17))
    own = users["tz_entrepreneur"].person
    mine = None
    if own.represented_enterprises.exists() and not Application.objects.filter(person=own, policy=first).exists():
        mine = _pay(first, own, users, paid_on=today - datetime.timedelta(days=10), applicant=users["tz_entrepreneur"])
    # the January grant: its report is long overdue — the daily check breaches it and opens the recovery
    obligations.obligations_check_due(today)
    recovery = Recovery.objects.filter(application=breached).first()
    if recovery is not None and recovery.status == "open":
        recoveries.recovery_set_amount(
            actor=users["tz_reviewer"],
            recovery=recovery,
            amount=Decimal("3000"),
            reason="已持续经营并参保，仅未按期报告，按比例追回（示例）",
        )
        recoveries.recovery_decide(
            actor=users["tz_leader"], recovery=recovery, name="recover", note="按规定追回（示例）"
        )
        recoveries.repayment_record(
            actor=users["tz_reviewer"],
            recovery=recovery,
            amount=Decimal("1000"),
            paid_on=today,
            reference=f"JK{today:%Y%m%d}001",
        )
    return {
        "breached": breached.number,
        "pending": pending.number,
        "mine": mine.number if mine else None,
        "recovery": recovery.number if recovery else None,
        "status": Status.DISBURSED,
    }


__all__ = ["seed_aftercare"]
