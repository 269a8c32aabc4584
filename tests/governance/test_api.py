"""The governance API: read the ledger and decisions, submit progress (with files); another
town's task is 404, another unit's task 403, nothing half-saved."""

import datetime

import pytest
from django.utils import timezone

from chuangfu.governance.models import ProgressReport, TaskStatus
from chuangfu.governance.services import ledger, meetings

from .. import factories
from . import builders

pytestmark = pytest.mark.django_db


def test_a_unit_reads_its_ledger_and_reports_progress_with_a_file(client):
    mine = builders.task(title="本单位任务")
    builders.task(title="妇联任务", lead="妇联")
    liaison = builders.liaison()
    client.force_login(liaison)
    page = client.get("/api/governance/tasks").json()
    assert [t["title"] for t in page["items"]] == ["本单位任务"] and page["next_offset"] is None
    response = client.post(
        f"/api/governance/tasks/{mine.pk}/reports/with-files",
        {"text": "已完成一半", "percent": 50, "files": [builders.pdf("台账.pdf")]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["evidence"] == ["台账.pdf"]
        and body["task_status"] == TaskStatus.IN_PROGRESS
        and body["task_progress"] == 50
    )
    detail = client.get(f"/api/governance/tasks/{mine.pk}").json()
    assert detail["progress"] == 50 and detail["milestones"] == []


def test_a_report_on_another_units_task_is_refused_and_another_towns_task_is_not_found(client):
    other_unit_task = builders.task(lead="妇联")
    zj = builders.other_town()
    theirs = ledger.task_create(
        actor=builders.office(zj),
        plan=builders.plan(zj, title="张江计划"),
        title="张江任务",
        lead_unit=factories.unit("市场监管所", zj),
        starts_on=datetime.date(2026, 3, 2),
        due_on=datetime.date(2026, 6, 1),
    )
    client.force_login(builders.liaison())
    response = client.post(
        f"/api/governance/tasks/{other_unit_task.pk}/reports",
        {"text": "x", "percent": 10},
        content_type="application/json",
    )
    assert response.status_code == 404  # not even visible to this unit
    client.force_login(builders.liaison("妇联"))
    co_refused = client.post(
        f"/api/governance/tasks/{other_unit_task.pk}/reports",
        {"text": "x", "percent": 101},
        content_type="application/json",
    )
    assert co_refused.status_code == 400 and "0 到 100" in co_refused.json()["message"]
    assert client.get(f"/api/governance/tasks/{theirs.pk}").status_code == 404
    assert not ProgressReport.objects.exists()


def test_the_office_reads_decisions_and_the_plans_rollup(client):
    office = builders.office()
    series = builders.series()
    meeting = builders.meeting(series, starts_at=timezone.now() - datetime.timedelta(hours=1))
    for name in ("set_agenda", "hold"):
        meeting = meetings.meeting_transition(actor=office, meeting=meeting, name=name)
    plan = builders.plan()
    decision = meetings.decision_create(
        actor=office,
        meeting=meeting,
        text="落实贴息",
        lead_unit=builders.liaison().unit,
        due_on=timezone.localdate() + datetime.timedelta(days=10),
        plan=plan,
    )
    client.force_login(office)
    rows = client.get("/api/governance/decisions").json()
    assert rows[0]["text"] == "落实贴息" and rows[0]["task_id"] == decision.task_id
    assert rows[0]["task_status"] == TaskStatus.NOT_STARTED
    rollup = client.get(f"/api/governance/plans/{plan.pk}/rollup").json()
    assert rollup["tasks"] == 1 and rollup["percent"] == 0 and rollup["by_unit"][0]["unit"] == "市场监管所"
    assert rollup["plan_id"] == plan.pk and rollup["plan"] == plan.title
    elsewhere = builders.plan(builders.other_town(), title="张江计划")
    assert client.get(f"/api/governance/plans/{elsewhere.pk}/rollup").status_code == 404
    assert client.get("/api/governance/plans/99999999/rollup").status_code == 404
    tasks = client.get("/api/governance/tasks", {"supervised": True}).json()
    assert tasks["items"] == []
