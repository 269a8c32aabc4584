"""The ledger's pages: the office's ledger with filters and .xlsx export, a unit's own ledger, the
task page (report with evidence, 销号), the plan's roll-up and timeline, the leader's page; another
town's records are not found."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from chuangfu.governance.models import ProgressReport, TaskStatus
from chuangfu.governance.services import ledger, task_flow

from .. import factories
from . import builders

pytestmark = pytest.mark.django_db


def test_the_office_filters_the_ledger_by_unit_status_overdue_and_supervision(client):
    office = builders.office()
    late = builders.task(title="逾期的任务", due_on=datetime.date(2020, 3, 2), starts_on=datetime.date(2020, 1, 2))
    builders.task(title="团委的任务", lead="团委", due_on=datetime.date(2099, 1, 1))
    task_flow.task_transition(actor=office, task=late, name="supervise", note="抓紧")
    client.force_login(office)
    url = reverse("governance:ledger")
    page = client.get(url).content.decode()
    assert "逾期的任务" in page and "团委的任务" in page
    assert "团委的任务" not in client.get(url, {"overdue": "1"}).content.decode()
    supervised = client.get(url, {"supervised": "1"}).content.decode()
    assert "逾期的任务" in supervised and "团委的任务" not in supervised
    tuanwei = factories.unit("团委")
    by_unit = client.get(url, {"unit": tuanwei.pk}).content.decode()
    assert "团委的任务" in by_unit and "逾期的任务" not in by_unit
    assert "逾期的任务" not in client.get(url, {"status": TaskStatus.CLOSED}).content.decode()


def test_the_export_has_the_ledgers_columns_and_the_filtered_rows(client):
    office = builders.office()
    task = builders.task(title="导出的任务", co=["团委", "妇联"])
    builders.task(title="另一项", lead="团委")
    client.force_login(builders.liaison())
    response = client.get(reverse("governance:ledger_export"))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:6] == ("序号", "工作计划", "任务", "目标", "牵头单位", "配合单位")
    assert [r[2] for r in rows[1:]] == ["导出的任务"]  # the liaison's export is their unit's ledger
    assert rows[1][5] in ("团委、妇联", "妇联、团委") and rows[1][10] == "未启动"
    client.force_login(office)
    rows = list(
        openpyxl.load_workbook(io.BytesIO(client.get(reverse("governance:ledger_export")).content)).active.values
    )
    assert len(rows) == 3 and task.pk in [r[0] for r in rows]


def test_a_unit_sees_its_own_ledger_and_not_other_units_tasks(client):
    mine = builders.task(title="本单位的任务")
    other = builders.task(title="妇联的任务", lead="妇联")
    client.force_login(builders.liaison())
    page = client.get(reverse("governance:ledger")).content.decode()
    assert "本单位的任务" in page and "妇联的任务" not in page and "本单位台账" in page
    assert client.get(reverse("governance:task", args=[mine.pk])).status_code == 200
    assert client.get(reverse("governance:task", args=[other.pk])).status_code == 404
    response = client.post(reverse("governance:report_submit", args=[other.pk]), {"text": "x", "percent": 10})
    assert response.status_code == 404 and not ProgressReport.objects.exists()


def test_another_towns_task_and_plan_are_not_found(client):
    theirs = builders.plan(builders.other_town(), title="张江计划")
    zj_office = builders.office(builders.other_town())
    task = ledger.task_create(
        actor=zj_office,
        plan=theirs,
        title="张江的任务",
        lead_unit=factories.unit("市场监管所", builders.other_town()),
        starts_on=datetime.date(2026, 3, 2),
        due_on=datetime.date(2026, 5, 1),
    )
    client.force_login(builders.office())
    for name, pk in (("governance:task", task.pk), ("governance:plan", theirs.pk)):
        assert client.get(reverse(name, args=[pk])).status_code == 404
    response = client.post(reverse("governance:task_transition", args=[task.pk, "supervise"]), {"note": "x"})
    assert response.status_code == 404
    assert "张江的任务" not in client.get(reverse("governance:ledger")).content.decode()


def test_a_unit_reports_with_evidence_on_the_page_and_the_office_closes_the_task(client):
    task = builders.task(title="走访孵化器")
    unit, office = builders.liaison(), builders.office()
    client.force_login(unit)
    response = client.post(
        reverse("governance:report_submit", args=[task.pk]),
        {"text": "已走访全部孵化器", "percent": 100, "files": [builders.pdf("走访记录.pdf")]},
    )
    assert response.status_code == 302
    page = client.get(reverse("governance:task", args=[task.pk])).content.decode()
    assert "走访记录.pdf" in page and "申请销号" in page and "同意销号" not in page
    evidence = ProgressReport.objects.get().evidence.get()
    assert client.get(reverse("governance:evidence", args=[evidence.pk])).status_code == 200
    client.post(reverse("governance:task_transition", args=[task.pk, "request_close"]), {"note": ""})
    client.force_login(office)
    decisions = client.get(reverse("governance:decisions")).content.decode()
    assert "走访孵化器" in decisions
    assert "同意销号" in client.get(reverse("governance:task", args=[task.pk])).content.decode()
    client.post(reverse("governance:task_transition", args=[task.pk, "approve_close"]), {"note": "材料齐全"})
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED


def test_a_refused_report_keeps_the_form_and_says_why(client):
    task = builders.task()
    client.force_login(builders.liaison())
    response = client.post(reverse("governance:report_submit", args=[task.pk]), {"text": "", "percent": 120})
    assert response.status_code == 400 and not ProgressReport.objects.exists()
    client.post(reverse("governance:task_transition", args=[task.pk, "request_close"]), {"note": ""})
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED


def test_the_office_creates_a_plan_and_a_task_and_sees_the_rollup_and_timeline(client):
    office = builders.office()
    unit = builders.liaison().unit
    client.force_login(office)
    response = client.post(reverse("governance:plan_create"), {"title": "2026年叠加任务", "year": 2026})
    plan_url = response["Location"]
    plan_pk = int(plan_url.rstrip("/").split("/")[-1])
    response = client.post(
        reverse("governance:task_create", args=[plan_pk]),
        {
            "title": "举办创业大赛",
            "lead_unit": unit.pk,
            "weight": 2,
            "starts_on": "2026-09-30",
            "workdays": 5,
            "report_cycle": "weekly",
        },
    )
    assert response.status_code == 302
    task_pk = int(response["Location"].rstrip("/").split("/")[-1])
    client.post(
        reverse("governance:milestone_add", args=[task_pk]), {"title": "报名截止", "due_on": "2026-10-09", "weight": 1}
    )
    task_page = client.get(reverse("governance:task", args=[task_pk])).content.decode()
    assert "2026-10-13" in task_page  # 5 working days after 9/30, over the National Day holiday
    page = client.get(plan_url).content.decode()
    assert "报名截止" in page and "时间节点进度图" in page and "市场监管所" in page
    bad = client.post(
        reverse("governance:milestone_add", args=[task_pk]), {"title": "太晚", "due_on": "2026-12-01", "weight": 1}
    )
    assert bad.status_code == 400 and "节点时限必须在" in bad.content.decode()


def test_only_the_office_sees_the_decision_page_and_creates_tasks(client):
    plan = builders.plan()
    client.force_login(builders.liaison())
    assert client.get(reverse("governance:decisions")).status_code == 403
    assert client.get(reverse("governance:task_create", args=[plan.pk])).status_code == 403
