"""Search input bounded before it becomes SQL.

Every word of a query becomes a condition (``name LIKE %word%`` in an ``AND`` chain); a query of
a thousand words, or a long run of combining characters that jieba cuts one by one, made an
expression deeper than SQLite accepts ("Expression tree is too large") and a server error. Every
search of the platform reads its query through ``bounded_query`` and its word list through
``bounded_terms``: at most ``MAX_QUERY_LENGTH`` characters and ``MAX_TERMS`` words count, the rest
is ignored (nobody types more into a search box). API query parameters refuse longer input with
``max_length=MAX_QUERY_LENGTH``.
"""

import unicodedata
from collections.abc import Iterable

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8


def bounded_query(text) -> str:
    """``text`` folded (NFKC), control characters as spaces (PostgreSQL refuses a NUL in any text
    parameter), spaces collapsed, cut to ``MAX_QUERY_LENGTH`` characters."""
    folded = unicodedata.normalize("NFKC", str(text or "")[: MAX_QUERY_LENGTH * 4])
    folded = "".join(" " if unicodedata.category(c) == "Cc" else c for c in folded)
    return " ".join(folded.split())[:MAX_QUERY_LENGTH].strip()


def bounded_terms(terms: Iterable[str]) -> list[str]:
    """The first ``MAX_TERMS`` distinct non-empty terms."""
    found: list[str] = []
    for term in terms:
        if term and term not in found:
            found.append(term)
            if len(found) == MAX_TERMS:
                break
    return found
