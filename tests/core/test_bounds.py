"""Every number, date and id a user can send is bounded by its column: the mechanisms of
``core.bounds`` and the walks over every form and every API operation that keep it so."""

import datetime
import decimal
import importlib
import pkgutil
import types
import typing

import annotated_types
import pytest
from django import forms
from django.core.exceptions import ValidationError

import chuangfu
from chuangfu.core import bounds
from chuangfu.core.bounds import BoundedInputsMixin, int_param, page_number


def _import_everything():
    for module in pkgutil.walk_packages(chuangfu.__path__, "chuangfu."):
        if ".migrations" in module.name or module.name.endswith(".wsgi"):
            continue
        importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_of_the_platform_bounds_its_numbers_and_dates():
    _import_everything()
    ours = {c for c in _subclasses(forms.BaseForm) if c.__module__.startswith("chuangfu.")}
    assert len(ours) > 40
    unbounded = sorted(f"{c.__module__}.{c.__qualname__}" for c in ours if not issubclass(c, BoundedInputsMixin))
    assert unbounded == [], "\n".join(unbounded)


def _unwrap(annotation):
    """(base type, metadata) of ``Annotated[X, ...] | None``."""
    metadata = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            for item in annotation.__metadata__:
                metadata += [item, *getattr(item, "metadata", ())]  # a FieldInfo carries Ge/Le
            annotation = annotation.__origin__
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation, metadata
            annotation = args[0]
        else:
            return annotation, metadata


def _unbounded(model, path=""):
    for name, info in model.model_fields.items():
        base, metadata = _unwrap(info.annotation)
        metadata += info.metadata
        where = f"{path}{model.__name__}.{name}"
        if isinstance(base, type) and issubclass(base, chuangfu_schema_base()):
            yield from _unbounded(base, f"{where} → ")
            continue
        if base in (int, float, decimal.Decimal):
            lower = any(isinstance(m, (annotated_types.Ge, annotated_types.Gt)) for m in metadata)
            upper = any(isinstance(m, (annotated_types.Le, annotated_types.Lt)) for m in metadata)
            if not (lower and upper):
                yield where
        elif base in (datetime.date, datetime.datetime):
            if not any(getattr(m, "func", None) is bounds._check_api_date for m in metadata):
                yield where


def chuangfu_schema_base():
    from pydantic import BaseModel

    return BaseModel


def test_every_number_date_and_id_the_api_accepts_is_bounded():
    """Path, query and body, every operation: a new endpoint with a bare ``int`` fails here."""
    from chuangfu.api.urls import api

    found = []
    count = 0
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                count += 1
                for model in operation.models:
                    found += list(
                        _unbounded(model, f"{operation.view_func.__module__}.{operation.view_func.__name__}: ")
                    )
    assert count > 40
    assert found == [], "\n".join(found)


def test_limits_come_from_the_column():
    from chuangfu.registry.models import Enterprise

    capital = bounds.limits_of(Enterprise._meta.get_field("registered_capital"))
    assert capital.maximum == decimal.Decimal("999999999999.99") and capital.max_digits == 14
    assert bounds.limits_of(Enterprise._meta.get_field("insured_employees")).maximum == 2**31 - 1
    assert bounds.limits_of(Enterprise._meta.get_field("founded_on")).minimum == datetime.date(1900, 1, 1)


@pytest.mark.django_db
def test_a_row_beyond_its_columns_is_never_saved():
    from tests import factories as f

    enterprise = f.enterprise("唐镇测试公司")
    enterprise.registered_capital = decimal.Decimal("1e16")
    enterprise.founded_on = datetime.date(1, 1, 1)
    with pytest.raises(ValidationError) as refused:
        enterprise.save()
    assert set(refused.value.message_dict) == {"registered_capital", "founded_on"}


@pytest.mark.parametrize(
    "raw,expected",
    [("12", 12), (" 7 ", 7), ("0", None), ("-3", None), ("99999999999999999999", None), ("1e3", None), ("", None)],
)
def test_query_string_integers_are_read_within_range(raw, expected):
    assert int_param(raw) == expected


@pytest.mark.parametrize("raw,expected", [("3", 3), ("-1", 1), ("99999999999999999999999", 1), ("x", 1), (None, 1)])
def test_page_numbers_are_positive_and_bounded(raw, expected):
    assert page_number(raw) == expected
    assert page_number("999999999") == bounds.PAGE_MAX


def test_a_plain_form_field_gets_the_limits_of_its_type():
    class F(BoundedInputsMixin, forms.Form):
        n = forms.IntegerField()
        d = forms.DateField()
        x = forms.DecimalField()

    form = F({"n": "99999999999999999999", "d": "0001-01-01", "x": "1e20"})
    assert not form.is_valid()
    assert set(form.errors) == {"n", "d", "x"}
    assert F({"n": "5", "d": "2026-03-05", "x": "12.5"}).is_valid()
