from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "chuangfu.indicators"
    label = "indicators"
    verbose_name = _("创建评估指标")

    def ready(self):
        from . import home, tasks  # noqa: F401  (navigation, the nightly computation)
