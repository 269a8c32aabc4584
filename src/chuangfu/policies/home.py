"""Navigation entries of the policies app (registered from ``ready``)."""

from django.utils.translation import gettext_lazy

from chuangfu.core.context_processors import NavItem, register_nav
from chuangfu.core.models import STAFF_ROLES, Role

register_nav(NavItem(gettext_lazy("政策库"), "policies:policy_list", STAFF_ROLES), before="registry:import_start")
register_nav(NavItem(gettext_lazy("政策征求意见"), "policies:drafting", frozenset({Role.UNIT_LIAISON, Role.LEADER})))
