"""Template helpers for the admin pages."""

from django import template

from .. import workdays

register = template.Library()


@register.simple_tag
def uncovered_calendar_years() -> list[int]:
    """This and next year, when their holidays have not been entered yet."""
    return workdays.uncovered_years()
