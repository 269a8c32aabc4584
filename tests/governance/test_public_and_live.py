"""The public 工作计划进展 page (issue 15: tasks marked public, with status and figure, nothing
personal) and a task measured by a live indicator (issue 13: its progress from live records)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangfu.core.errors import DomainError
from chuangfu.governance import live
from chuangfu.governance.models import Task
from chuangfu.governance.services import ledger, progress, task_flow

from . import builders

pytestmark = pytest.mark.django_db


def test_only_tasks_marked_public_appear_on_the_public_progress_page_without_personal_data(client):
    office, unit = builders.office(), builders.liaison()
    shown = builders.task(title="建成家门口创业服务站", weight=3)
    builders.task(title="内部协调事项")
    progress.progress_report_submit(actor=unit, task=shown, text="联系人王小明 13912345678 已完成选址", percent=40)
    task_flow.task_transition(actor=office, task=shown, name="supervise", note="请加快进度")
    assert "建成家门口创业服务站" not in client.get(reverse("progress:plans")).content.decode()
    client.force_login(office)
    client.post(reverse("governance:task_public", args=[shown.pk]), {"public": "1"})
    client.logout()
    page = client.get(reverse("progress:plans")).content.decode()
    assert "建成家门口创业服务站" in page and "市场监管所" in page and "40%" in page
    assert "内部协调事项" not in page and "王小明" not in page and "13912345678" not in page
    assert "请加快进度" not in page and "推进中" in page
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("progress:plans") in home  # in the public menu, after the portal's own entries
    assert home.index('href="/progress/"') > home.index(f'href="{reverse("portal:figures")}"')
    english = client.get(reverse("progress:plans"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Work plan progress" in english and "In progress" in english
    client.force_login(office)
    client.post(reverse("governance:task_public", args=[shown.pk]), {"public": "0"})
    assert "建成家门口创业服务站" not in client.get(reverse("progress:plans")).content.decode()


def test_a_unit_liaison_cannot_publish_a_task(client):
    task = builders.task()
    client.force_login(builders.liaison())
    assert client.post(reverse("governance:task_public", args=[task.pk]), {"public": "1"}).status_code == 403
    with pytest.raises(DomainError):
        ledger.task_set_public(actor=builders.liaison(), task=task, public=True)
    task.refresh_from_db()
    assert not task.public


def test_a_task_measured_by_a_live_indicator_moves_with_the_records(monkeypatch, client):
    from chuangfu.indicators import sources

    meetings_held = {"n": 1}
    monkeypatch.setitem(sources.registry().counts, "governance.meetings_held", lambda j, p: meetings_held["n"])
    assert "governance.meetings_held" in dict(live.source_choices())
    office, unit = builders.office(), builders.liaison()
    today = timezone.localdate()
    task = builders.task(
        title="全年召开联席会议 4 次",
        starts_on=today - datetime.timedelta(days=30),
        due_on=today + datetime.timedelta(days=60),
        target_source="governance.meetings_held",
        target_value=4,
    )
    figure = live.live_figure(task)
    assert (figure.value, figure.target, figure.percent) == (1, 4, 25)
    progress.progress_report_submit(actor=unit, task=task, text="已召开一次", percent=90)
    task.refresh_from_db()
    assert task.percent_done == 25  # the live figure, not what the report says
    meetings_held["n"] = 3
    assert progress.live_figures_refresh() == 1 and progress.live_figures_refresh() == 0
    task.refresh_from_db()
    assert task.percent_done == 75
    client.force_login(office)
    page = client.get(reverse("governance:task", args=[task.pk])).content.decode()
    assert "governance.meetings_held" in page and "实时数据 3，目标 4，完成 75%" in page
    monkeypatch.delitem(sources.registry().counts, "governance.meetings_held")
    assert live.live_figure(task).value is None  # a source gone is "no data", not an error


def test_a_live_target_needs_a_registered_source_and_a_positive_value():
    with pytest.raises(DomainError) as exc:
        builders.task(target_source="nobody.counts_this", target_value=3)
    assert exc.value.code == "invalid_source"
    with pytest.raises(DomainError) as exc:
        builders.task(target_source="governance.meetings_held", target_value=0)
    assert exc.value.code == "invalid_target_value"
    assert not Task.objects.exists()


def test_the_task_form_offers_the_registered_sources_and_public(client):
    plan = builders.plan()
    office = builders.office()
    client.force_login(office)
    page = client.get(reverse("governance:task_create", args=[plan.pk])).content.decode()
    assert "governance.tasks_closed" in page and 'name="public"' in page
    data = {
        "title": "办结咨询 100 件",
        "lead_unit": builders.liaison().unit_id,
        "weight": 1,
        "starts_on": "2026-01-05",
        "due_on": "2026-12-31",
        "report_cycle": "monthly",
        "target_source": "governance.tasks_closed",
    }
    response = client.post(reverse("governance:task_create", args=[plan.pk]), data)
    assert response.status_code == 200 and not Task.objects.exists()
    response = client.post(
        reverse("governance:task_create", args=[plan.pk]), {**data, "target_value": 100, "public": "on"}
    )
    task = Task.objects.get()
    assert (task.target_source, task.target_value, task.public) == ("governance.tasks_closed", 100, True)
