from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    name = "chuangfu.ecosystem"
    label = "ecosystem"
    verbose_name = _("创业生态")

    def ready(self):
        from . import home  # noqa: F401  (navigation)
