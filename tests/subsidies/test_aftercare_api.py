"""The API reads life after payment as the pages do: a town's obligations (with each check and what
it read) and recoveries (with repayments and timeline), the transitions the caller may fire, another
town's records 404, roles outside the table refused."""

import datetime

import pytest

from chuangfu.core.days import day_start
from chuangfu.core.models import Role
from chuangfu.subsidies.models import Recovery
from chuangfu.subsidies.services import obligations, recoveries
from chuangfu.subsidies.services.obligations import TermSpec
from tests import factories as f

from .aftercare_builders import enterprise_of, paid, with_terms

pytestmark = pytest.mark.django_db
BREACHED_ON = datetime.date(2026, 4, 16)


@pytest.fixture
def breached(policy, applicant, reviewer, reviewer2, today):
    """A grant of 8,000 元 whose report never came (breached on the daily check), partly repaid."""
    with_terms(policy, [TermSpec("report", 3, title="提交经营情况报告"), TermSpec("operating", 12, title="持续经营")])
    enterprise_of(applicant)
    application = paid(policy, applicant, reviewer, reviewer2)
    today.set(BREACHED_ON)
    obligations.obligations_check_due(BREACHED_ON)
    recovery = Recovery.objects.get(application=application)
    Recovery.objects.filter(pk=recovery.pk).update(opened_at=day_start(BREACHED_ON))
    leader = f.user(Role.LEADER)
    recoveries.recovery_decide(actor=leader, recovery=recovery, name="recover")
    recoveries.repayment_record(actor=reviewer, recovery=recovery, amount="3000", paid_on=BREACHED_ON, reference="JK-1")
    return {"application": application, "recovery": Recovery.objects.get(pk=recovery.pk), "leader": leader}


def test_staff_list_and_read_the_towns_obligations_with_what_each_check_read(client, breached, reviewer):
    client.force_login(reviewer)
    page = client.get("/api/subsidies/obligations", {"status": "breached"}).json()
    assert [o["title"] for o in page["items"]] == ["提交经营情况报告"] and page["next_offset"] is None
    row = page["items"][0]
    assert (row["reference"], row["application_id"], row["grant_id"]) == (
        breached["application"].number,
        breached["application"].pk,
        None,
    )
    assert row["status_label"] == "未履行" and row["due_on"] == "2026-04-15"
    detail = client.get(f"/api/subsidies/obligations/{row['id']}").json()
    (check,) = detail["checks"]
    assert check["result"] == "breached" and check["by"] == "" and check["evidence"]["checked_on"] == "2026-04-16"
    assert detail["recovery_id"] == breached["recovery"].pk
    assert [t["name"] for t in detail["transitions"]] == []  # decided: the breach can no longer be corrected
    first = client.get("/api/subsidies/obligations", {"limit": 1}).json()
    assert len(first["items"]) == 1 and first["next_offset"] == 1


def test_staff_read_a_recovery_with_what_is_owed_its_repayments_and_timeline(client, breached, reviewer):
    client.force_login(breached["leader"])
    (row,) = client.get("/api/subsidies/recoveries", {"status": "unfinished"}).json()["items"]
    assert (row["amount"], row["repaid"], row["owed"], row["status"]) == ("8000.00", "3000.00", "5000.00", "recovering")
    detail = client.get(f"/api/subsidies/recoveries/{row['id']}").json()
    assert detail["repayments"] == [{"amount": "3000.00", "paid_on": "2026-04-16", "reference": "JK-1"}]
    assert [e["label"] for e in detail["events"]][:2] == ["立案追回", "决定追回"]
    assert detail["transitions"] == []  # repayments are the reviewers'
    client.force_login(reviewer)
    names = [t["name"] for t in client.get(f"/api/subsidies/recoveries/{row['id']}").json()["transitions"]]
    assert names == ["repay"]
    assert client.get("/api/subsidies/recoveries", {"status": "settled"}).json()["items"] == []


def test_another_towns_records_are_not_found_and_other_roles_are_refused(client, breached):
    obligation = breached["application"].obligations.first()
    foreign = f.user(Role.REVIEWER, f.town("310115125"))
    client.force_login(foreign)
    assert client.get(f"/api/subsidies/obligations/{obligation.pk}").status_code == 404
    assert client.get(f"/api/subsidies/recoveries/{breached['recovery'].pk}").status_code == 404
    assert client.get("/api/subsidies/obligations").json()["items"] == []
    client.force_login(f.user(Role.DESK_STAFF))
    assert client.get(f"/api/subsidies/obligations/{obligation.pk}").status_code == 200  # they take reports in
    assert client.get("/api/subsidies/recoveries").status_code == 403  # names and amounts owed: not theirs
    client.force_login(f.user(Role.MENTOR))
    assert client.get("/api/subsidies/obligations").status_code == 403
    client.logout()
    assert client.get("/api/subsidies/obligations").status_code == 401


def test_bad_filters_are_refused_with_a_message(client, breached, reviewer):
    client.force_login(reviewer)
    response = client.get("/api/subsidies/obligations", {"limit": 1000})
    assert response.status_code == 422
    assert client.get("/api/subsidies/obligations/abc").status_code == 422
