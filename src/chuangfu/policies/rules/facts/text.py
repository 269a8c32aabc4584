"""Facts over free text: the keywords an enterprise's business scope (经营范围) mentions.

A keyword is mentioned when it occurs in the text, letters compared without case (only the
ASCII letters A–Z fold, the same in Python and in both databases: SQLite's ``lower()`` folds
only those, and PostgreSQL is told to fold only those with ``translate``, and only for a keyword
that has one). A blank scope is
missing, so every keyword condition on it is unknown.

Over columns, the text is never read into Python: the database finds the keywords in one scan
of the table (``instr`` / ``strpos`` inside the scan) and sends back only the ids of the
enterprises that mention one or have no scope, with one flag per keyword; the masks are kept for
the rest of the match. A full match searches every keyword its rules name before it evaluates
them (``search_keywords``), so at 1,000,000 enterprises the column is read once per match; a
condition naming keywords not searched yet (one rule evaluated alone) scans for those.
"""

from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from chuangfu.registry.models import Enterprise

from ..nodes import conditions
from .base import Fact

UPPER, LOWER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
_FOLD = str.maketrans(UPPER, LOWER)
MAX_KEYWORDS = 10
MAX_KEYWORD_LENGTH = 20
MAX_SCOPE_LENGTH = 4000  # a described business scope (the self-check)
SEPARATORS = " \t\r\n,，、;；"  # between keywords as staff type them; never inside one


def fold(text: str) -> str:
    return text.translate(_FOLD)


def keyword_problem(keyword) -> str | None:
    """Why ``keyword`` cannot be a keyword, or ``None``."""
    if not isinstance(keyword, str) or not keyword.strip():
        return str(_("关键词不能为空"))
    if len(keyword) > MAX_KEYWORD_LENGTH:
        return str(_("关键词最长 %(n)s 个字") % {"n": MAX_KEYWORD_LENGTH})
    if any(c in SEPARATORS for c in keyword.strip()):
        return str(_("关键词中不能有空格或标点分隔符"))
    return None


def mentions(op: str, keywords, text: str) -> bool:
    """Whether ``text`` meets ``op`` over ``keywords`` (the Python twin of the column masks)."""
    folded = fold(text)
    found = [fold(k) in folded for k in keywords]
    return {
        "mentions_any": lambda: any(found),
        "mentions_none": lambda: not any(found),
        "mentions_all": lambda: all(found),
        "lacks_mention": lambda: not all(found),
    }[op]()


def _find_sql(keyword: str) -> str:
    """The position of a parameter, the folded ``keyword``, in the folded scope (0: not there), as
    the database computes it. A keyword without an ASCII letter is searched in the scope as it is:
    folding changes only those letters, so it occurs in the folded scope exactly where it occurs
    in the scope. Only then is the fold needed, and on PostgreSQL only for a scope that has an
    upper-case ASCII letter (``translate`` over multibyte text costs ~7 µs a row; the test for an
    upper-case letter, a fraction of that)."""
    if not any(c in LOWER for c in keyword):
        return "strpos(s.business_scope, %s)" if connection.vendor == "postgresql" else "instr(s.business_scope, %s)"
    if connection.vendor == "postgresql":
        folded = (
            f"CASE WHEN s.business_scope ~ '[{UPPER}]' "
            f"THEN translate(s.business_scope, '{UPPER}', '{LOWER}') ELSE s.business_scope END"
        )
        return f"strpos({folded}, %s)"
    return "instr(lower(s.business_scope), %s)"


