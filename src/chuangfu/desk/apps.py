from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "chuangfu.desk"
    label = "desk"
    verbose_name = _("咨询受理")

    def ready(self):
        from . import exporters, home, tasks  # noqa: F401  (navigation and panel, the export job, periodic jobs)
