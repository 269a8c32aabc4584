"""Routing: category and keyword rules suggest the unit with the reason; the desk may override."""

import pytest

from chuangfu.core.models import Unit
from chuangfu.desk import services
from chuangfu.desk.models import Category, RoutingRule
from chuangfu.desk.routing import suggest_unit
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def econ(town):
    return factories.unit("经济发展办公室", town, kind=Unit.Kind.GOVERNMENT)


def test_a_category_rule_suggests_its_unit_with_the_reason(make_ticket, town, category, econ):
    RoutingRule.objects.create(jurisdiction=town, name="政策类派经发办", category=category, unit=econ)
    ticket = make_ticket()
    assert ticket.suggested_unit == econ
    assert ticket.suggestion_reason == "规则“政策类派经发办”：类别为“政策咨询”"


def test_a_keyword_rule_wins_over_a_category_rule_at_the_same_priority(make_ticket, town, category, econ, market):
    RoutingRule.objects.create(jurisdiction=town, name="政策类", category=category, unit=econ)
    RoutingRule.objects.create(jurisdiction=town, name="执照", keywords="营业执照，执照变更", unit=market)
    ticket = make_ticket(description="营业执照的经营范围怎么改？")
    assert ticket.suggested_unit == market and ticket.suggestion_reason == "规则“执照”：内容含“营业执照”"
    assert make_ticket(description="有什么扶持政策").suggested_unit == econ


def test_priority_decides_between_rules(town, category, econ, market):
    RoutingRule.objects.create(jurisdiction=town, name="后", keywords="补贴", unit=econ, priority=50)
    RoutingRule.objects.create(jurisdiction=town, name="先", keywords="补贴", unit=market, priority=10)
    unit, reason = suggest_unit(jurisdiction=town, category=category, description="创业补贴")
    assert unit == market and "先" in reason


def test_the_category_default_unit_is_the_fallback_and_inactive_rules_are_ignored(town, category, econ, market):
    RoutingRule.objects.create(jurisdiction=town, name="停用", keywords="补贴", unit=market, active=False)
    assert suggest_unit(jurisdiction=town, category=category, description="补贴") == (None, "")
    category.default_unit = econ
    category.save()
    assert suggest_unit(jurisdiction=town, category=category, description="补贴") == (
        econ,
        "类别“政策咨询”的默认承办单位",
    )


def test_rules_of_another_town_do_not_apply(town, other_town, category, other_unit):
    RoutingRule.objects.create(jurisdiction=other_town, name="外镇", keywords="补贴", unit=other_unit)
    assert suggest_unit(jurisdiction=town, category=category, description="补贴")[0] is None


def test_the_desk_may_override_the_suggestion(make_ticket, desk, town, category, econ, market):
    RoutingRule.objects.create(jurisdiction=town, name="政策类", category=category, unit=econ)
    ticket = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    assert ticket.lead_unit == market and ticket.suggested_unit == econ


def test_the_detail_page_shows_the_suggestion_and_preselects_it(client, make_ticket, desk, town, category, econ):
    RoutingRule.objects.create(jurisdiction=town, name="政策类", category=category, unit=econ)
    ticket = make_ticket()
    client.force_login(desk)
    html = client.get(f"/desk/tickets/{ticket.pk}/").content.decode()
    assert "建议派给 经济发展办公室（规则“政策类”：类别为“政策咨询”），可以改选。" in html
    assert f'<option value="{econ.pk}" selected>' in html


def test_categories_are_configured_per_town(other_town):
    assert Category.objects.filter(jurisdiction=other_town, active=True).count() == 8
