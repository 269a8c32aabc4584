"""The leadership dashboard lists the tasks and tickets waiting for a decision (an extension to
approve, a return to review, a task to close, something overdue nobody has pressed), each linking
to its record, from the town's own records only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangfu.core.models import Role
from chuangfu.desk import services as desk
from chuangfu.desk.models import Category, Status, Ticket
from chuangfu.governance.models import TaskStatus
from chuangfu.indicators import selectors
from chuangfu.indicators.demo import seed_indicators
from tests import factories
from tests.governance import builders

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def ticket(town=None, **facts):
    town = town or factories.town()
    category = Category.objects.get(jurisdiction=town, name="政策咨询")
    made, _ = desk.ticket_submit_public(
        jurisdiction=town, category=category, description="想了解创业担保贷款的额度。", requester_name="李娜",
        requester_mobile=f"139{next(factories._seq):08d}",
    )  # fmt: skip
    Ticket.objects.filter(pk=made.pk).update(**facts)
    return Ticket.objects.get(pk=made.pk)


def by_name(town):
    return {kind["name"]: kind for kind in selectors.awaiting_decision(town)}


def test_extensions_returns_and_overdue_tickets_wait_for_a_decision():
    asked = ticket(status=Status.IN_PROGRESS, extension_pending_days=5, extension_reason="需现场核实")
    back = ticket(status=Status.RETURNED)
    late = ticket(status=Status.ACCEPTED, answer_due=TODAY - datetime.timedelta(days=3))
    ticket(status=Status.ACCEPTED, answer_due=TODAY - datetime.timedelta(days=3), supervised=True)  # pressed already
    ticket(status=Status.CLOSED, extension_pending_days=5)  # closed: nothing to decide
    ticket(factories.town("310115125"), status=Status.RETURNED)  # another town's
    kinds = by_name(factories.town())
    assert kinds["desk.extension_requests"]["count"] == 1
    assert kinds["desk.extension_requests"]["items"][0][1] == reverse("desk:ticket_detail", args=[asked.pk])
    assert "需现场核实" in kinds["desk.extension_requests"]["items"][0][2]
    assert [i[1] for i in kinds["desk.returned"]["items"]] == [reverse("desk:ticket_detail", args=[back.pk])]
    assert kinds["desk.overdue"]["count"] == 1 and late.number in kinds["desk.overdue"]["items"][0][0]


def test_tasks_to_close_and_extensions_asked_wait_for_the_office():
    due = TODAY + datetime.timedelta(days=30)
    closing = builders.task(due_on=due, starts_on=TODAY, title="建设创业指导站")
    type(closing).objects.filter(pk=closing.pk).update(status=TaskStatus.PENDING_CLOSE)
    later = builders.task(due_on=due, starts_on=TODAY, title="举办创业大赛")
    type(later).objects.filter(pk=later.pk).update(
        status=TaskStatus.IN_PROGRESS, extension_until=due + datetime.timedelta(days=20)
    )
    kinds = by_name(factories.town())
    assert kinds["governance.closing_requests"]["count"] == 1
    assert kinds["governance.closing_requests"]["items"][0][1] == reverse("governance:task", args=[closing.pk])
    assert kinds["governance.extension_requests"]["count"] == 1
    assert "举办创业大赛" in kinds["governance.extension_requests"]["items"][0][0]


def test_the_dashboard_shows_what_waits_for_a_decision_with_links(client):
    seed_indicators(TODAY.year)
    back = ticket(status=Status.RETURNED)
    for _ in range(7):
        ticket(status=Status.RETURNED)
    client.force_login(factories.user(role=Role.LEADER))
    html = client.get(reverse("indicators:dashboard")).content.decode()
    assert "待决策事项" in html and "待处理的退单" in html
    assert reverse("desk:ticket_detail", args=[back.pk + 7]) in html  # the newest first
    assert reverse("desk:ticket_detail", args=[back.pk]) not in html  # only the first few are listed
    assert ">8</span>" in html  # but all are counted


def test_the_kept_report_follows_a_recomputation_and_a_new_target_at_once(client):
    from chuangfu.indicators.models import Indicator
    from chuangfu.indicators.services import compute_town_year, target_set
    from chuangfu.portal.models import MediaCoverage

    seed_indicators(TODAY.year)
    town = factories.town()
    leader = factories.user(role=Role.LEADER)
    client.force_login(leader)
    compute_town_year(town, TODAY.year)
    media = Indicator.objects.get(code="media_coverage")

    def media_row():
        html = client.get(reverse("indicators:dashboard")).content.decode()
        start = html.index("媒体报道次数")
        return html[start : html.index("</tr>", start)]

    assert "暂无数据" not in media_row() and ">0</a>" in media_row()
    MediaCoverage.objects.create(jurisdiction=town, outlet="浦东时报", title="报道", kind="print",
                                 published_on=TODAY, created_by=leader)  # fmt: skip
    assert ">0</a>" in media_row()  # the values are the computed ones until the next computation
    compute_town_year(town, TODAY.year)
    assert ">1</a>" in media_row()
    target_set(actor=leader, indicator=media, jurisdiction=town, year=TODAY.year, target=1)
    assert "达到目标" in media_row()
