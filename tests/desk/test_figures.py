"""Figures computed from records by definitions stored as data."""

import pytest

from chuangfu.desk import figures, selectors, services
from chuangfu.desk.models import MetricDefinition, Ticket

pytestmark = pytest.mark.django_db


def run(actor, by="unit"):
    rows, total = figures.compute(base=selectors.tickets_for(actor), by=by, metrics=selectors.metric_definitions())
    return {r.label: r.cells for r in rows}, total.cells


@pytest.fixture
def answered_by(desk, make_ticket):
    def make(unit, liaison, **kw):
        t = services.ticket_dispatch(ticket=make_ticket(**kw), actor=desk, unit=unit)
        t = services.ticket_accept(ticket=t, actor=liaison)
        return services.ticket_answer(ticket=t, actor=liaison, answer="答复")

    return make


def test_rates_per_unit_count_from_ticket_rows(desk, liaison, co_liaison, market, league, make_ticket, answered_by):
    a = services.ticket_close(ticket=answered_by(market, liaison), actor=desk)
    answered_by(market, liaison)
    t = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    services.ticket_return(ticket=t, actor=liaison, reason="不归我们")
    services.ticket_close(ticket=answered_by(league, co_liaison), actor=desk)
    services.ticket_revisit(ticket=a, actor=desk, outcome="satisfied")
    rows, total = run(desk)
    m = rows["市场监管所"]
    assert (m["closure_rate"].num, m["closure_rate"].den) == (1, 3)
    assert m["return_rate"].value == pytest.approx(100 / 3)
    assert m["timely_accept_rate"].value == 100.0 and m["on_time_rate"].value == 100.0
    assert m["revisit_rate"].value == 100.0
    assert rows["团委"]["closure_rate"].value == 100.0
    assert total["closure_rate"].den == 4 and total["closure_rate"].num == 2
    assert total["answer_days_avg"].value == 0 and total["answer_days_avg"].den == 3


def test_timely_acceptance_is_each_units_own_after_a_reassignment(
    at, desk, liaison, co_liaison, market, league, make_ticket
):
    """Unit A accepts in time, the desk reassigns to unit B, B accepts four weeks late: B's 及时签收率
    is 0/1 (it used to read 1/1, A's acceptance standing for B's), and A keeps its own 1/1."""
    at(2026, 9, 1, 9)
    ticket = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    ticket = services.ticket_accept(ticket=ticket, actor=liaison)
    ticket = services.ticket_reassign(ticket=ticket, actor=desk, unit=league, note="属团委职责")
    at(2026, 9, 29, 9)
    services.ticket_accept(ticket=ticket, actor=co_liaison)
    rows, total = run(desk)
    b, a = rows["团委"]["timely_accept_rate"], rows["市场监管所"]["timely_accept_rate"]
    assert (b.num, b.den, b.value) == (0, 1, 0.0)
    assert (a.num, a.den, a.value) == (1, 1, 100.0)
    assert (total["timely_accept_rate"].num, total["timely_accept_rate"].den) == (1, 2)
    base = selectors.tickets_for(desk)
    late = base.filter(figures.drill_down_q("timely_accept_rate", "den", "unit", str(league.pk)))
    assert list(late) == [ticket] and not base.filter(
        figures.drill_down_q("timely_accept_rate", "num", "unit", str(league.pk))
    )


def test_satisfaction_counts_the_top_three_grades_and_leaves_out_excluded_ratings(
    desk, liaison, leader, market, answered_by
):
    for grade in (5, 4, 3, 2):
        services.rating_submit(ticket=answered_by(market, liaison), grade=grade)
    _rows, total = run(desk)
    assert total["satisfaction_rate"].value == 75.0
    bad = Ticket.objects.get(rating__grade=2)
    services.rating_appeal(ticket=bad, actor=liaison, reason="诉求人误评")
    services.rating_exclude(ticket=bad, actor=leader, reason="核实为误评")
    _rows, total = run(desk)
    assert total["satisfaction_rate"].value == 100.0 and total["satisfaction_rate"].den == 3


def test_rectification_rate_follows_the_closed_loop(desk, liaison, market, answered_by):
    t = answered_by(market, liaison)
    services.rating_submit(ticket=t, grade=1, comment="态度差")
    assert run(desk)[1]["rectification_rate"].value == 0.0
    services.ticket_rectify(ticket=t, actor=liaison, measures="已约谈经办人并重新解释政策")
    assert run(desk)[1]["rectification_rate"].value == 100.0


def test_figures_group_by_category_channel_and_month(desk, make_ticket, category):
    services.ticket_answer_directly(ticket=make_ticket(), actor=desk, answer="好")
    make_ticket()
    rows, _ = run(desk, by="category")
    assert rows["政策咨询"]["closure_rate"].den == 2
    rows, _ = run(desk, by="channel")
    assert rows["网上提交"]["closure_rate"].den == 2
    rows, _ = run(desk, by="month")
    assert len(rows) == 1 and next(iter(rows.values()))["closure_rate"].den == 2


def test_merged_duplicates_are_not_counted(desk, make_ticket):
    primary = make_ticket()
    services.ticket_merge(ticket=make_ticket(), actor=desk, into=primary)
    assert run(desk)[1]["closure_rate"].den == 1


def test_a_changed_definition_changes_the_figure(desk, make_ticket):
    services.ticket_answer_directly(ticket=make_ticket(), actor=desk, answer="好")
    make_ticket()
    assert run(desk)[1]["closure_rate"].value == 0.0
    MetricDefinition.objects.filter(code="closure_rate").update(
        numerator={"status__in": ["answered", "closed", "revisited"]}
    )
    assert run(desk)[1]["closure_rate"].value == 50.0


def test_figures_only_count_the_actors_scope(desk, other_desk, make_ticket):
    make_ticket()
    assert run(other_desk)[1]["closure_rate"].den == 0 and run(desk)[1]["closure_rate"].den == 1


def test_drill_down_returns_exactly_the_tickets_behind_a_figure(desk, liaison, market, answered_by, make_ticket):
    closed = services.ticket_close(ticket=answered_by(market, liaison), actor=desk)
    open_ = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    base = selectors.tickets_for(desk)
    num = base.filter(figures.drill_down_q("closure_rate", "num", "unit", str(market.pk)))
    den = base.filter(figures.drill_down_q("closure_rate", "den", "unit", str(market.pk)))
    assert list(num) == [closed] and set(den) == {closed, open_}
    assert not base.filter(figures.drill_down_q("nonsense", "num", "unit", "1")).exists()
    assert not base.filter(figures.drill_down_q("closure_rate", "num", "month", "2026-13")).exists()
