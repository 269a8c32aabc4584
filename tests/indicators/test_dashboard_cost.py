"""The leader's dashboard reads a fixed number of statements once its report is kept, however many
indicators, values, snapshots and waiting items the town has, and what it keeps follows a
submitted snapshot at once (the ``dashboard`` benchmark; decisions 25 and 32)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chuangfu.core.models import Role
from chuangfu.desk.models import Status
from chuangfu.indicators.demo import seed_indicators
from chuangfu.indicators.services import compute_town_year, snapshot_submit
from tests import factories

from .test_decisions import ticket

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def statements(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_kept_dashboard_reads_six_statements_whatever_the_towns_records(client):
    seed_indicators(YEAR)
    town = factories.town()
    compute_town_year(town, YEAR)
    leader = factories.user(role=Role.LEADER)
    client.force_login(leader)
    url = reverse("indicators:dashboard")
    client.get(url)  # fills what is kept (and writes the session's new expiry)
    # session, account, jurisdictions, the towns, the kept report's version, the unread count
    assert statements(client, url)[0] == 6
    for _ in range(12):
        ticket(status=Status.RETURNED)
    compute_town_year(town, YEAR)  # new values: the report is rendered again once
    client.get(url)
    assert statements(client, url)[0] == 6


def test_a_submitted_snapshot_shows_on_the_dashboard_at_once(client):
    seed_indicators(YEAR)
    town = factories.town()
    compute_town_year(town, YEAR)
    leader = factories.user(role=Role.LEADER, display_name="王主任")
    client.force_login(leader)
    url = reverse("indicators:dashboard")
    html = client.get(url).content.decode()
    section = html[html.index("已提交的评估结果") :]
    assert "暂无。" in section[: section.index("</ul>")]
    snapshot_submit(actor=leader, jurisdiction=town, year=YEAR)
    count, html = statements(client, url)
    section = html[html.index("已提交的评估结果") :]
    assert f"{YEAR} · " in section and "王主任" in section[: section.index("</ul>")]
    assert count > 6  # rendered again, then kept
    assert statements(client, url)[0] == 6
