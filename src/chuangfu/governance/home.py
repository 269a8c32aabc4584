"""Navigation entries and "my work" panels of the governance app (registered from ``ready``)."""

from django.utils.translation import gettext_lazy

from chuangfu.core.context_processors import NavItem, register_nav

from .access import GOVERNANCE_ROLES

register_nav(NavItem(gettext_lazy("机构与成员"), "governance:bodies", GOVERNANCE_ROLES), before="core:audit_list")
