"""政策找人: outreach lists, campaigns that notify and record who was reached, masked exports
limited by role, grant-list imports, and coverage / implementation rates with drill-down."""

import datetime
import io

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Notification, Role
from chuangfu.core.notifications.sms import LocmemSmsBackend
from chuangfu.policies import rates, selectors, services
from chuangfu.policies.models import Grant, OutreachContact
from tests import factories as f

from .conftest import make_policy, village

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today_of_the_run():
    """``TODAY`` is the day each test runs: a suite that crosses Shanghai's midnight keeps no stale day."""
    global TODAY
    TODAY = timezone.localdate()


def young(name="张三", town=None, **fields):
    birth = D(TODAY.year - 25, 1, 1)
    return f.person(
        name=name, id_number=f.id_number(birth=birth), birth_date=birth, jurisdiction=town or f.town(), **fields
    )


@pytest.fixture
def policy():
    policy = make_policy(
        code="tz-youth",
        title="唐镇青年补贴",
        rule={
            "all": [
                {"fact": "age", "op": "lte", "value": 35},
                {"fact": "granted", "op": "is", "value": False, "args": {"policy": "self", "within_months": None}},
            ]
        },
    )
    return policy


def matched(policy):
    services.policy_match(policy=policy, on=TODAY)
    return policy


def test_the_outreach_list_holds_eligible_subjects_not_yet_granted_or_applied_in_the_actors_town(policy, desk):
    reached = young("甲")
    granted = young("乙")
    elsewhere = young("丙", town=f.town("310115125"))
    Grant.objects.create(policy=policy, person=granted, granted_on=TODAY, source="manual")
    matched(policy)
    listed = {m.person for m in selectors.outreach_list(actor=desk, policy=policy)}
    assert listed == {reached}
    assert elsewhere not in listed


def test_a_campaign_notifies_by_sms_and_in_app_and_records_who_was_reached(
    policy, desk, django_capture_on_commit_callbacks
):
    account = f.user(role=Role.ENTREPRENEUR, username="entrepreneur-a")
    with_account = young("有账号", account=account)
    no_contact = young("无联系方式", mobile="")
    matched(policy)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_start(
            actor=desk, policy=policy, jurisdiction=f.town(), title="政策提醒", message="您可能符合唐镇青年补贴。"
        )
    contacts = {c.person: c for c in campaign.contacts.all()}
    assert set(contacts) == {with_account, no_contact}
    assert contacts[with_account].reached_at is not None and contacts[with_account].channel == "sms"
    assert contacts[no_contact].reached_at is None and contacts[no_contact].channel == "none"
    assert (
        (
            with_account.mobile,
            f"【创服】政策提醒：您可能符合唐镇青年补贴。 {settings.PUBLIC_BASE_URL}/policy/{policy.pk}/",  # the link, absolute
        )
        in LocmemSmsBackend.outbox
    )
    assert Notification.objects.filter(recipient=account, title="政策提醒").exists()
    campaign.refresh_from_db()
    assert (campaign.contacts_total, campaign.contacts_reached) == (2, 1)


def test_staff_record_a_phone_call_as_reached_and_a_later_application(policy, desk, django_capture_on_commit_callbacks):
    person = young(mobile="")
    matched(policy)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_start(
            actor=desk, policy=policy, jurisdiction=f.town(), title="提醒", message="请申请"
        )
    contact = campaign.contacts.get(person=person)
    services.contact_record(actor=desk, contact=contact, channel="phone", reached=True, applied_on=TODAY)
    contact.refresh_from_db()
    assert contact.reached_at is not None and contact.applied_on == TODAY
    assert person not in {m.person for m in selectors.outreach_list(actor=desk, policy=policy)}


def test_a_campaign_outside_the_actors_town_is_refused(policy, desk):
    matched(policy)
    with pytest.raises(DomainError, match="只能在本辖区"):
        services.campaign_start(actor=desk, policy=policy, jurisdiction=f.town("310115125"), title="t", message="m")


