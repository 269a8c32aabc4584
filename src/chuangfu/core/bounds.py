"""Bounds on every number, date and id a user can send, taken from the columns that store them.

A value the column cannot hold must be refused where it comes in, with a message in the user's
language, never stored and never passed to the database (PostgreSQL raises, SQLite stores it and
every page that reads the row then fails). One table of limits serves every way in:

- ``limits_of(model_field)``: what the column holds. Decimals by ``max_digits``/``decimal_places``,
  integers by the range PostgreSQL enforces for the field's type (SQLite enforces none, so the
  platform holds both databases to the same range), dates by ``DATE_MIN``..``DATE_MAX``.
- ``api_number(Model, "field")``, ``ApiDate``, ``ApiDateTime``, ``Id``, ``Offset``, ``Limit``: the
  same limits as django-ninja field types; the API answers 422 with a message per field.
- ``BoundedInputsMixin``: every form's integer, decimal and date fields get the limits of their
  model field (ModelForm) or of their type, checked in ``full_clean``, so fields added at run
  time are covered too.
- ``check_row``: before any row of ours is saved, its numbers and dates are checked against its
  own columns (``pre_save``), the last line for a path nobody thought of.
- ``int_param`` and ``page_number``: query-string integers (``?unit=``, ``?page=``) parsed within
  range; anything else reads as absent or as page 1.
"""

import datetime
import decimal
from dataclasses import dataclass
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

# Dates a record of ours can carry: people born since 1900, periods ending by 2100. Imports read
# 9999-12-31 (长期) as "no end" before this check. Date arithmetic near year 1 or 9999 overflows.
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)

# What PostgreSQL enforces for each integer type; SQLite would store anything up to 64 bits.
INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges
ID_MAX = INTEGER_RANGES["BigIntegerField"][1]  # BigAutoField
INT_MAX = INTEGER_RANGES["IntegerField"][1]
# Offsets beyond this are no use to anyone and would overflow ``offset + limit`` in SQL.
OFFSET_MAX = INT_MAX
PAGE_MAX = 100_000


@dataclass(frozen=True)
class Limits:
    minimum: Any
    maximum: Any
    max_digits: int | None = None
    decimal_places: int | None = None


def decimal_maximum(max_digits: int, decimal_places: int) -> decimal.Decimal:
    """The largest value of ``DecimalField(max_digits, decimal_places)``: (14, 2) → 999999999999.99."""
    return decimal.Decimal(10) ** (max_digits - decimal_places) - decimal.Decimal(1).scaleb(-decimal_places)


def limits_of(field: models.Field) -> Limits | None:
    """What the column of ``field`` can hold; ``None`` for fields that are not numbers or dates."""
    if isinstance(field, models.DecimalField):
        top = decimal_maximum(field.max_digits, field.decimal_places)
        return Limits(-top, top, field.max_digits, field.decimal_places)
    internal = field.get_internal_type()
    if internal in ("AutoField", "BigAutoField", "SmallAutoField"):
        return Limits(1, INTEGER_RANGES[internal.replace("Auto", "Integer")][1])
    if internal in INTEGER_RANGES:
        low, high = INTEGER_RANGES[internal]
        return Limits(low, high)
    if isinstance(field, models.DateField):  # DateTimeField too
        return Limits(DATE_MIN, DATE_MAX)
    return None


