"""``{{ event.label|shown }}``: a timeline's stored words in the reader's language (desk.timeline_text)."""

from django import template

from ..timeline_text import shown as _shown

register = template.Library()


@register.filter
def shown(text: str) -> str:
    return _shown(text)
