from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "chuangfu.portal"
    label = "portal"
    verbose_name = _("门户与主动公开")

    def ready(self):
        from chuangfu.activities.models import Activity
        from chuangfu.core import public_cache

        from . import home  # noqa: F401  (staff navigation)
        from .models import Article, Case

        public_cache.watch(Article, Case, Activity)  # what the front door's cached blocks show
