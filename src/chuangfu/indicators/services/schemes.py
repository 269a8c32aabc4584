"""Indicators are data: saved only when their expressions name known sources and their kind fits,
and checked against their test cases on a fixed data set, as policies are."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action, snapshot
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role

from .. import expressions, sources
from ..models import Indicator, Kind, Target

ADMINS = frozenset({Role.ADMIN})
TARGET_SETTERS = frozenset({Role.ADMIN, Role.LEADER})
FIELDS = ["scheme", "code", "name", "name_en", "definition", "definition_en", "category", "kind", "numerator",
          "denominator", "unit", "unit_en", "period_type", "direction", "order"]  # fmt: skip


def _require(actor, roles):
    if not (actor.is_superuser or actor.role in roles):
        raise DomainError("forbidden", _("您的角色不能执行此操作。"), status=403)


def clean_expressions(*, kind: str, numerator: str, denominator: str) -> None:
    """Every problem with an indicator's expressions, as a ``ValidationError`` on its fields."""
    known = set(sources.names())
    errors = {}
    try:
        expressions.validate(numerator, known)
    except expressions.ExpressionError as exc:
        errors["numerator"] = exc.messages
    needs_denominator = kind in (Kind.RATE, Kind.AVERAGE, Kind.PER_THOUSAND)
    if needs_denominator and not (denominator or "").strip():
        errors["denominator"] = [_("比率、平均值和每千人指标需要分母表达式。")]
    elif not needs_denominator and (denominator or "").strip():
        errors["denominator"] = [_("计数指标不填分母。")]
    elif needs_denominator:
        try:
            expressions.validate(denominator, known)
        except expressions.ExpressionError as exc:
            errors["denominator"] = exc.messages
    if errors:
        raise ValidationError(errors)


def indicator_save(*, actor, indicator: Indicator | None = None, data: dict) -> Indicator:
    _require(actor, ADMINS)
    indicator = indicator or Indicator()
    before = snapshot(indicator, fields=FIELDS) if indicator.pk else None
    for name in FIELDS:
        if name in data:
            setattr(indicator, name, data[name])
    clean_expressions(kind=indicator.kind, numerator=indicator.numerator, denominator=indicator.denominator)
    indicator.full_clean()
    with transaction.atomic():
        indicator.save()
        log_action(actor=actor, action="indicators.indicator.saved", obj=indicator, before=before,
                   after=snapshot(indicator, fields=FIELDS), jurisdiction=actor.jurisdiction)  # fmt: skip
    return indicator


def value_of(indicator: Indicator, given: dict) -> tuple[Decimal, Decimal | None, Decimal | None]:
    """(numerator, denominator, value) of ``indicator`` for source values ``given``."""
    numerator = expressions.evaluate(indicator.numerator, given)
    if not indicator.denominator:
        return numerator, None, numerator
    denominator = expressions.evaluate(indicator.denominator, given)
    if numerator is None or denominator is None or denominator == 0:
        return numerator, denominator, None
    return numerator, denominator, numerator / denominator * indicator.factor


@dataclass
class CaseResult:
    case: object
    actual: Decimal | None
    passed: bool
    error: str = ""


def indicator_case_results(indicator: Indicator) -> list[CaseResult]:
    results = []
    for case in indicator.cases.all():
        try:
            _, _, actual = value_of(indicator, case.given or {})
        except expressions.ExpressionError as exc:
            results.append(CaseResult(case, None, False, str(exc)))
            continue
        expected = case.expected
        if actual is None or expected is None:
            passed = actual is None and expected is None
        else:
            passed = abs(actual - expected) < Decimal("0.005")
        results.append(CaseResult(case, actual, passed))
    return results


def target_set(*, actor, indicator: Indicator, jurisdiction, year: int, target, threshold=None) -> Target:
    _require(actor, TARGET_SETTERS)
    if target is None or Decimal(str(target)) < 0 or (threshold is not None and Decimal(str(threshold)) < 0):
        raise ValidationError({"target": _("目标值和预警值不能小于 0。")})
    with transaction.atomic():
        row, _created = Target.objects.update_or_create(
            indicator=indicator, jurisdiction=jurisdiction, year=year,
            defaults={"target": target, "threshold": threshold, "set_by": actor},
        )  # fmt: skip
        row.full_clean()
        log_action(actor=actor, action="indicators.target.set", obj=row, after=snapshot(row, fields=["target", "threshold"]),
                   jurisdiction=jurisdiction)  # fmt: skip
    return row
