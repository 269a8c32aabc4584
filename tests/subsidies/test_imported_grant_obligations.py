"""A grant imported from a list (policies' 名单导入) carries the obligations of the version in force
on its day, exactly as a paid application does: the same terms, due dates from the grant's day, the
beneficiary told, checked, and a breach opens the one recovery of that grant for its amount.
Importing the list again adds nothing."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from chuangfu.core.days import day_start
from chuangfu.core.models import AuditEntry, Notification, Role
from chuangfu.core.workflow import SYSTEM
from chuangfu.policies import services as policy_services
from chuangfu.policies.models import Grant
from chuangfu.subsidies.models import Obligation, ObligationStatus, Recovery, RecoveryStatus
from chuangfu.subsidies.services import obligations, recoveries
from chuangfu.subsidies.services.obligations import TermSpec
from tests import factories as f

from .aftercare_builders import with_terms

pytestmark = pytest.mark.django_db
GRANTED = datetime.date(2026, 1, 15)


def _grant_list(rows) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "身份证号码", "发放日期", "金额（元）"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "grants.xlsx"
    return out


@pytest.fixture
def imported(policy, applicant, today, django_capture_on_commit_callbacks):
    """The policy's version carries a report term (3 months); a list grants 李创业 6,000 元 on
    2026-01-15 and another person with no amount."""
    with_terms(policy, [TermSpec("report", 3, title="提交经营情况报告", remind_days=14)])
    other = f.person(name="王无额", id_number=f.id_number(birth=datetime.date(1996, 1, 1)))
    desk = f.user(Role.DESK_STAFF)
    rows = [
        [1, "李创业", applicant.person.id_number, GRANTED.isoformat(), "6000"],
        [2, "王无额", other.id_number, GRANTED.isoformat(), ""],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        report = policy_services.grant_import(actor=desk, policy=policy, source=_grant_list(rows))
    assert report.created == 2
    return {"desk": desk, "rows": rows, "grant": Grant.objects.get(person=applicant.person)}


def test_an_imported_grant_carries_the_versions_terms_from_its_day(imported, applicant):
    grant = imported["grant"]
    obligation = Obligation.objects.get(grant=grant)
    assert obligation.application_id is None and obligation.jurisdiction_id == applicant.person.jurisdiction_id
    assert (obligation.title, obligation.starts_on, obligation.due_on) == (
        "提交经营情况报告",
        GRANTED,
        datetime.date(2026, 4, 15),
    )
    assert obligation.remind_on == datetime.date(2026, 4, 1)
    assert obligation.reference == f"名单导入 #{grant.pk}"  # the list gave no voucher number
    told = Notification.objects.get(recipient=applicant, title="补贴附带的后续义务").body
    assert "一次性创业补贴" in told and "2026-01-15" in told and "提交经营情况报告" in told
    assert AuditEntry.objects.filter(action="subsidies.obligation.created").count() == 1


def test_a_grant_without_an_amount_carries_none_and_importing_again_adds_nothing(imported, policy):
    assert Obligation.objects.filter(grant__person__name="王无额").count() == 0
    again = policy_services.grant_import(actor=imported["desk"], policy=policy, source=_grant_list(imported["rows"]))
    assert (again.created, again.existing) == (0, 2)
    assert Obligation.objects.count() == 1


def test_importing_again_gives_an_earlier_import_the_terms_it_lacked(policy, applicant, today):
    desk = f.user(Role.DESK_STAFF)
    rows = [[1, "李创业", applicant.person.id_number, GRANTED.isoformat(), "6000"]]
    policy_services.grant_import(actor=desk, policy=policy, source=_grant_list(rows))
    assert not Obligation.objects.exists()  # no terms yet
    with_terms(policy, [TermSpec("report", 3, title="提交经营情况报告")])
    policy_services.grant_import(actor=desk, policy=policy, source=_grant_list(rows))
    policy_services.grant_import(actor=desk, policy=policy, source=_grant_list(rows))
    assert Obligation.objects.filter(grant__person=applicant.person).count() == 1


def test_a_breach_of_an_imported_grant_opens_its_recovery_for_the_amount_granted(
    imported, applicant, reviewer, today, django_capture_on_commit_callbacks
):
    f.user(Role.LEADER, display_name="领导甲")
    today.set(datetime.date(2026, 4, 16))
    with django_capture_on_commit_callbacks(execute=True):
        counts = obligations.obligations_check_due(today.day)
    assert counts["breached"] == 1
    obligation = Obligation.objects.get(grant=imported["grant"])
    assert obligation.status == ObligationStatus.BREACHED
    recovery = Recovery.objects.get(grant=imported["grant"])
    assert (recovery.status, recovery.granted, recovery.amount, recovery.application_id) == (
        RecoveryStatus.OPEN,
        Decimal("6000.00"),
        Decimal("6000.00"),
        None,
    )
    assert Notification.objects.filter(recipient=applicant, title="补贴追回立案").exists()
    Recovery.objects.filter(pk=recovery.pk).update(opened_at=day_start(today.day))  # the clock pins dates only
    leader = f.user(Role.LEADER)
    recoveries.recovery_decide(actor=leader, recovery=recovery, name="recover")
    recoveries.repayment_record(actor=reviewer, recovery=recovery, amount="6000", paid_on=today.day, reference="JK-1")
    assert Recovery.objects.get(pk=recovery.pk).status == RecoveryStatus.SETTLED


def test_the_beneficiary_reads_and_reports_and_staff_read_it(imported, applicant, reviewer, client, today):
    obligation = Obligation.objects.get(grant=imported["grant"])
    client.force_login(applicant)
    mine = client.get(reverse("aftercare:mine")).content.decode()
    assert f'data-obligation="{obligation.pk}"' in mine
    response = client.post(
        reverse("aftercare:report", args=[obligation.pk]), {"content": "营业收入 12 万元，雇员 2 人"}
    )
    assert response.status_code == 302
    assert Obligation.objects.get(pk=obligation.pk).status == ObligationStatus.MET
    client.force_login(reviewer)
    for name in ("aftercare:obligations", "aftercare:obligation"):
        args = [obligation.pk] if name == "aftercare:obligation" else []
        page = client.get(reverse(name, args=args))
        assert page.status_code == 200 and "名单导入" in page.content.decode()
    client.force_login(f.user(Role.ENTREPRENEUR, mobile="13700009999"))
    assert client.get(reverse("aftercare:my_obligation", args=[obligation.pk])).status_code == 404


def test_a_grant_paid_through_the_subsidies_app_is_not_given_them_twice(imported, policy, applicant):
    grant = Grant.objects.create(
        policy=policy, person=applicant.person, granted_on=datetime.date(2026, 2, 1), amount=1000, source="subsidy"
    )
    assert obligations.obligations_instantiate_for_grant(actor=SYSTEM, grant=grant) == []
