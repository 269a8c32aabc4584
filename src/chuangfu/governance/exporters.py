"""The ledger as .xlsx in the columns the office's spreadsheet has always had."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from chuangfu.core.exporters import Column, ListExporter

from .models import ProgressReport
from .selectors import task_percent


def _co_units(task) -> str:
    return "、".join(u.name for u in task.co_units.all())


def _percent(task) -> int:
    return task_percent(status=task.status, own=task.percent_done)


class LedgerExporter(ListExporter):
    title = _("工作台账")
    columns = [
        Column(_("序号"), "pk", 8),
        Column(_("工作计划"), "plan.title", 24),
        Column(_("任务"), "title", 40),
        Column(_("目标"), "target", 40),
        Column(_("牵头单位"), "lead_unit.name", 18),
        Column(_("配合单位"), _co_units, 24),
        Column(_("开始日期"), "starts_on", 12),
        Column(_("完成时限"), "due_on", 12),
        Column(_("权重"), "weight", 8),
        Column(_("完成进度(%)"), _percent, 10),
        Column(_("状态"), "get_status_display", 10),
        Column(_("最近进展"), "latest_text", 48),
        Column(_("最近报送"), "last_report_at", 18),
        Column(_("督办时间"), "supervised_at", 18),
        Column(_("销号日期"), "closed_on", 12),
    ]

    @staticmethod
    def prepare(tasks):
        latest = ProgressReport.objects.filter(task=OuterRef("pk")).order_by("-created_at", "-id").values("text")[:1]
        return tasks.annotate(latest_text=Subquery(latest)).prefetch_related("co_units")
