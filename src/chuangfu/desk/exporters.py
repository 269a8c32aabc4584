"""Ticket lists to .xlsx (on ``core.exporters.ListExporter``): any filtered list exports as shown,
with the requester's name and mobile masked."""
from django.utils.translation import gettext_lazy as _

from chuangfu.core.exporters import Column, ListExporter

from . import deadlines


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
