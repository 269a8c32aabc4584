"""What the role-table tests walk: every URL pattern of the resolver and every API operation."""

import dataclasses

from django.urls import URLPattern, URLResolver, get_resolver

from chuangfu.api.urls import api
from chuangfu.core.roles import is_api_operation


@dataclasses.dataclass(frozen=True)
class Pattern:
    view_name: str  # what the middleware looks up: "desk:queue", or the view's dotted path when unnamed
    route: str  # "desk/tickets/<int:pk>/"
    pattern: URLPattern


def url_patterns(resolver=None, prefix="", namespaces=()) -> list[Pattern]:
    out = []
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            ns = (*namespaces, p.namespace) if p.namespace else namespaces
            out.extend(url_patterns(p, prefix + str(p.pattern), ns))
        elif isinstance(p, URLPattern):
            name = p.name or p.lookup_str
            out.append(Pattern(":".join((*namespaces, name)), prefix + str(p.pattern), p))
    return out


def page_patterns() -> list[Pattern]:
    """URL patterns the middleware checks: all but the API's operations (checked by ninja)."""
    return [p for p in url_patterns() if not is_api_operation(p.pattern.callback)]


def operations() -> list[tuple[str, str, str]]:
    """``(operation_id, METHOD, path)`` of every operation in the OpenAPI schema."""
    schema = api.get_openapi_schema()
    return [
        (spec["operationId"], method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, spec in methods.items()
    ]


def admit_test_pages(monkeypatch, *names: str) -> None:
    """Public rows for the URL patterns a test module adds to its own URLconf: the role table
    refuses a URL without a row, and these test views are not the app's pages."""
    from chuangfu.core.roles import ANYONE, page, table

    for name in names:
        monkeypatch.setitem(table().pages, name, page(name, ANYONE))
