"""Navigation entries of the ecosystem app (registered from ``ready``)."""

from django.utils.translation import gettext_lazy

from chuangfu.core.context_processors import NavItem, register_nav
from chuangfu.core.models import Role

from .workflows import OFFICE_ROLES

register_nav(
    NavItem(gettext_lazy("载体网络"), "ecosystem:carrier_list", OFFICE_ROLES | {Role.CARRIER_OPERATOR}),
    before="core:audit_list",
)
register_nav(NavItem(gettext_lazy("身边的创业服务"), "nearby:nearby", frozenset({Role.ENTREPRENEUR})))
