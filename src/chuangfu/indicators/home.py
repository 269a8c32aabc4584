from django.utils.translation import gettext_lazy as _

from chuangfu.core.context_processors import NavItem, register_nav
from chuangfu.core.models import Role

from .selectors import VIEWERS

register_nav(NavItem(_("创建评估"), "indicators:dashboard", VIEWERS))
register_nav(NavItem(_("单位考评"), "indicators:scorecards", frozenset({Role.UNIT_LIAISON})))
