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
        return (
            Registration.objects.filter(activity=self.activity, checked_in_at__isnull=False)
            .select_related("checked_in_by")
            .order_by("checked_in_at", "id")
        )


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


class JobPostingExporter(ListExporter):
    title = _("企业招聘岗位")
    columns = [
        Column(_("招聘企业"), "enterprise.name", 28),
        Column(_("统一社会信用代码"), "enterprise.uscc", 20),
        Column(_("岗位"), "position", 16),
        Column(_("招聘人数"), "headcount", 10),
        Column(_("月薪下限（元）"), "salary_min", 12),
        Column(_("月薪上限（元）"), "salary_max", 12),
        Column(_("任职要求"), "requirements", 40),
        Column(_("所属招聘会"), lambda p: p.activity.title if p.activity_id else "", 24),
        Column(_("求职意向"), "interest_count", 10),
        Column(_("已录用"), "hire_count", 10),
        Column(_("发布时间"), lambda p: _local(p.created_at), 18),
        Column(_("停止招聘"), lambda p: _local(p.closed_at), 18),
    ]


class CompetitionResultExporter(ListExporter):
    """Rows are the ranking dicts of ``selectors.competition_ranking``."""

    def __init__(self, activity, *, title):
        self.activity, self.title = activity, title

    def get_columns(self):
        columns = [
            Column(_("名次"), "rank", 8),
            Column(_("企业/团队"), lambda r: r["entry"].team_name, 28),
            Column(_("项目名称"), lambda r: r["entry"].project_title, 28),
            Column(_("推荐渠道"), lambda r: r["entry"].get_channel_display(), 14),
            Column(_("联系人"), lambda r: r["entry"].contact_name, 10),
            Column(_("联系电话"), lambda r: r["entry"].masked_contact_mobile, 14),
            Column(_("评委人数"), "judges", 10),
            Column(_("平均总分"), "mean", 10),
        ]
        for index, criterion in enumerate(self.activity.criteria.all()):
            columns.append(Column(criterion.name, lambda r, i=index: r["criteria"][i][1], 12))
        columns.append(Column(_("推荐参加区赛"), lambda r: _("是") if r["entry"].nominated_at else "", 12))
        return columns
