"""The API writes life after payment as the pages do, through the same services: a reviewer checks
an obligation or decides it by hand, a breach found wrong is corrected, desk staff hand in a
report, the leadership sets the amount and decides, reviewers record repayments until settled.
Bad input gets the service's message in the caller's language, with nothing saved; another town's
record is 404; a role outside the table is refused."""

import datetime

import pytest

from chuangfu.core.days import day_start
from chuangfu.core.models import Role
from chuangfu.subsidies.models import ObligationReport, ObligationStatus, Recovery, RecoveryStatus, Repayment
from chuangfu.subsidies.services.obligations import TermSpec
from tests import factories as f

from .aftercare_builders import enterprise_of, paid, with_terms

pytestmark = pytest.mark.django_db
DUE_DAY = datetime.date(2026, 4, 16)  # the day after the report was due


@pytest.fixture
def world(policy, applicant, reviewer, reviewer2, today):
    """A paid grant of 8,000 元 with a report due, and the day after it was due."""
    with_terms(policy, [TermSpec("report", 3, title="提交经营情况报告")])
    enterprise_of(applicant)
    application = paid(policy, applicant, reviewer, reviewer2)
    today.set(DUE_DAY)
    return {"application": application, "obligation": application.obligations.get(), "leader": f.user(Role.LEADER)}


def _post(client, url, body=None, **headers):
    return client.post(url, body or {}, content_type="application/json", **headers)


def _breach(client, world, reviewer):
    client.force_login(reviewer)
    url = f"/api/subsidies/obligations/{world['obligation'].pk}/transitions/breach"
    response = _post(client, url, {"reason": "报告未按期提交"})
    assert response.status_code == 200, response.content
    recovery = Recovery.objects.get(application=world["application"])
    Recovery.objects.filter(pk=recovery.pk).update(opened_at=day_start(DUE_DAY))
    return response.json(), recovery


def test_a_reviewer_checks_an_obligation_now_and_the_breach_opens_the_recovery(client, world, reviewer):
    client.force_login(reviewer)
    obligation = world["obligation"]
    detail = _post(client, f"/api/subsidies/obligations/{obligation.pk}/check").json()
    assert detail["status"] == "breached" and len(detail["checks"]) == 1
    assert detail["recovery_id"] == Recovery.objects.get(application=world["application"]).pk
    again = _post(client, f"/api/subsidies/obligations/{obligation.pk}/check")
    assert again.status_code == 409 and "已认定" in again.json()["message"]


