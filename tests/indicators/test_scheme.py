"""Indicators are data: expressions over registered sources, validated when saved, held to test cases."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from chuangfu.indicators import expressions, sources
from chuangfu.indicators.demo import seed_indicators
from chuangfu.indicators.models import Indicator, IndicatorCase, Scheme
from chuangfu.indicators.services import indicator_case_results, indicator_save, target_set
from tests import factories

pytestmark = pytest.mark.django_db


def scheme():
    return Scheme.objects.get_or_create(code="test", version=1, defaults={"name": "测试体系", "year_from": 2022})[0]


def admin():
    return factories.user(role=Role.ADMIN)


def data(**over):
    return {"scheme": scheme(), "code": "closed_rate", "name": "办结率", "definition": "办结 ÷ 受理", "category": "satisfaction",
            "kind": "rate", "numerator": "desk.tickets_closed", "denominator": "desk.tickets_received", **over}  # fmt: skip


def test_every_app_registers_its_sources():
    names = set(sources.names())
    for expected in ("desk.tickets_closed", "desk.ratings_satisfied", "activities.held", "policies.grants",
                     "portal.cases_published", "governance.meetings_held"):  # fmt: skip
        assert expected in names, expected


def test_an_unknown_source_and_a_division_by_zero_are_refused_with_every_problem_at_once():
    with pytest.raises(ValidationError) as info:
        indicator_save(actor=admin(), data=data(numerator="desk.no_such + 1/0", denominator="foo"))
    errors = info.value.message_dict
    assert any("未知的数据源“desk.no_such”" in m for m in errors["numerator"])
    assert any("除以 0" in m for m in errors["numerator"])
    assert any("不是数据源名称" in m for m in errors["denominator"])
    assert not Indicator.objects.exists()


def test_a_rate_needs_a_denominator_and_a_count_has_none():
    with pytest.raises(ValidationError, match="需要分母"):
        indicator_save(actor=admin(), data=data(denominator=""))
    with pytest.raises(ValidationError, match="计数指标不填分母"):
        indicator_save(actor=admin(), data=data(kind="count"))


def test_code_injection_is_not_arithmetic():
    for text in ("__import__('os').system('id')", "desk.tickets_closed if 1 else 2", "[1]", "desk.tickets_closed ** 2"):
        with pytest.raises(expressions.ExpressionError):
            expressions.validate(text, set(sources.names()))


def test_values_divide_to_no_data_never_to_an_error():
    assert expressions.evaluate("a.b / c.d", {"a.b": 5, "c.d": 0}) is None
    assert expressions.evaluate("(a.b + 1) * 2", {"a.b": 5}) == Decimal(12)


def test_test_cases_pass_or_say_what_came_out():
    indicator = indicator_save(actor=admin(), data=data())
    IndicatorCase.objects.create(
        indicator=indicator,
        name="九成",
        given={"desk.tickets_closed": 9, "desk.tickets_received": 10},
        expected=Decimal(90),
    )
    IndicatorCase.objects.create(
        indicator=indicator,
        name="错的期望",
        given={"desk.tickets_closed": 1, "desk.tickets_received": 4},
        expected=Decimal(30),
    )
    IndicatorCase.objects.create(
        indicator=indicator, name="无数据", given={"desk.tickets_closed": 0, "desk.tickets_received": 0}, expected=None
    )
    results = {r.case.name: r for r in indicator_case_results(indicator)}
    assert results["九成"].passed and results["无数据"].passed
    assert not results["错的期望"].passed and results["错的期望"].actual == Decimal(25)


def test_a_negative_target_is_refused_and_only_leaders_and_admins_set_targets():
    seed_indicators(2026)
    indicator = Indicator.objects.get(code="satisfaction_rate")
    with pytest.raises(ValidationError):
        target_set(actor=admin(), indicator=indicator, jurisdiction=factories.town(), year=2026, target=-1)
    with pytest.raises(DomainError):
        target_set(
            actor=factories.user(role=Role.DESK_STAFF),
            indicator=indicator,
            jurisdiction=factories.town(),
            year=2026,
            target=90,
        )


def test_the_demo_scheme_passes_its_own_test_cases():
    seed_indicators(2026)
    assert Indicator.objects.count() >= 8
    for indicator in Indicator.objects.all():
        assert all(r.passed for r in indicator_case_results(indicator)), indicator.code
