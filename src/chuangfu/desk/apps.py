from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "chuangfu.desk"
    label = "desk"
    verbose_name = _("咨询受理")

    def ready(self):
        from chuangfu.core.context_processors import NavItem, register_nav
        from chuangfu.core.homepanels import register_panel
        from chuangfu.core.models import Role

        from . import exporters, homepanels, tasks  # noqa: F401  (registers the export job and periodic jobs)

        desk_roles = frozenset({Role.DESK_STAFF, Role.UNIT_LIAISON, Role.LEADER, Role.ADMIN})
        register_nav(NavItem(_("咨询受理"), "desk:queue", desk_roles), before="registry:person_list")
        register_nav(
            NavItem(_("受理统计"), "desk:figures", frozenset({Role.DESK_STAFF, Role.LEADER, Role.ADMIN})),
            before="registry:person_list",
        )
        register_nav(NavItem(_("我的咨询"), "service:mine", frozenset({Role.ENTREPRENEUR})))
        register_panel(homepanels.desk_panel)
