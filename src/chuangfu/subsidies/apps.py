from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "chuangfu.subsidies"
    label = "subsidies"
    verbose_name = _("补贴申请")

    def ready(self):
        from .services import disbursements  # noqa: F401  (registers the import job)
        from . import tasks  # noqa: F401  (registers the periodic jobs)
