"""Small template helpers for the policy pages."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy

from ..summaries import summary_of

register = template.Library()


@register.filter
def match_summary(match) -> str:
    """``{{ m|match_summary }}`` — "符合全部条件", "差一项：…" or "待核实：…", worded from the version's rule."""
    return summary_of(match)


@register.filter
def get_item(mapping, key):
    """``counts|get_item:policy.pk`` — a dict lookup by a variable key ({} when absent)."""
    if not mapping:
        return {}
    return mapping.get(key) or {}


# Listed so that makemessages finds them (the tag's argument is not a translatable string).
PUNCTUATION = {
    "：": pgettext_lazy("punctuation", "："),
    "，": pgettext_lazy("punctuation", "，"),
    "；": pgettext_lazy("punctuation", "；"),
    "、": pgettext_lazy("punctuation", "、"),
    "（": pgettext_lazy("punctuation", "（"),
    "）": pgettext_lazy("punctuation", "）"),
}


@register.simple_tag
def punct(mark):
    """``{% punct "：" %}`` — Chinese punctuation in the reader's language (": " in English)."""
    return PUNCTUATION[mark]


@register.simple_tag
def outcome_tree(outcomes):
    """``{% outcome_tree e.conditions %}`` — an explanation's conditions as nested lists, each with
    its status badge and, when known, the actual value. Built in Python: a subject's page explains
    every policy in force, a few hundred conditions, and one template include per condition was most
    of the page's time (decision 40). The labels are translated once per call."""
    label = gettext("实际情况")
    opening, colon, closing = (str(PUNCTUATION[mark]) for mark in ("（", "：", "）"))
    actual_open = f' <span class="text-muted small">{conditional_escape(opening)}{conditional_escape(label)}'
    actual_open += conditional_escape(colon)
    closing = f"{conditional_escape(closing)}</span>"
    out: list[str] = []

    def tree(nodes) -> None:
        out.append('<ul class="list-unstyled cf-outcome">')
        for o in nodes:
            out.append(
                f'<li><span class="badge cf-status-{conditional_escape(o.status)}">'
                f"{conditional_escape(o.status_label)}</span> {conditional_escape(o.text)}"
            )
            if o.actual:
                out.append(f"{actual_open}{conditional_escape(o.actual)}{closing}")
            if o.children:
                tree(o.children)
            out.append("</li>")
        out.append("</ul>")

    tree(outcomes)
    return mark_safe("".join(out))  # every value above is escaped
