from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "chuangfu.policies"
    label = "policies"
    verbose_name = _("政策库")

    def ready(self):
        from chuangfu.core import public_cache
        from chuangfu.core.context_processors import NavItem, register_nav
        from chuangfu.core.models import STAFF_ROLES, Role

        from . import signals
        from .models import Policy, PolicyVersion
        from .services import grants, matching  # noqa: F401  (registers the job handlers)

        signals.connect()
        public_cache.watch(Policy, PolicyVersion)  # the public policy list and the front door are cached
        register_nav(NavItem(_("政策库"), "policies:policy_list", STAFF_ROLES), before="registry:import_start")
        register_nav(NavItem(_("政策征求意见"), "policies:drafting", frozenset({Role.UNIT_LIAISON, Role.LEADER})))
