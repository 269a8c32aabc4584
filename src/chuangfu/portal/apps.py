from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "chuangfu.portal"
    label = "portal"
    verbose_name = _("门户与主动公开")

    def ready(self):
        from . import home  # noqa: F401  (staff navigation)
