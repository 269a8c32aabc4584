from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "chuangfu.governance"
    label = "governance"
    verbose_name = _("组织领导与工作协同")

    def ready(self):
        from . import home, tasks  # noqa: F401  (navigation, "my work" panels, periodic tasks)
