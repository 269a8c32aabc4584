from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "chuangfu.subsidies"
    label = "subsidies"
    verbose_name = _("补贴申请")

    def ready(self):
        from chuangfu.policies.actions import register_policy_action
        from chuangfu.policies.hooks import grant_imported

        from . import home, tasks  # noqa: F401  (navigation and panels; tasks registers the periodic jobs)
        from .services import disbursements  # noqa: F401  (registers the import job)

        register_policy_action(apply_here)
        grant_imported.connect(_grant_imported, dispatch_uid="subsidies.grant_obligations")


def _grant_imported(sender, grant, actor, **kwargs):
    """A grant imported from a list carries its version's obligations, as a paid application does."""
    from .services.obligations import obligations_instantiate_for_grant

    obligations_instantiate_for_grant(actor=actor, grant=grant)


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
