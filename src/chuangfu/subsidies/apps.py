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

        from chuangfu.policies.actions import register_policy_action

        register_policy_action(apply_here)


def apply_here(policy, version, user):
    """在本平台申请 on a policy's public page, when its version in force carries an application form."""
    from django.urls import reverse
    from django.utils import timezone

    from .models import APPLY_MODES

    if policy.obtain_mode not in APPLY_MODES or not version.in_force_on(timezone.localdate()):
        return None
    if not hasattr(version, "application_form"):
        return None
    return _("在本平台申请"), reverse("subsidies:apply", args=[policy.pk])
