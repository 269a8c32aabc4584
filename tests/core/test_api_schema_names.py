"""Two schemas with one class name would share one entry under ``components/schemas`` in the
OpenAPI document, the second silently replacing the first (ecosystem's ``CarrierOut`` once
described registry's carriers). Every model the API reads or answers has a name of its own."""

import typing
from collections import defaultdict

from pydantic import BaseModel

from chuangfu.api.urls import api
from chuangfu.core.roles import api_operations


def _models(annotation, seen: set) -> None:
    for arg in typing.get_args(annotation):
        _models(arg, seen)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation not in seen:
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, seen)


def test_every_api_schema_has_a_name_of_its_own():
    seen: set[type] = set()
    for _op_id, _method, _path, op in api_operations(api):
        for model in [*op.models, *op.response_models.values()]:
            _models(model, seen)
    by_name = defaultdict(set)
    for model in seen:
        if model.__module__.startswith("chuangfu."):
            by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    assert len(by_name) > 40
    clashes = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert not clashes, clashes