def _workbook(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def test_the_outreach_export_is_masked(client, policy, desk):
    person = young("王五")
    matched(policy)
    client.force_login(desk)
    response = client.get(reverse("policies:outreach_export", args=[policy.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(_workbook(response).iter_rows(values_only=True))
    assert rows[1][0] == "王五"
    assert rows[1][1] == person.masked_id_number and person.id_number not in str(rows)


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.UNIT_LIAISON, Role.CARRIER_OPERATOR])
def test_roles_without_the_right_cannot_export_the_outreach_list(client, policy, role):
    young()
    matched(policy)
    client.force_login(f.user(role=role))
    response = client.get(reverse("policies:outreach_export", args=[policy.pk]))
    assert response.status_code == 403  # the role table: outreach lists are the desk's, leaders' and admins'
    assert "application/vnd" not in response.get("Content-Type", "")


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


def test_a_grant_list_import_records_grants_once_and_rejects_unknown_rows_with_reasons(policy, desk):
    person = young("赵六")
    rows = [
        [1, "赵六", person.id_number, "2025-03-01", "5000"],
        [2, "无此人", f.id_number(), "2025-03-01", "5000"],
        [3, "赵六", "310115199001011234", "2025-03-01", "5000"],
    ]
    first = services.grant_import(actor=desk, policy=policy, source=_grant_list(rows))
    assert first.created == 1
    reasons = dict(first.rejected)
    assert "名录中没有身份证号码为" in reasons[3]
    assert 4 in reasons  # a wrong check digit
    again = services.grant_import(actor=desk, policy=policy, source=_grant_list(rows))
    assert (again.created, again.existing) == (0, 1)
    assert Grant.objects.filter(policy=policy, person=person).count() == 1


def test_coverage_and_implementation_rates_by_town_with_drill_down(policy, desk, django_capture_on_commit_callbacks):
    a, b, c = young("甲", mobile=""), young("乙"), young("丙")
    village_person = young("丁", town=village())
    matched(policy)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_start(actor=desk, policy=policy, jurisdiction=f.town(), title="提醒", message="请申请")
    services.grant_record(actor=desk, policy=policy, subject=c, granted_on=TODAY, source=Grant.Source.MANUAL)
    matched(policy)  # c is no longer eligible (granted), but still counts as eligible in the period
    (row,) = rates.policy_rates(actor=desk, start=D(TODAY.year, 1, 1), end=TODAY, policies=[policy])
    assert (row.total.eligible, row.total.reached, row.total.granted) == (4, 3, 1)
    assert row.total.coverage == 75.0 and row.total.implementation == 25.0
    assert list(row.by_town) == [f.town()]  # the village folds into its town
    listed = {s: (r, g) for s, r, g in rates.subjects(actor=desk, policy=policy, start=D(TODAY.year, 1, 1), end=TODAY)}
    assert listed[a] == (False, False) and listed[c] == (True, True) and listed[village_person] == (True, False)
    assert b in listed


def test_rates_of_another_town_are_not_counted_for_a_town_account(policy, desk):
    young(town=f.town("310115125"))
    matched(policy)
    (row,) = rates.policy_rates(actor=desk, start=D(TODAY.year, 1, 1), end=TODAY, policies=[policy])
    assert row.total.eligible == 0


def test_granted_contacts_count_as_applied(policy, desk, django_capture_on_commit_callbacks):
    person = young()
    matched(policy)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_start(
            actor=desk, policy=policy, jurisdiction=f.town(), title="提醒", message="请申请"
        )
    services.grant_record(actor=desk, policy=policy, subject=person, granted_on=TODAY, source=Grant.Source.IMPORT)
    assert OutreachContact.objects.get(campaign=campaign, person=person).applied_on == TODAY


def test_a_double_submitted_campaign_is_one_campaign_and_tells_nobody_twice(
    policy, desk, django_capture_on_commit_callbacks
):
    person = young()
    matched(policy)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.campaign_start(
            actor=desk, policy=policy, jurisdiction=f.town(), title="提醒", message="请申请"
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = services.campaign_start(
            actor=desk, policy=policy, jurisdiction=f.town(), title="提醒", message="请申请"
        )
    assert first == second
    assert [mobile for mobile, _text in LocmemSmsBackend.outbox] == [person.mobile]
