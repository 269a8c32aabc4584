"""Small template helpers for the policy pages."""

from django import template
from django.utils.translation import pgettext_lazy

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
