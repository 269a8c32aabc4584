"""拨付: approved applications are batched and paid at most once, entered one by one or imported
from finance's .xlsx (row-by-row report; bad rows change nothing); paying records the grant in the
policy library, so the policy's implementation rate moves."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangfu.core.errors import DomainError
from chuangfu.core.imports import ImportFileError
from chuangfu.core.models import Job, Notification, Role
from chuangfu.core.workflow import SYSTEM
from chuangfu.policies.models import Grant
from chuangfu.policies.rates import policy_rates
from chuangfu.policies.services.matching import policy_match
from chuangfu.subsidies.models import Disbursement, Status
from chuangfu.subsidies.services import disbursements, notices
from tests import factories as f

from .builders import applicant_account, finance_sheet, second_reviewed

PAID_ON = datetime.date(2026, 10, 20)


def approve(applications, reviewer):
    batch = notices.notice_batch_create(actor=reviewer, title="公示", applications=applications)
    batch = notices.notice_batch_publish(actor=reviewer, batch=batch, today=datetime.date(2026, 9, 30))
    notices.notice_batch_finalise(actor=SYSTEM, batch=batch, today=datetime.date(2026, 10, 14))
    for application in applications:
        application.refresh_from_db()
        assert application.status == Status.APPROVED
    return applications


@pytest.fixture
def approved(policy, applicant, reviewer, reviewer2):
    people = [applicant, applicant_account(name="王小二"), applicant_account(name="赵六")]
    amounts = [Decimal("5000"), Decimal("3000"), Decimal("8000")]
    return approve(
        [second_reviewed(policy, a, reviewer, reviewer2, amount=m) for a, m in zip(people, amounts)], reviewer
    )


def test_paying_moves_the_application_records_the_grant_and_the_implementation_rate(
    policy, approved, reviewer, applicant, django_capture_on_commit_callbacks
):
    policy_match(policy=policy, on=PAID_ON)
    leader = f.user(role=Role.LEADER)
    year = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    before = policy_rates(actor=leader, start=year[0], end=year[1], policies=[policy])[0].total
    with django_capture_on_commit_callbacks(execute=True):
        paid = disbursements.disbursement_record(
            actor=reviewer,
            application=approved[0],
            amount=Decimal("5000"),
            paid_on=PAID_ON,
            reference="ZF2026102000017",
        )
    after = policy_rates(actor=leader, start=year[0], end=year[1], policies=[policy])[0].total
    assert (before.granted, after.granted) == (0, 1)
    assert before.implementation == 0.0 and after.implementation == round(100 / after.eligible, 1)
    approved[0].refresh_from_db()
    assert approved[0].status == Status.DISBURSED and paid.amount == Decimal("5000")
    grant = Grant.objects.get(policy=policy, person=approved[0].person)
    assert (grant.source, grant.reference, grant.amount, grant.granted_on) == (
        Grant.Source.SUBSIDY,
        approved[0].number,
        Decimal("5000"),
        PAID_ON,
    )
    assert approved[0].events.get(action="disburse").public
    assert any("已于 2026-10-20 拨付" in n.body for n in Notification.objects.filter(recipient=applicant))


def test_an_application_is_paid_at_most_once(approved, reviewer):
    disbursements.disbursement_record(
        actor=reviewer, application=approved[0], amount=Decimal("5000"), paid_on=PAID_ON, reference="ZF-1"
    )
    with pytest.raises(DomainError) as twice:
        disbursements.disbursement_record(
            actor=reviewer, application=approved[0], amount=Decimal("5000"), paid_on=PAID_ON, reference="ZF-2"
        )
    assert twice.value.status == 409 and twice.value.code == "already_paid" and "ZF-1" in str(twice.value.message)
    assert Disbursement.objects.filter(application=approved[0]).count() == 1
    assert Grant.objects.filter(reference=approved[0].number).count() == 1


def test_a_payment_is_refused_unless_approved_and_for_the_approved_amount(policy, approved, reviewer, reviewer2):
    with pytest.raises(DomainError) as wrong:
        disbursements.disbursement_record(
            actor=reviewer, application=approved[1], amount=Decimal("3500"), paid_on=PAID_ON, reference="ZF-3"
        )
    assert wrong.value.code == "amount_mismatch" and "3000" in str(wrong.value.message)
    in_review = second_reviewed(policy, applicant_account(name="钱七"), reviewer, reviewer2)
    with pytest.raises(DomainError) as early:
        disbursements.disbursement_record(
            actor=reviewer, application=in_review, amount=Decimal("5000"), paid_on=PAID_ON, reference="ZF-4"
        )
    assert early.value.code == "not_approved"
    with pytest.raises(DomainError) as future:
        disbursements.disbursement_record(
            actor=reviewer,
            application=approved[1],
            amount=Decimal("3000"),
            paid_on=datetime.date.today() + datetime.timedelta(days=1),
            reference="ZF-5",
        )
    assert future.value.code == "bad_date"
    with pytest.raises(DomainError) as desk:
        disbursements.disbursement_record(
            actor=f.user(role=Role.DESK_STAFF),
            application=approved[1],
            amount=Decimal("3000"),
            paid_on=PAID_ON,
            reference="ZF-6",
        )
    assert desk.value.status == 403
    assert Disbursement.objects.count() == 0 and Grant.objects.count() == 0


def test_batches_gather_approved_unpaid_applications_once(approved, reviewer):
    batch = disbursements.disbursement_batch_create(actor=reviewer, title="2026年10月拨付", applications=approved[:2])
    assert batch.number.startswith("BF2026") and batch.items.count() == 2
    with pytest.raises(DomainError) as again:
        disbursements.disbursement_batch_create(actor=reviewer, title="重复", applications=approved[1:])
    assert again.value.code == "already_batched" and approved[1].number in str(again.value.message)
    paid = disbursements.disbursement_record(
        actor=reviewer, application=approved[0], amount=Decimal("5000"), paid_on=PAID_ON, reference="ZF-7"
    )
    assert paid.batch_id == batch.pk


def test_the_import_pays_good_rows_and_reports_every_other_row(policy, approved, reviewer):
    elsewhere = applicant_account(name="外镇人", jurisdiction=f.town("310115125"))
    foreign = second_reviewed(
        policy,
        elsewhere,
        f.user(role=Role.REVIEWER, jurisdiction=f.town("310115125")),
        f.user(role=Role.REVIEWER, jurisdiction=f.town("310115125")),
    )
    disbursements.disbursement_record(
        actor=reviewer, application=approved[2], amount=Decimal("8000"), paid_on=PAID_ON, reference="ZF-EARLIER"
    )
    sheet = finance_sheet(
        [
            (approved[0].number, "李创业", "5,000.00", "2026/10/20", "ZF-A"),
            (approved[1].number, "王小二", 3500, "2026-10-20", "ZF-B"),  # amount mismatch
            (approved[2].number, "赵六", 8000, "2026-10-20", "ZF-C"),  # already paid
            ("BT209901010001", "无名", 100, "2026-10-20", "ZF-D"),  # unknown number
            (foreign.number, "外镇人", 5000, "2026-10-20", "ZF-E"),  # another town's: unknown to this reviewer
            (approved[0].number, "李创业", 5000, "2026-10-20", "ZF-F"),  # the same application twice in one file
            (approved[1].number, "王小二", 3000, "2026年13月1日", "ZF-G"),  # no such date
            ("合计", "", 33500, "", ""),
        ]
    )
    report = disbursements.disbursement_import(actor=reviewer, source=sheet)
    assert [p["number"] for p in report.paid] == [approved[0].number]
    reasons = {r["row"]: (r["code"], r["reason"]) for r in report.rejected}
    assert sorted(reasons) == [4, 5, 6, 7, 8, 9]
    assert reasons[4][0] == "amount_mismatch"
    assert reasons[5][0] == "already_paid" and "ZF-EARLIER" in reasons[5][1]
    assert "不存在" in reasons[6][1] and "不存在" in reasons[7][1]
    assert reasons[8][0] == "already_paid" and "ZF-A" in reasons[8][1]
    assert "13 月" in reasons[9][1]
    approved[1].refresh_from_db()
    foreign.refresh_from_db()
    assert approved[1].status == Status.APPROVED and foreign.status == Status.SECOND_REVIEWED
    assert sorted(Disbursement.objects.values_list("reference", flat=True)) == ["ZF-A", "ZF-EARLIER"]


def test_importing_the_same_sheet_again_pays_nothing_twice(approved, reviewer):
    rows = [(a.number, "", a.amount, "2026-10-20", f"ZF-{n}") for n, a in enumerate(approved)]
    first = disbursements.disbursement_import(actor=reviewer, source=finance_sheet(rows))
    second = disbursements.disbursement_import(actor=reviewer, source=finance_sheet(rows))
    assert len(first.paid) == 3 and first.rejected == []
    assert second.paid == [] and [r["code"] for r in second.rejected] == ["already_paid"] * 3
    assert Disbursement.objects.count() == 3 and Grant.objects.count() == 3


@pytest.mark.parametrize(
    "upload, code",
    [
        (SimpleUploadedFile("拨付.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 64), "wrong_type"),
        (SimpleUploadedFile("拨付.xlsx", b"PK\x03\x04garbage"), "corrupt"),
        (SimpleUploadedFile("拨付.xlsx", b""), "empty"),
        (SimpleUploadedFile("拨付.csv", "姓名,电话\n张三,1\n".encode()), "no_header"),
        (SimpleUploadedFile("拨付.csv", "申请编号,姓名\nBT202610200001,张三\n".encode()), "missing_columns"),
    ],
)
def test_a_wrong_file_is_refused_at_once_and_queues_nothing(upload, code, reviewer):
    with pytest.raises(ImportFileError) as refused:
        disbursements.disbursement_import_start(actor=reviewer, upload=upload)
    assert refused.value.code == code
    assert Job.objects.count() == 0


def test_an_oversize_file_is_refused(reviewer, monkeypatch):
    monkeypatch.setattr(disbursements, "MAX_IMPORT_BYTES", 1024)
    sheet = finance_sheet([(f"BT20261020{n:04d}", "某人", 1000, "2026-10-20", f"ZF{n:06d}") for n in range(200)])
    with pytest.raises(ImportFileError) as refused:
        disbursements.disbursement_import_start(actor=reviewer, upload=SimpleUploadedFile("big.xlsx", sheet.read()))
    assert refused.value.code == "too_large" and "1 KB" in str(refused.value.message)


def test_the_import_runs_as_a_job_with_the_report(approved, reviewer, django_capture_on_commit_callbacks):
    rows = [(approved[0].number, "李创业", 5000, "2026-10-20", "ZF-J1"), ("BT000", "", 1, "2026-10-20", "ZF-J2")]
    upload = SimpleUploadedFile("拨付.xlsx", finance_sheet(rows).read())
    with django_capture_on_commit_callbacks(execute=True):
        job = disbursements.disbursement_import_start(actor=reviewer, upload=upload)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert job.result["paid_count"] == 1 and job.result["rejected"][0]["row"] == 4
    assert Disbursement.objects.get().job_id == job.pk
