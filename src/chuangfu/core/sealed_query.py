"""Search terms that are personal identifiers never travel in a URL.

Access logs (gunicorn, nginx, a proxy) keep every request line with its query string, and
browsers keep URLs in their history: an ID number or mobile typed into a search box must not
land there. So search forms submit by POST with a hidden ``_search`` field, and
``SealedQueryMiddleware`` answers that POST with a redirect to the same page as a GET in which
every value holding an identifier (a run of 11 or more digits: mobiles, ID numbers, a USCC) is
*sealed* — encrypted with the data key (``~`` + a Fernet token). On the way back in, the
middleware opens sealed values, so views read ``request.GET`` as usual; ``request.GET`` is a
``SealedQueryDict`` whose ``urlencode()`` seals again, so pagination and "same filters" links
built from it carry no identifier either. Nothing else changes for the view.

A test (tests/core/test_sealed_query.py) walks every page and fails on a GET form with a
free-text field, which is how the next search box would leak.
"""

import re
import unicodedata

from django.http import HttpResponseRedirect, QueryDict

from .crypto import decrypt, encrypt

MARKER = "_search"
SEAL = "~"
_DROPPED = {MARKER, "csrfmiddlewaretoken"}
_IDENTIFIER = re.compile(r"\d{11,}")
_SEPARATORS = re.compile(r"[\s\-+()（）]")


def holds_identifier(value: str) -> bool:
    """Whether the text contains something shaped like a mobile, ID number or USCC."""
    folded = _SEPARATORS.sub("", unicodedata.normalize("NFKC", value))
    return bool(_IDENTIFIER.search(folded))


def seal(value: str) -> str:
    return SEAL + encrypt(value) if holds_identifier(value) else value


def unseal(value: str) -> str | None:
    """The plain value of a sealed one (``None`` if it does not open), others unchanged."""
    if not value.startswith(SEAL):
        return value
    try:
        return decrypt(value[len(SEAL) :])
    except ValueError:
        return None


class SealedQueryDict(QueryDict):
    """``request.GET`` with sealed values opened; ``urlencode()`` seals identifiers again."""

    def urlencode(self, safe=None):
        sealed = QueryDict(mutable=True, encoding=self.encoding)
        for key, values in self.lists():
            sealed.setlist(key, [seal(v) for v in values])
        return sealed.urlencode(safe)


def _opened(query: QueryDict) -> SealedQueryDict:
    result = SealedQueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        opened = [v for v in (unseal(value) for value in values) if v is not None]
        if opened:
            result.setlist(key, opened)
    result._mutable = False
    return result


class SealedQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and MARKER in request.POST:
            query = QueryDict(mutable=True)
            for key, values in request.POST.lists():
                if key not in _DROPPED:
                    query.setlist(key, [v for v in values if v != ""])
            encoded = SealedQueryDict.urlencode(query)
            return HttpResponseRedirect(request.path + (f"?{encoded}" if encoded else ""), status=303)
        if request.method in ("GET", "HEAD"):
            request.GET = _opened(request.GET)
        return self.get_response(request)
