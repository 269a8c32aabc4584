"""The app's .xlsx exports, on the one exporter base (``core.exporters.ListExporter``).

Mobiles are exported masked: a list that leaves the platform carries no full numbers."""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangfu.core.exporters import Column, ListExporter

from .models import Feedback, Registration


def _local(value):
    return timezone.localtime(value) if value else None


class _ActivityExporter(ListExporter):
    def __init__(self, activity):
        self.activity = activity


class RegistrationExporter(_ActivityExporter):
    title = _("报名名单")

    def get_columns(self):
        columns = [
            Column(_("姓名"), "name", 12),
            Column(_("手机号"), "masked_mobile", 14),
            Column(_("代表企业"), "enterprise_name", 28),
            Column(_("报名方式"), "get_source_display", 12),
            Column(_("状态"), "get_status_display", 12),
            Column(_("候补顺序"), "waitlist_position", 10),
            Column(_("报名时间"), lambda r: _local(r.created_at), 18),
            Column(_("签到时间"), lambda r: _local(r.checked_in_at), 18),
        ]
        for question in self.activity.questions.all():
            columns.append(Column(question.text, lambda r, key=str(question.pk): r.answers.get(key, ""), 20))
        return columns

    def queryset(self):
        return Registration.objects.filter(activity=self.activity).order_by("created_at", "id")


class AttendanceExporter(_ActivityExporter):
    title = _("签到名单")
    columns = [
        Column(_("姓名"), "name", 12),
        Column(_("手机号"), "masked_mobile", 14),
        Column(_("代表企业"), "enterprise_name", 28),
        Column(_("报名方式"), "get_source_display", 12),
        Column(_("签到时间"), lambda r: _local(r.checked_in_at), 18),
        Column(_("签到人员"), lambda r: str(r.checked_in_by or ""), 12),
    ]

    def queryset(self):
        return Registration.objects.filter(activity=self.activity, checked_in_at__isnull=False).select_related(
            "checked_in_by").order_by("checked_in_at", "id")


class FeedbackExporter(_ActivityExporter):
    """Ratings without the rater's name: rater identity is protected (好差评 rules)."""

    title = _("活动评价")
    columns = [
        Column(_("评价"), "get_grade_display", 12),
        Column(_("意见建议"), "comment", 60),
        Column(_("评价时间"), lambda f: _local(f.created_at), 18),
    ]

    def queryset(self):
        return Feedback.objects.filter(registration__activity=self.activity).order_by("created_at", "id")
