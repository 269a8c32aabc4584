"""How this app's audit entries read (``core.audit_labels``)."""

from django.utils.translation import pgettext_lazy

from chuangfu.core.audit_labels import HIDDEN, register_actions, register_fields

register_actions(
    {
        "governance.body.created": pgettext_lazy("audit", "设立议事协调机构"),
        "governance.member.added": pgettext_lazy("audit", "增加成员"),
        "governance.member.left": pgettext_lazy("audit", "成员离任"),
        "governance.term.created": pgettext_lazy("audit", "设立届次"),
        "governance.agenda_item.submitted": pgettext_lazy("audit", "提交会议议题"),
        "governance.agenda_item.moved": pgettext_lazy("audit", "调整议题顺序"),
        "governance.task.published": pgettext_lazy("audit", "公开任务进展"),
        "governance.task.unpublished": pgettext_lazy("audit", "撤回公开的任务"),
        "governance.task.live_figure": pgettext_lazy("audit", "按实时指标更新进度"),
        "governance.unit_plan.item_saved": pgettext_lazy("audit", "登记单位计划事项"),
        "governance.attendance.recorded": pgettext_lazy("audit", "登记出席情况"),
        "governance.minutes.drafted": pgettext_lazy("audit", "起草会议纪要"),
        "governance.minutes.edited": pgettext_lazy("audit", "修改会议纪要"),
        "governance.minutes.revised": pgettext_lazy("audit", "修订会议纪要"),
        "governance.task.escalated": pgettext_lazy("audit", "任务升级督办"),
        "governance.task.reported": pgettext_lazy("audit", "报告任务进展"),
        "governance.document.acknowledged": pgettext_lazy("audit", "确认收到文件"),
        "governance.document.published": pgettext_lazy("audit", "印发文件"),
    }
)
register_fields("governance.Membership", {"position_order": HIDDEN})
register_fields(
    "governance.Task",
    {
        "reminded_for": pgettext_lazy("audit", "已提醒的截止日期"),
        "escalated_for": pgettext_lazy("audit", "已升级督办的截止日期"),
        "report_reminded_on": pgettext_lazy("audit", "进展提醒日期"),
    },
)
register_fields(
    "governance.Minutes", {"year": pgettext_lazy("audit", "年度"), "serial": pgettext_lazy("audit", "文号序号")}
)  # derived from the position, for sorting
