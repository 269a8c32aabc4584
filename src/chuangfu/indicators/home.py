from django.utils.translation import gettext_lazy as _

from chuangfu.core.context_processors import NavItem, register_nav

from .selectors import VIEWERS

register_nav(NavItem(_("创建评估"), "indicators:dashboard", VIEWERS))
