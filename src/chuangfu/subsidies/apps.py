from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "chuangfu.subsidies"
    label = "subsidies"
    verbose_name = _("补贴申请")

    def ready(self):
        from chuangfu.core.context_processors import NavItem, register_nav
        from chuangfu.core.homepanels import register_panel
        from chuangfu.core.models import Role

        from . import homepanels, tasks  # noqa: F401  (tasks registers the periodic jobs)
        from .services import disbursements  # noqa: F401  (registers the import job)

        staff = frozenset({Role.REVIEWER, Role.DESK_STAFF, Role.LEADER, Role.ADMIN})
        register_nav(NavItem(_("补贴审核"), "subsidies:staff_queue", staff), before="registry:person_list")
        register_nav(NavItem(_("公示与拨付"), "notices:batch_list", staff), before="registry:person_list")
        register_nav(NavItem(_("补贴申请"), "subsidies:mine", frozenset({Role.ENTREPRENEUR})))
        register_panel(homepanels.review_panel)
        register_panel(homepanels.release_panel)
        register_panel(homepanels.applicant_panel)
