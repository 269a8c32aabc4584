import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from chuangfu.desk.models import Category, MetricDefinition, RoutingRule, TicketCounter

pytestmark = pytest.mark.django_db


def test_every_town_starts_with_the_eight_categories_and_their_time_limits(town, other_town):
    names = list(Category.objects.filter(jurisdiction=town).values_list("name", flat=True))
    assert names == ["政策咨询", "注册开办", "融资贷款", "场地租赁", "招聘用工", "创业培训", "补贴申领", "其他"]
    c = Category.objects.get(jurisdiction=other_town, name="融资贷款")
    assert (c.accept_days, c.answer_days, c.rectify_days) == (1, 5, 15)


def test_ticket_numbers_are_the_date_and_a_daily_sequence():
    day = dt.date(2026, 11, 27)
    assert TicketCounter.next_number(day) == "2026112700001"
    assert TicketCounter.next_number(day) == "2026112700002"
    assert TicketCounter.next_number(dt.date(2026, 11, 28)) == "2026112800001"


def test_a_category_cannot_take_longer_to_accept_than_to_answer(category):
    category.accept_days = 6
    with pytest.raises(ValidationError) as exc:
        category.full_clean()
    assert "签收时限不能长于答复时限" in str(exc.value)


def test_a_default_unit_must_belong_to_the_categorys_town(category, other_unit):
    category.default_unit = other_unit
    with pytest.raises(ValidationError) as exc:
        category.full_clean()
    assert "本镇" in str(exc.value)


def test_a_routing_rule_needs_a_category_or_keywords(town, market):
    with pytest.raises(ValidationError) as exc:
        RoutingRule(jurisdiction=town, name="空规则", unit=market).full_clean()
    assert "至少填写一项" in str(exc.value)


def test_metric_definitions_accept_only_known_ticket_lookups():
    metric = MetricDefinition.objects.get(code="satisfaction_rate")
    metric.full_clean()
    metric.numerator = {"requester_mobile": "13800000000"}
    with pytest.raises(ValidationError) as exc:
        metric.full_clean()
    assert "不支持的条件字段" in str(exc.value)
    metric.numerator = {"status__nonsense": 1}
    with pytest.raises(ValidationError):
        metric.full_clean()


def test_a_figure_over_assignments_accepts_only_assignment_lookups():
    metric = MetricDefinition.objects.get(code="timely_accept_rate")
    assert metric.basis == MetricDefinition.Basis.ASSIGNMENT
    metric.full_clean()
    metric.numerator = {"status": "closed"}  # a ticket's field, not an assignment's
    with pytest.raises(ValidationError) as exc:
        metric.full_clean()
    assert "不支持的条件字段" in str(exc.value)
    metric.numerator = {"ticket__status": "closed"}
    metric.full_clean()