def out_of_range(limits: Limits, value) -> str | None:
    """The reason ``value`` does not fit ``limits`` (in the user's language), or ``None``."""
    if value is None:
        return None
    if isinstance(limits.minimum, datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
        if isinstance(day, datetime.date) and not DATE_MIN <= day <= DATE_MAX:
            return date_range_message()
        return None
    try:
        number = decimal.Decimal(value)
    except (decimal.InvalidOperation, TypeError, ValueError):
        return None
    if not number.is_finite() or not limits.minimum <= number <= limits.maximum:
        return gettext("应在 %(min)s 到 %(max)s 之间。") % {"min": limits.minimum, "max": limits.maximum}
    if limits.decimal_places is not None and number.as_tuple().exponent < -limits.decimal_places:
        if number != number.quantize(decimal.Decimal(1).scaleb(-limits.decimal_places)):
            return gettext("最多保留 %(n)d 位小数。") % {"n": limits.decimal_places}
    return None


def in_date_range(day: datetime.date | None) -> bool:
    return day is not None and DATE_MIN <= day <= DATE_MAX


def date_range_message() -> str:
    return gettext("日期应在 %(min)s 到 %(max)s 之间。") % {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}


# --- rows: the last line ----------------------------------------------------------------------


def check_row(instance: models.Model) -> None:
    """Raise ``ValidationError`` (field → message) if a number or date of ``instance`` does not
    fit its own column. Connected to ``pre_save`` for every model of ours."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        limits = limits_of(field)
        if limits is None:
            continue
        reason = out_of_range(limits, getattr(instance, field.attname))
        if reason:
            errors[field.name] = [f"{field.verbose_name}：{reason}"]
    if errors:
        raise ValidationError(errors)


def check_row_on_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        check_row(instance)


# --- forms --------------------------------------------------------------------------------------


class _DateRangeValidator:
    """Dates (and date-times) between ``DATE_MIN`` and ``DATE_MAX``."""

    code = "date_range"

    def __call__(self, value):
        day = value.date() if isinstance(value, datetime.datetime) else value
        if isinstance(day, datetime.date) and not DATE_MIN <= day <= DATE_MAX:
            raise ValidationError(date_range_message(), code=self.code)

    def __eq__(self, other):
        return isinstance(other, _DateRangeValidator)


validate_date_range = _DateRangeValidator()


def bound_form_field(field: forms.Field, model_field: models.Field | None = None) -> None:
    """Give ``field`` the limits of ``model_field`` (or of its own type); idempotent."""
    if getattr(field, "_bounded", False):
        return
    field._bounded = True
    limits = limits_of(model_field) if model_field is not None else None
    if isinstance(field, (forms.DateField, forms.DateTimeField)):
        field.validators.append(validate_date_range)
    elif isinstance(field, forms.DecimalField):
        if limits is not None and limits.max_digits is not None:
            field.validators.append(MaxValueValidator(limits.maximum))
            field.validators.append(MinValueValidator(limits.minimum))
            if field.max_digits is None:
                field.max_digits, field.decimal_places = limits.max_digits, limits.decimal_places
                field.validators.append(DecimalValidator(limits.max_digits, limits.decimal_places))
        elif field.max_value is None:
            field.validators.append(MaxValueValidator(decimal_maximum(14, 2)))
            field.validators.append(MinValueValidator(-decimal_maximum(14, 2)))
    elif isinstance(field, forms.IntegerField):  # after DecimalField/FloatField: both subclass it
        if isinstance(field, forms.FloatField):
            low, high = -(10**15), 10**15
        elif limits is not None:
            low, high = limits.minimum, limits.maximum
        else:
            low, high = INTEGER_RANGES["IntegerField"]
        field.validators.append(MaxValueValidator(high))
        field.validators.append(MinValueValidator(low))


class BoundedInputsMixin:
    """Every number and date field of the form within what its column (or its type) holds.

    Applied in ``full_clean`` so fields a form adds in ``__init__`` are bounded too. Every form
    of the platform has this mixin (a test walks them all)."""

    def full_clean(self):
        model = getattr(getattr(self, "_meta", None), "model", None)
        for name, field in self.fields.items():
            model_field = None
            if model is not None:
                try:
                    model_field = model._meta.get_field(name)
                except Exception:  # a form field with no column of the same name
                    model_field = None
            bound_form_field(field, model_field if isinstance(model_field, models.Field) else None)
        super().full_clean()


# --- query strings ------------------------------------------------------------------------------


def int_param(value, *, minimum: int = 1, maximum: int = ID_MAX) -> int | None:
    """An integer from a query string within ``minimum..maximum``; ``None`` for anything else.

    ``?unit=99999999999999999999`` is no unit, not a server error."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    if not text or len(text) > 20 or not (text.isascii() and text.lstrip("-").isdigit()):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def page_number(value, *, maximum: int = PAGE_MAX) -> int:
    """A page number from a query string: 1 for anything that is not a positive integer, at most
    ``maximum``."""
    number = int_param(value, minimum=1, maximum=ID_MAX)
    return min(number, maximum) if number else 1


# --- the API ------------------------------------------------------------------------------------


def _check_api_date(value):
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise PydanticCustomError(
            "date_range", "date out of range", {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}
        )
    return value


_DATE_SCHEMA = {"x-minimum": DATE_MIN.isoformat(), "x-maximum": DATE_MAX.isoformat()}
ApiDate = Annotated[datetime.date, AfterValidator(_check_api_date), Field(json_schema_extra=_DATE_SCHEMA)]
ApiDateTime = Annotated[datetime.datetime, AfterValidator(_check_api_date), Field(json_schema_extra=_DATE_SCHEMA)]
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Offset = Annotated[int, Field(ge=0, le=OFFSET_MAX)]


def Limit(maximum: int):
    return Annotated[int, Field(ge=1, le=maximum)]


def api_number(model: type[models.Model], name: str, *, minimum=None):
    """The ninja type of ``model.name``: its column's range (and digits), ``minimum`` if tighter.

    ``registered_capital: api_number(Enterprise, "registered_capital") | None = None``"""
    field = model._meta.get_field(name)
    limits = limits_of(field)
    low = limits.minimum if minimum is None else max(minimum, limits.minimum)
    if limits.max_digits is not None:
        return Annotated[
            decimal.Decimal,
            Field(ge=low, le=limits.maximum, max_digits=limits.max_digits, decimal_places=limits.decimal_places),
        ]
    return Annotated[int, Field(ge=low, le=limits.maximum)]


def api_int(minimum: int = 0, maximum: int = INT_MAX):
    """An integer input that is not a column (a number of days, a count)."""
    return Annotated[int, Field(ge=minimum, le=maximum)]
