from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "chuangfu.activities"
    label = "activities"
    verbose_name = _("活动承载")

    def ready(self):
        from . import home, tasks  # noqa: F401  (navigation, "my work" panels, periodic tasks)
