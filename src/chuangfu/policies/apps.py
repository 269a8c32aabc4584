from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "chuangfu.policies"
    label = "policies"
    verbose_name = _("政策库")

    def ready(self):
        from chuangfu.core import public_cache

        from . import home, signals  # noqa: F401  (home: the navigation entries)
        from .models import Policy, PolicyVersion
        from .services import grants, matching  # noqa: F401  (registers the job handlers)

        signals.connect()
        public_cache.watch(Policy, PolicyVersion)  # the public policy list and the front door are cached
