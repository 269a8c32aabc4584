"""Unit scorecards (考评): each member unit's lines from its own records (the desk's per-assignment
figures, ledger tasks, meeting attendance, co-hosted activities), weighted as data and ranked; a
leader sees the ranking and drills down, a unit's liaison sees only its own card; exported."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chuangfu.core.models import Role
from chuangfu.desk import figures
from chuangfu.desk import services as desk
from chuangfu.desk.models import Category, MetricDefinition, Ticket, TicketAssignment
from chuangfu.governance.models import TaskStatus
from chuangfu.indicators import periods, scorecards
from chuangfu.indicators.forms import ScorecardMeasureAdminForm
from chuangfu.indicators.models import ScorecardMeasure
from tests import factories
from tests.governance import builders

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = TODAY.year


def assignments(unit, *, accepted_on_time=(), returned=0, answered_on_time=()):
    """One ticket per fact, each put to ``unit``: ``accepted_on_time`` lists True/False per accepted
    assignment, ``answered_on_time`` likewise; ``returned`` assignments sent back."""
    town = factories.town()
    category = Category.objects.get(jurisdiction=town, name="政策咨询")

    def one(**facts):
        ticket, _ = desk.ticket_submit_public(
            jurisdiction=town, category=category, description="想了解一次性创业补贴的申请条件。",
            requester_name="李娜", requester_mobile=f"139{next(factories._seq):08d}",
        )  # fmt: skip
        TicketAssignment.objects.create(ticket=ticket, unit=unit, role="lead", accept_due=TODAY, **facts)

    for on_time in accepted_on_time:
        one(state="accepted", accepted_at=timezone.now(), accepted_in_time=on_time)
    for on_time in answered_on_time:
        one(state="answered", accepted_at=timezone.now(), accepted_in_time=True, answered_in_time=on_time)
    for _ in range(returned):
        one(state="returned")


def card_of(unit, cards):
    return next(c for c in cards if c.unit.pk == unit.pk)


def line(card, code):
    return next(x for x in card.lines if x.measure.code == code)


def test_a_units_desk_lines_are_the_desk_figures_per_assignment():
    market, union = factories.unit("市场监管所"), factories.unit("总工会")
    assignments(market, accepted_on_time=[True, True, True, False], returned=1)
    assignments(union, accepted_on_time=[True], answered_on_time=[False, True], returned=2)
    cards = scorecards.cards(factories.town(), periods.year_period(YEAR))
    mine = card_of(market, cards)
    assert (line(mine, "timely_accept").num, line(mine, "timely_accept").den) == (3, 4)
    assert (line(mine, "return_rate").num, line(mine, "return_rate").den) == (1, 5)
    theirs = card_of(union, cards)
    assert (line(theirs, "on_time_answer").num, line(theirs, "on_time_answer").den) == (1, 2)
    # the same figures as the desk's own per-unit table for the same dates
    metrics = list(MetricDefinition.objects.filter(code__in=["timely_accept_rate", "return_rate"]))
    rows, _total = figures.compute(base=Ticket.objects.filter(received_on__year=YEAR), by="unit", metrics=metrics)
    desk_row = next(r for r in rows if r.key == str(market.pk))
    assert desk_row.cells["timely_accept_rate"].value == pytest.approx(float(line(mine, "timely_accept").value))
    assert desk_row.cells["return_rate"].value == pytest.approx(float(line(mine, "return_rate").value))


def test_the_score_is_the_weighted_mean_of_the_lines_with_data_and_ranks_the_units():
    ScorecardMeasure.objects.exclude(code__in=["timely_accept", "return_rate"]).update(active=False)
    ScorecardMeasure.objects.filter(code="timely_accept").update(weight=30)
    ScorecardMeasure.objects.filter(code="return_rate").update(weight=10)
    good, poor, idle = factories.unit("市场监管所"), factories.unit("总工会"), factories.unit("团委")
    assignments(good, accepted_on_time=[True, True, True, True])  # 100% on time, no returns
    assignments(poor, accepted_on_time=[True, False], returned=2)  # 50% on time, half returned
    cards = scorecards.cards(factories.town(), periods.year_period(YEAR))
    assert card_of(good, cards).score == 100
    assert card_of(poor, cards).score == pytest.approx((30 * 0.5 + 10 * 0.5) / 40 * 100)
    assert card_of(idle, cards).score is None and card_of(idle, cards).rank is None  # no data: no score, last
    assert [c.unit for c in cards[:2]] == [good, poor] and cards[0].rank == 1
    also_good = factories.unit("妇联")
    assignments(also_good, accepted_on_time=[True])
    ranks = {c.unit: c.rank for c in scorecards.cards(factories.town(), periods.year_period(YEAR))}
    assert ranks[good] == ranks[also_good] == 1 and ranks[poor] == 3  # equal scores share a rank
    ScorecardMeasure.objects.filter(code="return_rate").update(weight=0)  # weights are data
    assert card_of(poor, scorecards.cards(factories.town(), periods.year_period(YEAR))).score == 50


def test_ledger_tasks_and_meeting_attendance_count_for_their_unit():
    due = datetime.date(YEAR, 3, 31)
    on_time = builders.task(lead="市场监管所", due_on=due, starts_on=datetime.date(YEAR, 1, 2))
    builders.task(lead="市场监管所", due_on=due, starts_on=datetime.date(YEAR, 1, 2), title="另一项任务")
    type(on_time).objects.filter(pk=on_time.pk).update(status=TaskStatus.CLOSED, closed_on=due)
    market = factories.unit("市场监管所")
    card = card_of(market, scorecards.cards(factories.town(), periods.year_period(YEAR)))
    assert (line(card, "tasks_on_time").num, line(card, "tasks_on_time").den) == (1, 2)
    drill = scorecards.line_rows(line(card, "tasks_on_time").measure, "num", factories.town(),
                                 periods.year_period(YEAR), market.pk)  # fmt: skip
    assert list(drill) == [on_time]


def test_a_leader_sees_the_ranking_drills_down_and_exports(client):
    market = factories.unit("市场监管所")
    assignments(market, accepted_on_time=[True, False])
    client.force_login(factories.user(role=Role.LEADER))
    html = client.get(reverse("indicators:scorecards"), {"year": YEAR}).content.decode()
    assert "市场监管所" in html and "及时签收率" in html and "1/2" in html
    card = client.get(reverse("indicators:scorecard", args=[market.pk]), {"year": YEAR}).content.decode()
    assert "考评卡" in card and "50.0%" in card
    drill = client.get(reverse("indicators:scorecard_drill", args=[market.pk, "timely_accept", "num"]), {"year": YEAR})
    assert "共 1 条记录" in drill.content.decode()
    assert client.get(reverse("indicators:scorecard_drill", args=[market.pk, "nope", "num"])).status_code == 404
    response = client.get(reverse("indicators:scorecard_export"), {"year": YEAR})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][:3] == ["排名", "单位", "得分"]
    assert any(r[1] == "市场监管所" for r in rows[1:])


def test_a_unit_liaison_sees_only_its_own_card(client):
    market, union = factories.unit("市场监管所"), factories.unit("总工会")
    assignments(union, accepted_on_time=[True])
    client.force_login(factories.user(role=Role.UNIT_LIAISON, unit_=market))
    own = client.get(reverse("indicators:scorecards")).content.decode()  # the menu entry opens their own card
    assert "市场监管所 考评卡" in own and "总工会" not in own
    assert client.get(reverse("indicators:scorecard", args=[market.pk])).status_code == 200
    assert client.get(reverse("indicators:scorecard", args=[union.pk])).status_code == 404
    assert client.get(reverse("indicators:scorecard_drill", args=[union.pk, "timely_accept", "num"])).status_code == 404
    sheet = load_workbook(io.BytesIO(client.get(reverse("indicators:scorecard_export")).content)).active
    assert [r[1].value for r in sheet.iter_rows(min_row=2)] == ["市场监管所"]


def test_another_towns_unit_is_not_found_and_other_roles_are_refused(client):
    other = factories.unit("市场监管所", factories.town("310115125"))
    client.force_login(factories.user(role=Role.LEADER))
    assert client.get(reverse("indicators:scorecard", args=[other.pk])).status_code == 404
    assert client.get(reverse("indicators:scorecards"), {"town": factories.town("310115125").pk}).status_code == 404
    assert client.get(reverse("indicators:scorecard", args=[10**15])).status_code == 404
    assert client.get(reverse("indicators:scorecard", args=[10**25])).status_code == 404
    client.force_login(factories.user(role=Role.DESK_STAFF))
    assert client.get(reverse("indicators:scorecards")).status_code == 403
    assert client.get(reverse("indicators:scorecard_export")).status_code == 403


def test_a_line_naming_an_unknown_unit_source_is_refused():
    form = ScorecardMeasureAdminForm(
        data={"code": "x", "name": "某项", "numerator": "desk.nope", "denominator": "desk.assignments",
              "direction": "higher", "weight": 10, "order": 0, "active": True}
    )  # fmt: skip
    assert not form.is_valid() and "未知的单位数据源" in str(form.errors["numerator"])
    form = ScorecardMeasureAdminForm(
        data={"code": "x", "name": "某项", "numerator": "desk.assignments_returned", "denominator": "desk.assignments",
              "direction": "lower", "weight": 101, "order": 0, "active": True}
    )  # fmt: skip
    assert not form.is_valid() and "weight" in form.errors
