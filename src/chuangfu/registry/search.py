"""Registry search: pinyin columns for names and one query parser shared by every list.

A query is split on whitespace into terms that must all match (AND). Each term is read as
what it looks like: an exact identifier (ID number, mobile, USCC — the caller decides how to
match it), pinyin (letters only: matches the start of the full pinyin or of the initials, so
"zs" finds 张三), or Chinese text, which jieba cuts into words that must all occur in the name.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable

import jieba
from django.db.models import Q
from pypinyin import Style, lazy_pinyin, pinyin

from chuangfu.core.search import bounded_query, bounded_terms

# Surnames whose reading differs from the character's common reading. Both readings are
# indexed, so a search works whichever one the user types.
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "盖": "ge",
    "乐": "yue",
    "缪": "miao",
    "覃": "qin",
    "召": "shao",
    "员": "yun",
    "种": "chong",
    "秘": "bi",
    "句": "gou",
    "折": "she",
    "翟": "zhai",
    "尉": "yu",
    "宓": "mi",
    "繁": "po",
    "黑": "he",
    "重": "chong",
    "长": "chang",
    "薄": "bo",
}

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_PINYIN_TERM = re.compile(r"^[a-z]+$")
_PUNCTUATION = re.compile(r"^[\W_]+$")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def _spell(chars: str) -> tuple[str, str]:
    syllables = lazy_pinyin(chars)
    initials = lazy_pinyin(chars, style=Style.FIRST_LETTER)
    return _NOT_ALNUM.sub("", "".join(syllables).lower()), _NOT_ALNUM.sub("", "".join(initials).lower())


def name_pinyin(name: str, *, surname: bool = False) -> str:
    """Full pinyin then initials, space separated: 张三 → "zhangsan zs".

    With ``surname=True`` (people) a polyphonic first character adds its surname reading:
    曾国藩 → "cengguofan cgf zengguofan zgf".
    """
    name = _fold(name)
    if not name:
        return ""
    full, initials = _spell(name)
    words = [full, initials]
    reading = SURNAME_READINGS.get(name[0]) if surname else None
    if reading:
        rest_full, rest_initials = _spell(name[1:])
        variant = [reading + rest_full, reading[0] + rest_initials]
        if variant != words:
            words += variant
    return " ".join(w for w in words if w)


def words(text: str) -> list[str]:
    """jieba's words of ``text`` without punctuation or spaces."""
    return [w for w in (t.strip() for t in jieba.cut(text)) if w and not _PUNCTUATION.match(w)]


def terms(query: str) -> list[str]:
    return bounded_terms(bounded_query(query).split())


def pinyin_q(field: str, term: str) -> Q:
    """``term`` starts the full pinyin or any of the initials/variants stored in ``field``."""
    return Q(**{f"{field}__startswith": term}) | Q(**{f"{field}__contains": " " + term})


MAX_READINGS = 16


def readings(word: str) -> list[str]:
    """Every way ``word`` can be spelt in pinyin (each character's readings, combined), or []
    when the word is not all Chinese or has more than MAX_READINGS spellings."""
    spelt = [""]
    for char in word:
        options = {_NOT_ALNUM.sub("", r) for r in pinyin(char, style=Style.NORMAL, heteronym=True)[0]}
        if not options or options == {char.lower()} or not all(options):
            return []
        spelt = [a + b for a in spelt for b in sorted(options)]
        if len(spelt) > MAX_READINGS:
            return []
    return spelt


def search_q(
    query: str,
    *,
    text_fields: Iterable[str],
    pinyin_field: str | None = None,
    exact: Callable[[str], Q | None] | None = None,
    narrow: Callable[[Q], Q] = lambda q: q,
    text_indexed: bool = False,
) -> Q:
    """A ``Q`` for ``query``: every term must match (see the module docstring).

    The conditions an index can answer (identifiers, pinyin, and the text fields when
    ``text_indexed``) are gathered and passed once to ``narrow``, so the caller can run them
    as one subquery on that index. When the text fields are not indexed but ``pinyin_field``
    is, a Chinese word is first narrowed by its possible pinyin spellings, then checked
    against the text itself.
    """
    text_fields = list(text_fields)
    indexed, on_rows = Q(), Q()
    for term in terms(query):
        found = exact(term) if exact else None
        lowered = term.lower()
        if found is not None:
            indexed &= found
        elif pinyin_field and _PINYIN_TERM.match(lowered):
            found = pinyin_q(pinyin_field, lowered)
            indexed &= (found | _any_contains(text_fields, term)) if text_indexed else found
        else:
            for word in bounded_terms(words(term)) or [term]:
                contains = _any_contains(text_fields, word)
                if text_indexed:
                    indexed &= contains
                    continue
                on_rows &= contains
                spellings = readings(word) if pinyin_field else []
                if spellings:
                    indexed &= _any_of(pinyin_field, spellings)
    return (narrow(indexed) if indexed else Q()) & on_rows


def _any_of(field: str, spellings: list[str]) -> Q:
    q = Q()
    for spelling in spellings:
        q |= Q(**{f"{field}__contains": spelling})
    return q


def _any_contains(fields: list[str], word: str) -> Q:
    q = Q()
    for field in fields:
        q |= Q(**{f"{field}__icontains": word})
    return q
