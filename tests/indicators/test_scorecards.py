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


def co_hosted(*units):
    """An activity held earlier today in the town, co-hosted by ``units``."""
    from chuangfu.activities.models import Activity
    from tests.activities import builders as activities

    held = activities.activity()
    Activity.objects.filter(pk=held.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=30))
    held.co_units.add(*units)
    return held


def test_a_unit_with_no_work_in_the_period_has_no_score_and_is_listed_apart_not_last(client):
    """Every default line active: a unit nobody dispatched to, with no task, report, meeting or
    activity, used to score 0 (its 0 co-hosted activities against the best unit's) and rank last;
    now it has no score and no rank, and the pages show it apart and say why."""
    market, idle = factories.unit("市场监管所"), factories.unit("残联")
    assignments(market, accepted_on_time=[True, False])
    co_hosted(market)
    cards = scorecards.cards(factories.town(), periods.year_period(YEAR))
    assert card_of(market, cards).score is not None and card_of(market, cards).rank == 1
    quiet = card_of(idle, cards)
    assert line(quiet, "activities").value == 0  # its count line reads 0 ...
    assert not quiet.has_work and quiet.score is None and quiet.rank is None  # ... but it is not scored 0
    client.force_login(factories.user(role=Role.LEADER))
    html = client.get(reverse("indicators:scorecards"), {"year": YEAR}).content.decode()
    ranking, apart = html.split('id="no-data"')
    assert "市场监管所" in ranking and "残联" not in ranking  # not in the ranking table, not last in it
    assert "残联" in apart and "无考评数据" in apart and "不计 0 分，不参与排名" in apart
    assert "不计 0 分，不参与排名" in ranking  # the rule is stated above the ranking too
    card = client.get(reverse("indicators:scorecard", args=[idle.pk]), {"year": YEAR}).content.decode()
    assert "无考评数据" in card and "不参与排名" in card
    mine = client.get(reverse("indicators:scorecard", args=[market.pk]), {"year": YEAR}).content.decode()
    assert "1<span" in mine and "/ 1</span>" in mine  # first of the one unit with a score
    sheet = load_workbook(io.BytesIO(client.get(reverse("indicators:scorecard_export"), {"year": YEAR}).content)).active
    rows = {r[1].value: (r[0].value, r[2].value) for r in sheet.iter_rows(min_row=2)}
    assert rows["残联"] == (None, "无考评数据") and rows["市场监管所"][0] == 1
    en = client.get(reverse("indicators:scorecards"), {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No data to assess" in en and "无考评数据" not in en


def test_a_unit_with_work_that_co_hosted_no_activity_scores_zero_on_that_line():
    ScorecardMeasure.objects.exclude(code__in=["timely_accept", "activities"]).update(active=False)
    ScorecardMeasure.objects.filter(code="timely_accept").update(weight=30)
    ScorecardMeasure.objects.filter(code="activities").update(weight=10)
    market, youth = factories.unit("市场监管所"), factories.unit("团委")
    assignments(market, accepted_on_time=[True, True])  # work, but no activity co-hosted
    co_hosted(youth)
    cards = scorecards.cards(factories.town(), periods.year_period(YEAR))
    mine = card_of(market, cards)
    assert line(mine, "activities").points == 0 and mine.score == pytest.approx(30 / 40 * 100)
    assert card_of(youth, cards).score == 100  # its one line with data: the most activities in the town


def test_the_reports_on_time_line_scores_the_lead_units_report_cycles(client):
    ScorecardMeasure.objects.exclude(code="reports_on_time").update(active=False)
    year = YEAR - 1  # a whole past year: every cycle has ended
    task = builders.task(title="按季度报送", starts_on=datetime.date(year, 1, 1), due_on=datetime.date(year, 12, 31),
                         report_cycle="quarterly")  # fmt: skip
    from chuangfu.governance.models import ProgressReport

    for month in (2, 8):
        at = timezone.make_aware(datetime.datetime(year, month, 10, 10))
        ProgressReport.objects.create(task=task, unit=task.lead_unit, text="推进中。", percent=20, created_at=at)
    card = card_of(task.lead_unit, scorecards.cards(factories.town(), periods.year_period(year)))
    reports = line(card, "reports_on_time")
    assert (reports.num, reports.den) == (2, 4) and card.score == 50
    assert reports.measure.name == "按时报送率" and reports.measure.weight == 10
    client.force_login(factories.user(role=Role.LEADER))
    drill = client.get(reverse("indicators:scorecard_drill", args=[task.lead_unit.pk, "reports_on_time", "num"]),
                       {"year": year}).content.decode()  # fmt: skip
    assert "共 2 条记录" in drill and "按季度报送 20%" in drill


def test_the_lines_read_in_english_on_english_pages_and_in_chinese_otherwise(client):
    market = factories.unit("市场监管所")
    assignments(market, accepted_on_time=[True, False])
    client.force_login(factories.user(role=Role.LEADER))
    english = client.get(reverse("indicators:scorecards"), {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Accepted in time" in english and "Reports on time" in english
    assert "及时签收率" not in english and "按时报送率" not in english
    card = client.get(reverse("indicators:scorecard", args=[market.pk]), {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Assignments accepted within the acceptance limit" in card.content.decode()
    chinese = client.get(reverse("indicators:scorecards"), {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "及时签收率" in chinese.content.decode() and "Accepted in time" not in chinese.content.decode()


def test_a_line_without_an_english_name_shows_its_chinese_name_on_english_pages(client):
    ScorecardMeasure.objects.filter(code="timely_accept").update(name_en="", definition_en="")
    market = factories.unit("市场监管所")
    assignments(market, accepted_on_time=[True])
    client.force_login(factories.user(role=Role.LEADER))
    english = client.get(reverse("indicators:scorecards"), {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "及时签收率" in english and "Answered on time" in english
