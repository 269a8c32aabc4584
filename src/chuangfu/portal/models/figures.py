from django.db import models
from django.utils.translation import gettext_lazy as _


class FiguresSnapshot(models.Model):
    """The service figures the town publishes, as last computed. The queue recomputes them every
    ten minutes (``portal.tasks``); a page reads this one row, so no visitor waits for the
    aggregates over a year of tickets (seconds at a million tickets)."""

    computed_at = models.DateTimeField(_("计算时间"))
    data = models.JSONField(_("数据"))

    class Meta:
        verbose_name = _("服务数据快照")
        verbose_name_plural = _("服务数据快照")
