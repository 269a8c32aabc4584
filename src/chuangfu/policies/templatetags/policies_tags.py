"""Small template helpers for the policy pages."""
from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``counts|get_item:policy.pk`` — a dict lookup by a variable key ({} when absent)."""
    if not mapping:
        return {}
    return mapping.get(key) or {}
