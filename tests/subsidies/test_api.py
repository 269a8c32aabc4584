"""The subsidy API: applicants see their own applications only; staff list, read and act with the
rules of the pages (finalise and disburse included); the public reads notices and objects; another
town's or another applicant's ids are 404; the endpoints are in the OpenAPI schema."""

import datetime
from decimal import Decimal

import pytest

from chuangfu.core import timeline
from chuangfu.core.models import Role
from chuangfu.subsidies.models import Disbursement, Objection, Status
from chuangfu.subsidies.services import notices
from tests import factories as f

from .builders import applicant_account, second_reviewed

API = "/api/subsidies"


@pytest.fixture
def reviewed(policy, applicant, reviewer, reviewer2):
    return [
        second_reviewed(policy, applicant, reviewer, reviewer2, amount=Decimal("5000")),
        second_reviewed(policy, applicant_account(name="欧阳娜娜"), reviewer, reviewer2, amount=Decimal("3000")),
    ]


def notice_over(reviewer, applications):
    batch = notices.notice_batch_create(actor=reviewer, title="公示", applications=applications)
    return notices.notice_batch_publish(actor=reviewer, batch=batch, today=datetime.date(2026, 9, 30))


def as_user(client, user):
    client.force_login(user)
    return client


def test_an_applicant_sees_only_their_own_applications(client, reviewed, applicant):
    timeline.record(
        reviewed[0],
        actor="审核甲",
        action="note",
        label="内部意见",
        note="材料真实性存疑，已电话核实",
        public=False,
    )
    timeline.record(
        reviewed[0],
        actor="审核乙",
        action="second_approve",
        label="复审通过",
        note="内部：同意",
        public=True,
        public_note="复审通过，等待公示。",
    )
    c = as_user(client, applicant)
    mine = c.get(f"{API}/mine").json()
    assert [row["number"] for row in mine] == [reviewed[0].number]
    detail = c.get(f"{API}/mine/{reviewed[0].pk}").json()
    assert detail["status"] == Status.SECOND_REVIEWED and detail["transitions"] == []
    events = [(e["label"], e["note"]) for e in detail["events"]]
    assert events[-1] == ("复审通过", "复审通过，等待公示。") and ("提交申请", "") in events  # the real steps too
    assert "材料真实性存疑" not in str(events) and "内部：同意" not in str(events)
    assert c.get(f"{API}/mine/{reviewed[1].pk}").status_code == 404
    assert c.get(f"{API}/applications/{reviewed[0].pk}").status_code == 403  # the staff's operations
    assert c.get(f"{API}/applications").status_code == 403


def test_staff_finalise_and_disburse_through_transitions_once(client, reviewed, reviewer, reviewer2):
    notice_over(reviewer, reviewed)
    c = as_user(client, reviewer)
    early = c.post(
        f"{API}/applications/{reviewed[0].pk}/transitions/disburse",
        {"amount": "5000", "paid_on": "2026-10-20", "reference": "ZF-1"},
        content_type="application/json",
    )
    assert early.status_code == 409 and early.json()["code"] == "not_approved"
    detail = c.get(f"{API}/applications/{reviewed[0].pk}").json()
    assert "finalise" in [t["name"] for t in detail["transitions"]]
    ok = c.post(f"{API}/applications/{reviewed[0].pk}/transitions/finalise", {}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == Status.APPROVED
    again = as_user(client, reviewer2).post(
        f"{API}/applications/{reviewed[0].pk}/transitions/finalise", {}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "already_finalised"
    paid = c.post(
        f"{API}/applications/{reviewed[0].pk}/transitions/disburse",
        {"amount": "5000", "paid_on": "2026-10-20", "reference": "ZF-1"},
        content_type="application/json",
    )
    assert paid.status_code == 200 and paid.json()["payment"]["reference"] == "ZF-1"
    twice = c.post(
        f"{API}/applications/{reviewed[0].pk}/transitions/disburse",
        {"amount": "5000", "paid_on": "2026-10-20", "reference": "ZF-2"},
        content_type="application/json",
    )
    assert twice.status_code == 409 and "ZF-1" in twice.json()["message"]
    assert Disbursement.objects.count() == 1
    publish = c.post(f"{API}/applications/{reviewed[1].pk}/transitions/publish", {}, content_type="application/json")
    assert publish.status_code == 409 and publish.json()["code"] == "batch_only"
    unknown = c.post(f"{API}/applications/{reviewed[1].pk}/transitions/pay_twice", {}, content_type="application/json")
    assert unknown.status_code == 400


def test_staff_lists_and_notices_are_scoped_and_another_town_gets_404(client, reviewed, reviewer):
    batch = notice_over(reviewer, reviewed)
    c = as_user(client, reviewer)
    rows = c.get(f"{API}/applications", {"status": Status.IN_NOTICE}).json()["items"]
    assert sorted(r["number"] for r in rows) == sorted(a.number for a in reviewed)
    finalised = c.post(f"{API}/notices/{batch.pk}/finalise").json()
    assert sorted(finalised["approved"]) == sorted(a.number for a in reviewed) and finalised["closed"]
    outsider = as_user(client, f.user(role=Role.REVIEWER, jurisdiction=f.town("310115125")))
    assert outsider.get(f"{API}/applications").json()["items"] == []
    for url in (f"{API}/applications/{reviewed[0].pk}", f"{API}/notices/{batch.pk}"):
        assert outsider.get(url).status_code == 404
    assert (
        outsider.post(
            f"{API}/applications/{reviewed[0].pk}/transitions/disburse",
            {"amount": "5000", "paid_on": "2026-10-20", "reference": "X"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert outsider.post(f"{API}/notices/{batch.pk}/finalise").status_code == 404
    assert Disbursement.objects.count() == 0


def test_the_public_reads_notices_masked_and_objects(client, reviewed, reviewer):
    batch = notices.notice_batch_create(actor=reviewer, title="正在公示", applications=reviewed)
    notices.notice_batch_publish(actor=reviewer, batch=batch)
    listed = client.get(f"{API}/public/notices").json()
    assert [e["name"] for e in listed[0]["entries"]] == ["李*业", "欧**娜"]
    assert all(e["number"] == "" for e in listed[0]["entries"])
    url = f"{API}/public/notices/{batch.number}/objections"
    bad = client.post(
        url,
        {"application_number": reviewed[0].number, "name": "王", "mobile": "1", "content": "短"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and set(bad.json()["details"]["fields"]) == {"mobile", "content"}
    ok = client.post(
        url,
        {
            "application_number": reviewed[0].number,
            "name": "王群众",
            "mobile": "13800138000",
            "content": "申请人并未实际经营。",
        },
        content_type="application/json",
    )
    assert ok.status_code == 201 and Objection.objects.count() == 1
    assert (
        client.post(
            url,
            {
                "application_number": "BT000",
                "name": "王群众",
                "mobile": "13800138000",
                "content": "申请人并未实际经营。",
            },
            content_type="application/json",
        ).status_code
        == 404
    )


def test_the_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/subsidies/mine",
        "/api/subsidies/mine/{application_id}",
        "/api/subsidies/applications",
        "/api/subsidies/applications/{application_id}",
        "/api/subsidies/applications/{application_id}/transitions/{name}",
        "/api/subsidies/notices",
        "/api/subsidies/notices/{batch_id}/finalise",
        "/api/subsidies/public/notices",
        "/api/subsidies/public/notices/{number}/objections",
        "/api/subsidies/disbursements",
    ):
        assert path in paths, path
