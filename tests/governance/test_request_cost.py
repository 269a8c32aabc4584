"""The office's ledger page and the plan's roll-up read a fixed number of statements, however many
tasks, plans and units the town has (the ``ledger`` benchmark's two requests; decisions 26 and 32)."""

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


def test_the_pages_plain_read_finds_what_the_ledger_selector_finds_for_every_filter_and_account():
    """The page reads the ledger in plain SQL (``LedgerPage``), the export and the API through the ORM
    (``ledger``): same tasks, same order, for the office, a unit's liaison and a platform admin,
    under each filter alone and together, including a search with LIKE's own characters."""
    import itertools

    from chuangfu.core.models import Role, User
    from chuangfu.governance import selectors
    from chuangfu.governance.models import Task, TaskStatus
    from chuangfu.governance.services import task_flow
    from tests import factories

    office = builders.office()
    tasks = add_tasks(14, plans=3)
    statuses = [TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.PENDING_CLOSE, TaskStatus.CLOSED,
                TaskStatus.POSTPONED, TaskStatus.SUSPENDED]  # fmt: skip
    titles = ["创业100%服务", "Market_Day", "market day", "招聘会"]
    for i, task in enumerate(tasks):
        Task.objects.filter(pk=task.pk).update(
            status=statuses[i % len(statuses)], title=f"{titles[i % len(titles)]}{i}",
            due_on=datetime.date(2026, 3, 10) + datetime.timedelta(days=(i * 37) % 200),
        )  # fmt: skip
    for task in tasks[::4]:
        task_flow.task_transition(actor=office, task=Task.objects.get(pk=task.pk), name="supervise", note="抓紧")
    builders.task(builders.plan(builders.other_town()), title="他镇任务")
    today = datetime.date(2026, 4, 16)  # the due date of a task in progress: not overdue on the day
    platform = factories.user(Role.ADMIN, is_superuser=True)
    User.objects.filter(pk=platform.pk).update(jurisdiction=None)  # every town
    accounts = [
        office,
        builders.liaison("团委"),
        builders.office(factories.district()),
        User.objects.get(pk=platform.pk),
    ]
    plan = tasks[1].plan_id
    unit = factories.unit("妇联").pk
    choices = {
        "plan": [None, plan],
        "unit": [None, unit],
        "status": ["", TaskStatus.IN_PROGRESS, TaskStatus.CLOSED],
        "due_before": [None, datetime.date(2026, 5, 23)],  # a task's due date: included
        "overdue": [False, True],
        "supervised": [False, True],
        "q": ["", "market", "100%", "_D", "招聘"],
    }
    checked = 0
    for account in accounts:
        for values in itertools.product(*choices.values()):
            filters = selectors.LedgerFilters(**dict(zip(choices, values, strict=True)))
            expected = list(selectors.ledger(actor=account, filters=filters, today=today).values_list("pk", flat=True))
            page = selectors.LedgerPage(actor=account, filters=filters, today=today)
            assert page.count() == len(expected), (account.role, filters)
            assert [row.pk for row in page[0:100]] == expected, (account.role, filters)
            assert [row.pk for row in page[2:5]] == expected[2:5]
            checked += bool(expected)
    assert checked > 100  # most combinations find something: the comparison is not over empty lists
