from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "chuangfu.desk"
    label = "desk"
    verbose_name = _("咨询受理")

    def ready(self):
        from chuangfu.core import versions
        from chuangfu.core.models import Unit

        from . import exporters, home, tasks  # noqa: F401  (navigation and panel, the export job, periodic jobs)
        from .models import Category, Rectification, Ticket, TicketAssignment
        from .selectors import COUNTS_VERSION

        # The queue counts a clerk's page asks for are kept under this counter (selectors.queue_counts),
        # and so is the queue's filter bar with its units and categories (queue.html).
        versions.watch(COUNTS_VERSION, Ticket, TicketAssignment, Rectification, Unit, Category)