def _select(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _table() -> str:
    return connection.ops.quote_name(Enterprise._meta.db_table)


def keyword_masks(frame, keywords) -> list[np.ndarray]:
    """One mask per keyword: the enterprises of ``frame`` whose scope mentions it. Keywords not
    searched yet in this match are searched together, in one scan."""
    found = frame.cached("scope_keywords", dict)
    wanted = list(dict.fromkeys(fold(k) for k in keywords))
    new = [k for k in wanted if k not in found]
    if new:
        _scan(frame, new, blank="scope_known" not in frame._cache)
    return [found[k] for k in wanted]


def _scan(frame, new: list[str], blank: bool) -> None:
    """Search ``new`` (folded keywords) in every scope in one scan of the table, and with
    ``blank`` find the blank scopes in the same scan (``scope_known``); only the ids of the
    enterprises that mention one or have none come back, with a flag per keyword."""
    found = frame.cached("scope_keywords", dict)
    flags = [f"CASE WHEN {_find_sql(k)} > 0 THEN 1 ELSE 0 END" for k in new]
    where = [f"{_find_sql(k)} > 0" for k in new]
    if blank:
        flags.append(f"CASE WHEN {_BLANK} THEN 1 ELSE 0 END")
        where.append(_BLANK)
    rows = frame.frames.rows(
        f"SELECT s.id, {', '.join(flags)} FROM {_table()} s",
        [*new, *new],
        kind="enterprise",
        column="s.id",
        where=" OR ".join(where),
    )
    block = np.array(rows, dtype=np.int64).reshape(-1, len(flags) + 1)
    for i, keyword in enumerate(new):
        found[keyword] = frame.flags_of(block[block[:, i + 1] == 1, 0])
    if blank:
        frame._cache["scope_known"] = ~frame.flags_of(block[block[:, -1] == 1, 0])


_BLANK = "COALESCE(s.business_scope, '') = ''"


def rule_keywords(rule) -> list[str]:
    """Every keyword a business-scope condition of ``rule`` names, at any depth (inside groups and
    inside a relation's rule), folded, each once."""
    out: dict = {}
    for cond in conditions(rule):
        if cond.get("fact") == "business_scope" and isinstance(cond.get("value"), list):
            out.update((fold(str(k)), None) for k in cond["value"])
    return list(out)


def search_keywords(frames, rules_) -> None:
    """Before a full match: search every keyword its rules name, and find the blank scopes, in one
    scan of the enterprises, instead of one scan per condition naming new ones. When the
    enterprises' frame is not read yet, the search rides along with that read (one flag per
    keyword, packed into integer columns, computed once per row); otherwise it is a scan of its
    own. Nothing is searched when no rule names a keyword."""
    keywords = list(dict.fromkeys(k for rule in rules_ for k in rule_keywords(rule)))
    if not keywords:
        return
    exprs, params = _packed(keywords)
    if not frames.read_along("enterprise", exprs, params, lambda frame, columns: _unpack(frame, keywords, columns)):
        frame = frames.get("enterprise")
        new = [k for k in keywords if k not in frame.cached("scope_keywords", dict)]
        if new:
            _scan(frame, new, blank="scope_known" not in frame._cache)


_BITS = 30  # flags per packed column: an integer in both databases


def _packed(keywords: list[str]) -> tuple[list[str], list[str]]:
    """Integer expressions over the row ``s`` whose bits say which keywords the scope mentions, the
    last bit of all whether it is blank; and their parameters (the keywords)."""
    terms = [(f"CASE WHEN {_find_sql(k)} > 0 THEN {{bit}} ELSE 0 END", [k]) for k in keywords]
    terms.append((f"CASE WHEN {_BLANK} THEN {{bit}} ELSE 0 END", []))
    exprs, params = [], []
    for start in range(0, len(terms), _BITS):
        chunk = terms[start : start + _BITS]
        exprs.append("(" + " + ".join(sql.format(bit=1 << i) for i, (sql, _p) in enumerate(chunk)) + ")")
        params += [p for _sql, ps in chunk for p in ps]
    return exprs, params


def _unpack(frame, keywords: list[str], columns: list[np.ndarray]) -> None:
    found = frame.cached("scope_keywords", dict)
    flags = [(columns[n // _BITS] >> (n % _BITS)) & 1 for n in range(len(keywords) + 1)]
    for keyword, flag in zip(keywords, flags):
        found[keyword] = flag.astype(bool)
    frame._cache["scope_known"] = flags[-1] == 0


def scope_known(frame) -> np.ndarray:
    def read():
        rows = frame.frames.rows(
            f"SELECT s.id FROM {_table()} s",
            kind="enterprise",
            column="s.id",
            where=_BLANK,
        )
        return ~frame.flags_of(np.array([r[0] for r in rows], dtype=np.int64))

    return frame.cached("scope_known", read)


@dataclass(frozen=True, eq=False)
class KeywordFact(Fact):
    """The enterprise's business scope mentions any / all / none of the keywords."""

    def normalise(self, op, value, ctx):
        return op, [fold(str(v)) for v in value]

    def value_of(self, record, cond, ctx):
        return record.business_scope or None

    def from_given(self, raw, cond, ctx):
        return raw if isinstance(raw, str) and raw != "" else None

    def test(self, op, value, actual, ctx):
        return mentions(op, self.normalise(op, value, ctx)[1], actual)

    def choice_label(self, code):
        return f"“{code}”"

    def display(self, actual, ctx):
        if actual is None:
            return str(_("无数据（未登记经营范围）"))
        text = " ".join(actual.split())
        return text if len(text) <= 60 else text[:60] + pgettext("punctuation", "…")

    def vector_known(self, frame):
        return scope_known(frame)

    def vector_test(self, op, value, cond, ctx, frame):
        masks = keyword_masks(frame, value)
        if op in ("mentions_any", "mentions_none"):
            hit = np.logical_or.reduce(masks) if masks else np.zeros(frame.size, bool)
            return hit if op == "mentions_any" else ~hit
        every = np.logical_and.reduce(masks) if masks else np.ones(frame.size, bool)
        return every if op == "mentions_all" else ~every
