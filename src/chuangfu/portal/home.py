"""Navigation for the office's publicity work."""

from django.utils.translation import gettext_lazy as _

from chuangfu.core.context_processors import NavItem, register_nav, register_public_nav

from .workflows import EDITORS

register_nav(NavItem(_("宣传公开"), "portal_staff:cases", EDITORS))

for label, url_name in (
    (_("首页"), "portal:home"),
    (_("找政策"), "policy:list"),
    (_("在线咨询"), "service:submit"),
    (_("活动报名"), "events:list"),
    (_("找载体"), "nearby:nearby"),
    (_("公示公告"), "public_notices:list"),
    (_("创业典型"), "portal:cases"),
    (_("新闻动态"), "portal:articles"),
    (_("服务数据"), "portal:figures"),
    (_("开放数据"), "portal:catalogue"),
):
    register_public_nav(label, url_name)
