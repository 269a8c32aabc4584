"""Which unit should handle a request: the town's routing rules, then the category's default.

Rules are tried by priority; at equal priority a rule with keywords (more specific) goes first.
The suggestion always comes with the reason, shown to the desk, which may override it.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Category, RoutingRule


def suggest_unit(*, jurisdiction, category: Category, description: str):
    """``(unit, reason)``, or ``(None, "")`` when nothing matches."""
    text = description.lower()
    rules = (
        RoutingRule.objects.filter(jurisdiction=jurisdiction, active=True, unit__active=True)
        .filter(Q(category=category) | Q(category__isnull=True))
        .select_related("unit", "category")
    )
    for rule in sorted(rules, key=lambda r: (r.priority, 0 if r.keyword_list else 1, r.id)):
        keywords = rule.keyword_list
        if keywords:
            hit = next((k for k in keywords if k.lower() in text), None)
            if hit is None:
                continue
            if rule.category_id:
                reason = _("规则“%(rule)s”：类别为“%(cat)s”且内容含“%(kw)s”") % {
                    "rule": rule.name,
                    "cat": category.name,
                    "kw": hit,
                }
            else:
                reason = _("规则“%(rule)s”：内容含“%(kw)s”") % {"rule": rule.name, "kw": hit}
        else:
            reason = _("规则“%(rule)s”：类别为“%(cat)s”") % {"rule": rule.name, "cat": category.name}
        return rule.unit, reason
    if category.default_unit_id and category.default_unit.active:
        return category.default_unit, _("类别“%(cat)s”的默认承办单位") % {"cat": category.name}
    return None, ""
