from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "chuangfu.registry"
    label = "registry"
    verbose_name = _("名录")

    def ready(self):
        # Registers the "registry.import" job handler in every process, the queue worker included.
        from . import (
            exporters,  # noqa: F401  (the "registry.export" job handler)
            importers,  # noqa: F401
        )
