"""Ticket lists to .xlsx (on ``core.exporters.ListExporter``): any filtered list exports as shown,
with the requester's name and mobile masked.

Up to ``DIRECT_EXPORT_LIMIT`` rows download at once; a longer list runs as a background job
(``desk.export``) that re-runs the same scoped selector for the same actor with the same query
string, so the file holds exactly what the queue listed.
"""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from chuangfu.core.exporters import Column, ListExporter, export_job, write_export
from chuangfu.core.jobs import job_start
from chuangfu.core.models import User

from . import deadlines

DIRECT_EXPORT_LIMIT = 5000
JOB_KIND = "desk.export"


class TicketExporter(ListExporter):
    title = _("咨询工单")

    def __init__(self):
        self.today = deadlines.today()
        self.limit = deadlines.soon_limit(self.today)

    def get_columns(self):
        return [
            Column(_("工单编号"), "number", 16),
            Column(_("受理时间"), "received_at", 18),
            Column(_("来源渠道"), "get_channel_display", 10),
            Column(_("12345 工单号"), "hotline_order_no", 14),
            Column(_("类别"), "category.name", 10),
            Column(_("状态"), "get_status_display", 10),
            Column(_("时限提示"), self._flag, 10),
            Column(_("诉求人"), "masked_name", 10),
            Column(_("联系手机"), "masked_mobile", 14),
            Column(_("企业"), "requester_enterprise_name", 24),
            Column(_("主办单位"), lambda t: t.lead_unit.name if t.lead_unit else "", 16),
            Column(_("签收时限"), "accept_due", 12),
            Column(_("答复时限"), "answer_due", 12),
            Column(_("答复时间"), "answered_at", 18),
            Column(_("诉求内容"), "description", 60),
            Column(_("答复内容"), "answer", 60),
        ]

    def _flag(self, ticket) -> str:
        code = deadlines.flag(ticket, self.today, self.limit)
        return str(deadlines.FLAG_LABELS[code]) if code else ""


def export_start(*, actor, query: str):
    """Queue the export of the queue filtered by ``query`` (the page's query string)."""
    return job_start(
        kind=JOB_KIND,
        title=str(_("导出咨询工单")),
        actor=actor,
        params={"query": query},
        jurisdiction=actor.jurisdiction,
    )


@export_job(JOB_KIND)
def run_export(job, progress) -> dict:
    from . import selectors
    from .forms import QueueFilterForm

    actor = User.objects.get(pk=job.created_by_id)
    data = QueryDict(job.params.get("query", ""))
    form = QueueFilterForm(
        data, units=selectors.unit_choices(actor=actor), categories=selectors.category_choices(actor=actor)
    )
    qs = selectors.ticket_list(actor=actor, filters=form.filters() if data else {})
    return write_export(job, progress, TicketExporter(), qs, name=str(_("咨询工单")))
