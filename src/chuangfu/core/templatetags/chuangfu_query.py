"""``{% query_with page=2 %}``: the current query string with some values replaced, identifiers
sealed (``core.sealed_query``) — for pagination and filter links built in templates."""

from django import template

from ..sealed_query import SealedQueryDict

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    request = context.get("request")
    query = SealedQueryDict(mutable=True)
    if request is not None:
        for key, values in request.GET.lists():
            query.setlist(key, values)
    for key, value in changes.items():
        query[key] = str(value)
    return query.urlencode()
