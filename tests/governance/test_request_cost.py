"""The office's ledger page and the plan's roll-up read a fixed number of statements, however many
tasks, plans and units the town has (the ``ledger`` benchmark's two requests; decisions 26 and 30)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from . import builders

pytestmark = pytest.mark.django_db

UNITS = ("市场监管所", "团委", "妇联", "总工会", "残联", "招商中心")


def statements(client, url) -> int:
    client.get(url)  # the first request after signing in writes the session's new expiry
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_tasks(n: int, *, plans: int, first: int = 0):
    made = []
    for i in range(first, first + n):
        plan = builders.plan(title=f"计划{i % plans}")
        made.append(
            builders.task(plan, title=f"任务{i:03d}", lead=UNITS[i % len(UNITS)], co=(UNITS[(i + 1) % len(UNITS)],),
                          due_on=datetime.date(2026, 3, 10) + datetime.timedelta(days=i))
        )  # fmt: skip
    return made


def test_the_ledger_page_reads_eight_statements_whatever_the_number_of_tasks(client):
    office = builders.office()
    add_tasks(3, plans=1)
    client.force_login(office)
    url = reverse("governance:ledger")
    # session, account, the office's jurisdictions, the count, the plans and units of the filter,
    # the page's rows, the unread count
    assert statements(client, url) == 8
    add_tasks(60, plans=4, first=3)  # more tasks than a page, more plans and units
    assert statements(client, url) == 8
    page = client.get(url).content.decode()
    assert "任务000" in page and "任务049" in page and "任务050" not in page  # by due date, 50 a page
    assert statements(client, url + "?page=2") == 8


def test_the_plans_rollup_reads_six_statements_whatever_the_number_of_tasks(client):
    office = builders.office()
    tasks = add_tasks(2, plans=1)
    client.force_login(office)
    url = f"/api/governance/plans/{tasks[0].plan_id}/rollup"
    # session, account, jurisdictions, the plan, one grouped read of its tasks, the units' names
    assert statements(client, url) == 6
    add_tasks(40, plans=1, first=2)
    assert statements(client, url) == 6
    rollup = client.get(url).json()
    assert rollup["tasks"] == 42 and len(rollup["by_unit"]) == len(UNITS)
