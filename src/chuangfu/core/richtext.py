"""Rich text that staff write for the public (articles, model cases), made safe by nh3.

nh3 (the Rust ``ammonia`` sanitiser) keeps an allow-list of tags and attributes and drops
everything else: scripts, event handlers, ``style``, ``javascript:`` links, iframes. Links get
``rel="noopener noreferrer"``; images keep only ``src``, ``alt``, ``width`` and ``height`` and
their sources must be https or this site's own paths. Plain text (no tags) becomes paragraphs.
"""

import html
import re

import nh3

TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "h2", "h3", "h4", "ul", "ol", "li",
    "blockquote", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "hr",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "th": {"scope"}}
SCHEMES = {"https", "http", "mailto", "tel"}
_TAG = re.compile(r"<[a-zA-Z/][^>]*>")


def sanitize(value: str) -> str:
    """Safe HTML for ``value``: allowed tags only; text without tags becomes paragraphs."""
    value = (value or "").strip()
    if not _TAG.search(value):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]
        value = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return nh3.clean(value, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel="noopener noreferrer")


def plain_text(value: str, limit: int = 200) -> str:
    """The text of sanitised HTML, for summaries and share metadata."""
    text = html.unescape(re.sub(r"\s+", " ", _TAG.sub(" ", value or ""))).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