def test_a_decision_by_hand_needs_its_reason_and_a_breach_found_wrong_is_corrected(client, world, reviewer):
    obligation = world["obligation"]
    client.force_login(reviewer)
    url = f"/api/subsidies/obligations/{obligation.pk}/transitions/breach"
    missing = _post(client, url, {"reason": "  "})
    assert missing.status_code == 400 and missing.json()["message"] == "人工认定需要填写理由。"
    english = _post(client, url, {}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400 and "reason" in english.json()["message"].lower()
    assert _post(client, f"/api/subsidies/obligations/{obligation.pk}/transitions/forgive").status_code == 422
    assert _post(client, url, {"reason": "长" * 501}).status_code == 422
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.PENDING and not Recovery.objects.exists()

    detail, recovery = _breach(client, world, reviewer)
    assert detail["status"] == "breached" and detail["checks"][0]["manual"] is True
    assert [t["name"] for t in detail["transitions"]] == ["reopen"]
    corrected = _post(
        client, f"/api/subsidies/obligations/{obligation.pk}/correct", {"reason": "报告已于窗口纸质提交"}
    ).json()
    assert corrected["status"] == "pending"
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.ANNULLED


def test_desk_staff_hand_in_a_report_and_an_empty_one_is_refused(client, world):
    obligation = world["obligation"]
    client.force_login(f.user(Role.DESK_STAFF))
    url = f"/api/subsidies/obligations/{obligation.pk}/report"
    empty = _post(client, url, {"content": " "})
    assert empty.status_code == 400 and empty.json()["message"]
    assert _post(client, url, {"content": "x" * 20001}).status_code == 422
    assert not ObligationReport.objects.exists()
    assert _post(client, url, {"content": "2026 年一季度经营正常，营收 30 万元。"}).status_code == 200
    assert ObligationReport.objects.get(obligation=obligation).content.startswith("2026")


def test_the_leadership_sets_the_amount_and_decides_and_reviewers_record_repayments_until_settled(
    client, world, reviewer
):
    _detail, recovery = _breach(client, world, reviewer)
    acts = f"/api/subsidies/recoveries/{recovery.pk}/transitions"
    client.force_login(world["leader"])
    over = _post(client, f"{acts}/set_amount", {"amount": "9000", "note": "按比例"})
    assert over.status_code == 400 and "超过已拨付金额" in over.json()["message"]
    assert _post(client, f"{acts}/set_amount", {"amount": "-1"}).status_code == 422
    assert _post(client, f"{acts}/set_amount", {"amount": "1.001"}).status_code == 422
    part = _post(client, f"{acts}/set_amount", {"amount": "5000", "note": "经营满 6 个月，追回一半以上"}).json()
    assert (part["amount"], part["owed"], part["amount_reason"]) == (
        "5000.00",
        "5000.00",
        "经营满 6 个月，追回一半以上",
    )
    stale = _post(client, f"{acts}/recover", {"seen_status": "recovering"})
    assert stale.status_code == 409
    decided = _post(client, f"{acts}/recover", {"seen_status": "open", "note": "依规追回"}).json()
    assert decided["status"] == "recovering" and decided["decision_note"] == "依规追回"
    assert _post(client, f"{acts}/waive", {"note": "再议"}).status_code == 409

    repay = f"/api/subsidies/recoveries/{recovery.pk}/repayments"
    body = {"amount": "2000", "paid_on": DUE_DAY.isoformat(), "reference": "JK-1"}
    assert _post(client, repay, body).status_code == 403  # repayments are the reviewers'
    client.force_login(reviewer)
    assert _post(client, repay, body | {"amount": "6000"}).status_code == 400  # more than owed
    assert _post(client, repay, body | {"paid_on": "2026-04-17"}).status_code == 400  # after today
    assert _post(client, repay, body | {"paid_on": "2026-13-01"}).status_code == 422
    assert _post(client, repay, body | {"reference": ""}).status_code == 422
    first = _post(client, repay, body).json()
    assert (first["repaid"], first["owed"], first["status"]) == ("2000.00", "3000.00", "recovering")
    twice = _post(client, repay, body)
    assert twice.status_code == 409 and "JK-1" in twice.json()["message"]
    last = _post(client, repay, body | {"amount": "3000", "reference": "JK-2"}).json()
    assert (last["owed"], last["status"]) == ("0.00", "settled")
    assert Repayment.objects.filter(recovery=recovery).count() == 2


def test_another_towns_records_are_not_found_and_roles_outside_the_table_are_refused(client, world, reviewer):
    _detail, recovery = _breach(client, world, reviewer)
    obligation = world["obligation"]
    client.force_login(f.user(Role.REVIEWER, f.town("310115125")))
    assert _post(client, f"/api/subsidies/obligations/{obligation.pk}/correct", {"reason": "x"}).status_code == 404
    assert (
        _post(client, f"/api/subsidies/recoveries/{recovery.pk}/transitions/set_amount", {"amount": "1"}).status_code
        == 404
    )
    client.force_login(f.user(Role.DESK_STAFF))
    assert _post(client, f"/api/subsidies/recoveries/{recovery.pk}/transitions/recover").status_code == 403
    assert _post(client, f"/api/subsidies/obligations/{obligation.pk}/check").status_code == 403
    client.logout()
    assert _post(client, f"/api/subsidies/obligations/{obligation.pk}/check").status_code == 401
    recovery.refresh_from_db()
    assert (recovery.status, recovery.amount) == (RecoveryStatus.OPEN, recovery.granted)
