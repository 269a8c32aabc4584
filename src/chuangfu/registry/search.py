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
from pypinyin import Style, lazy_pinyin

# Surnames whose reading differs from the character's common reading. Both readings are
# indexed, so a search works whichever one the user types.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "区": "ou",
    "盖": "ge", "乐": "yue", "缪": "miao", "覃": "qin", "召": "shao", "员": "yun", "种": "chong",
    "秘": "bi", "句": "gou", "折": "she", "翟": "zhai", "尉": "yu", "宓": "mi", "繁": "po",
    "黑": "he", "重": "chong", "长": "chang", "薄": "bo",
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
    return [t for t in _fold(query).split() if t]


def pinyin_q(field: str, term: str) -> Q:
    """``term`` starts the full pinyin or any of the initials/variants stored in ``field``."""
    return Q(**{f"{field}__startswith": term}) | Q(**{f"{field}__contains": " " + term})


def search_q(
    query: str,
    *,
    text_fields: Iterable[str],
    pinyin_field: str | None = None,
    exact: Callable[[str], Q | None] | None = None,
) -> Q:
    """A ``Q`` for ``query``: every term must match (see the module docstring)."""
    text_fields = list(text_fields)
    combined = Q()
    for term in terms(query):
        term_q = exact(term) if exact else None
        if term_q is None:
            lowered = term.lower()
            if pinyin_field and _PINYIN_TERM.match(lowered):
                term_q = pinyin_q(pinyin_field, lowered) | _any_contains(text_fields, term)
            else:
                term_q = Q()
                for word in words(term) or [term]:
                    term_q &= _any_contains(text_fields, word)
        combined &= term_q
    return combined


def _any_contains(fields: list[str], word: str) -> Q:
    q = Q()
    for field in fields:
        q |= Q(**{f"{field}__icontains": word})
    return q
