from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _upcoming_at_carrier(*, carrier, limit):
    from .selectors import public_upcoming_at_carrier

    return public_upcoming_at_carrier(carrier=carrier, limit=limit)


class ActivitiesConfig(AppConfig):
    name = "chuangfu.activities"
    label = "activities"
    verbose_name = _("活动承载")
    # The ecosystem's public carrier page lists what is coming up there (ecosystem/hooks.py):
    # found by this attribute, so neither app imports the other (they sit on the same floor).
    ecosystem_carrier_events = {"label": _("这里即将举办的活动"), "upcoming": _upcoming_at_carrier}

    def ready(self):
        from . import home, tasks  # noqa: F401  (navigation, "my work" panels, periodic tasks)
